"""The dashboard in Chromium on a desktop (1280x800) and a phone (390x844): every chart renders (an SVG with
marks) and the screenshots land in test-artifacts/analytics/ for a person to look at."""
import pytest

from app.analytics import demo
from app.core.models import Job
from tests.support.browser import chromium_page, shot
from tests.support.reports import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

CHARTS = {"funnel": ["funnel", "channels", "time_in_stage"], "scores": ["scores", "agreement", "interviewers"],
          "fairness": ["impact", "trend"]}


def _signed_in_cookie(app):
    client = app.test_client()
    sign_in_as(client, "hr_lina", "李娜")
    return client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value


@pytest.fixture
def demo_site(live_app):
    app, url = live_app
    runner = app.test_cli_runner()
    assert runner.invoke(args=["analytics", "demo-data", "--applications", "3000", "--seed", "11",
                               "--weeks", "8"]).exit_code == 0
    return app, url, _signed_in_cookie(app)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_dashboard_charts_render(demo_site, device):
    app, url, cookie = demo_site
    size = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}[device]
    options = {"viewport": size} if device == "desktop" else {}
    if device == "desktop":
        options.update(is_mobile=False, has_touch=False, device_scale_factor=1)
    with chromium_page(**options) as page:
        page.context.add_cookies([{"name": "session", "value": cookie, "url": url}])
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for view, charts in CHARTS.items():
            page.goto(f"{url}/admin/analytics/?view={view}")
            page.wait_for_selector("[data-chart][data-rendered]")
            for chart in charts:
                marks = page.locator(f"#sec-{chart} [data-chart] svg path").count()
                assert marks > 3, (chart, marks)
            assert "演示用的合成数据" in page.inner_text("[data-testid=synthetic]")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"] + 1          # nothing wider than the screen (tables scroll inside)
            if view == "funnel":
                assert page.locator("[data-testid=flag]").count() == 2
            shot(page, f"dashboard-{view}-{device}", folder="analytics")
        sales = Job.get(Job.title == demo.PREFIX + demo.IMPACT_JOB).id
        page.goto(f"{url}/admin/analytics/?view=fairness&job={sales}")
        page.wait_for_selector("#sec-impact [data-rendered]")
        page.locator("#sec-impact").scroll_into_view_if_needed()
        page.click("#sec-impact summary")
        shot(page, f"impact-sales-{device}", folder="analytics")
        front = Job.get(Job.title == demo.PREFIX + "前端开发工程师").id
        page.goto(f"{url}/admin/analytics/calibration?job={front}")
        page.wait_for_selector("[data-chart][data-rendered]")
        assert page.locator("[data-chart] svg path").count() > 4
        shot(page, f"calibration-{device}", folder="analytics")
        page.goto(f"{url}/admin/analytics/calibration")          # no job chosen: the jobs with performance data
        assert page.locator("[data-testid=calibration-overview] a").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"] + 1
        shot(page, f"calibration-overview-{device}", folder="analytics")
        assert errors == []


def test_candidate_fills_the_optional_self_id_form_on_a_phone(live_app, phone):
    from app.analytics.models import SelfIdentification
    from tests.support.app import import_job
    from tests.support.interviews import invite
    app, url = live_app
    interview, token = invite(import_job("backend-engineer.yaml"))
    phone.goto(f"{url}/i/{token}/status")
    phone.click("[data-testid=self-id-link]")
    phone.wait_for_selector("[data-testid=consent-text]")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
    shot(phone, "self-id-1-form", folder="analytics")
    phone.click("text=女")
    phone.click("text=25-34")
    phone.click("button[value=save]")
    assert "请先勾选同意说明" in phone.inner_text("[data-testid=error]")   # consent first
    phone.click("text=女")
    phone.click("text=25-34")
    phone.check("input[name=consent]")
    phone.click("button[value=save]")
    phone.wait_for_selector("[data-testid=saved]")
    shot(phone, "self-id-2-saved", folder="analytics")
    row = SelfIdentification.get(SelfIdentification.application == interview.application_id)
    assert (row.gender, row.age_band) == ("女", "25-34")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_real_and_demo_interviewers_are_shown_apart(live_app, device):
    """Demo data next to real data: the scores view shows the real interviewers (one with a single card reads
    数据不足 and is no bar), the demo ones only once HR picks 演示数据."""
    from app.analytics import rollup
    from tests.support.analytics import hand_built_cohort
    app, url = live_app
    demo.generate(400, seed=7)
    hand_built_cohort()
    rollup.refresh()
    cookie = _signed_in_cookie(app)
    size = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}[device]
    options = {"viewport": size, "is_mobile": False, "has_touch": False, "device_scale_factor": 1} \
        if device == "desktop" else {}
    with chromium_page(**options) as page:
        page.context.add_cookies([{"name": "session", "value": cookie, "url": url}])
        page.goto(f"{url}/admin/analytics/?view=scores&start=2026-03-01&end=2026-03-03")
        page.wait_for_selector("#sec-interviewers [data-chart][data-rendered]")
        assert "当前显示:真实数据" in page.inner_text("[data-testid=data-shown]")
        people = page.locator("#sec-interviewers")
        people.locator("summary").click()
        table = people.inner_text()
        assert "王面试官" in table and "数据不足（1 份）" in table and "（演示）" not in table
        people.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"] + 1
        shot(page, f"interviewers-real-{device}", folder="analytics")

        page.select_option("[data-testid=data-kind]", "demo")
        page.fill("input[name=start]", "")
        page.fill("input[name=end]", "")
        with page.expect_navigation():
            page.click("form.filters button")
        page.wait_for_selector("#sec-interviewers [data-chart][data-rendered]")
        assert "当前显示:演示数据" in page.inner_text("[data-testid=data-shown]")
        table = page.locator("#sec-interviewers").inner_text()
        assert "孙老师（演示）" in table and "王面试官" not in table
        shot(page, f"interviewers-demo-{device}", folder="analytics")

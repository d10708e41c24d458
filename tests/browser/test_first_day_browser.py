"""HR's first day in Chromium at 1280 px and 390 px on an empty install: the home, workbench and analytics pages
say what to do next, the first job is created in the editor (a refusal keeps what HR typed; a dimension no
question asks about is pointed out), its posting link and QR are made; a manager with no job yet signs in through
the sandbox's OAuth at 390 px and is told what to ask HR.
Screenshots under test-artifacts/first-day/."""
import pytest

from app.core.models import Job
from tests.support.browser import chromium_page, shot, signed_in_page

pytestmark = [pytest.mark.browser]


def _fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", [1280, 390])
def test_hr_first_day_from_nothing_to_a_posted_job(live_app, phone, width):
    app, base = live_app
    hr = signed_in_page(phone, app, base, "hr_lina", width=width, height=844)
    hr.goto(f"{base}/admin/")
    assert "新建岗位" in hr.get_by_test_id("no-jobs").inner_text()
    assert hr.get_by_test_id("invite-needs-job").is_visible() and hr.locator('select[name="job_id"]').count() == 0
    _fits(hr)
    shot(hr, f"home-empty-{width}", "first-day")
    for name, path in (("workbench", "/admin/applications"), ("analytics", "/admin/analytics/"),
                       ("calibration", "/admin/analytics/calibration"), ("privacy", "/admin/privacy/"),
                       ("my-rounds", "/m/my-rounds")):
        hr.goto(base + path)
        assert any(w in hr.locator("main, body").first.inner_text() for w in ("还没有", "暂无"))
        shot(hr, f"{name}-empty-{width}", "first-day")

    hr.goto(f"{base}/admin/jobs/new")
    hr.locator('textarea[name="q_text"]').first.fill("请介绍一个你做过的项目")
    hr.locator('input[name="q_dims"]').first.fill("语言表达, 逻辑思维")   # 岗位匹配度 (weight 40) asked by none
    hr.fill('input[name="title"]', "第一个岗位·后端工程师")
    hr.locator('input[name="dim_weight"]').first.fill("20")                    # the weights sum to 90
    hr.get_by_role("button", name="保存").click()
    assert "权重之和应为 100,实际为 90" in hr.content() and Job.select().count() == 0
    assert hr.input_value('input[name="q_dims"]') == "语言表达, 逻辑思维"     # refused, what HR typed kept
    _fits(hr)
    shot(hr, f"editor-refused-{width}", "first-day")
    hr.locator('input[name="dim_weight"]').first.fill("30")
    hr.get_by_role("button", name="保存").click()
    hr.wait_for_url("**/admin/jobs/*")
    assert "维度「岗位匹配度」(权重 40)没有题目考察" in hr.get_by_test_id("dimensions-not-asked").inner_text()
    assert "选一个渠道" in hr.get_by_test_id("no-links").inner_text()
    shot(hr, f"job-new-{width}", "first-day")
    hr.get_by_role("button", name="生成链接").click()
    hr.wait_for_selector("#postings img")
    shot(hr, f"job-link-{width}", "first-day")

    hr.goto(f"{base}/admin/")
    assert "招聘链接" in hr.get_by_test_id("no-applications").inner_text()
    hr.fill('input[name="name"]', "陈静")
    hr.fill('input[name="phone"]', "137")
    hr.get_by_role("button", name="生成面试链接").click()
    assert hr.input_value('input[name="name"]') == "陈静"      # the refusal keeps what HR typed
    shot(hr, f"invite-refused-{width}", "first-day")
    hr.fill('input[name="phone"]', "13700002222")
    hr.get_by_role("button", name="生成面试链接").click()
    hr.wait_for_selector("img")
    shot(hr, f"invited-{width}", "first-day")


def test_manager_without_a_job_signs_in_at_390(wecom_env):
    """Before: 「你不是HR或该岗位的用人经理」, nothing about what to do; now whom to ask and which account to give."""
    app, app_url, box = wecom_env
    with chromium_page() as page:
        page.goto(f"{app_url}/m/")
        page.locator('button[value="zhangwei"]').click()
        page.wait_for_load_state()
        assert "请HR在岗位的「用人经理」里加上你的企业微信账号(zhangwei)" in page.content()
        _fits(page)
        shot(page, "manager-no-job-390", "first-day")

"""Chromium on a 390x844 phone: the sandbox phone before and after a tap, and the /m and /admin pages."""
import pytest

from app.core.models import Application
from app.interview import result_cards
from tests.support.app import import_job
from tests.support.browser import QUIET, chromium_page
from tests.support.browser import shot as _shot
from tests.support.wecom import result_report_id, run_fast_worker, scored_application

pytestmark = pytest.mark.browser



@pytest.fixture
def page():
    """Chromium on a phone, with Chromium's own user agent (the sandbox phone is not WeChat's web view)."""
    with chromium_page(*QUIET, timeout=15000) as page:
        yield page


def shot(page, name):
    _shot(page, name, "wecom")


def test_phone_card_tap_and_staff_pages(wecom_env, backend_job, redis_conn, page):
    app, app_url, box = wecom_env
    import_job("sales-representative.yaml")
    application = scored_application(backend_job)
    scored_application(backend_job, "王小红", "13900002222")
    card = result_cards.push_result_card(result_report_id(application))

    page.goto(f"{box.url}/phone/zhangwei")
    assert page.locator(".card .title").inner_text() == "AI面试结果:李明"
    shot(page, "phone-card-before")

    page.get_by_role("button", name="进入复试").click()
    page.wait_for_url(f"{box.url}/phone/zhangwei")
    box.wait_deliveries([d["id"] for d in box.api("get", "/sandbox/api/deliveries")["deliveries"]])
    run_fast_worker(redis_conn)
    page.reload()
    assert page.locator(".card .done").inner_text() == "已进入复试 · 张伟"
    assert page.get_by_role("button", name="进入复试").count() == 0
    assert Application.get_by_id(application.id).stage == "second_round"
    shot(page, "phone-card-after")

    page.goto(f"{box.url}/phone/hr_lina")
    assert "进入复试" in page.locator(".bubble").first.inner_text()
    shot(page, "phone-hr-notified")

    page.goto(f"{app_url}/m/")
    with page.expect_navigation(url=f"{app_url}/m/"):
        page.get_by_role("button", name="张伟").click()
    assert page.locator("a.item").count() == 2
    shot(page, "manager-home")
    page.goto(f"{app_url}/m/applications/{application.id}")
    assert "企业微信卡片" in page.locator("ol.trail").inner_text()
    shot(page, "manager-application")
    assert card.task_id in page.content()

    page.context.clear_cookies()
    page.goto(f"{app_url}/admin/")
    with page.expect_navigation(url=f"{app_url}/admin/"):
        page.get_by_role("button", name="李娜").click()
    shot(page, "admin-home")
    page.locator("input[name=userid]").fill("zhangwei")
    page.get_by_role("button", name="发送").click()
    assert "测试卡片已发送给 张伟" in page.locator(".flash").inner_text()
    page.goto(f"{box.url}/")
    shot(page, "sandbox-console")

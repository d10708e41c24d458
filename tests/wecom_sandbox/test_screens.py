"""Chromium on a 390x844 phone: the sandbox phone before and after a tap, and the /m and /admin pages."""
from pathlib import Path

import pytest

from app.models import Application
from app.services import result_cards
from tests.conftest import ROOT
from tests.wecom.fixtures import import_job, result_report_id, run_fast_worker, scored_application

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(ROOT) / "test-artifacts" / "wecom"


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                      is_mobile=True, has_touch=True, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


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
    assert "测试卡片已发送给 zhangwei" in page.locator(".flash").inner_text()
    page.goto(f"{box.url}/")
    shot(page, "sandbox-console")

"""A candidate who types wrong identity details until the link locks, in Chromium at 390 px, with the WeCom
sandbox and a real RQ worker: they land on their status page, which says what happened and that HR was told
(no "继续 AI 面试" into a 429); HR gets one WeCom message, opens the application page (1280 px and 390 px) and
unlocks; the same link works again. Screenshots under test-artifacts/identity-lock/."""
import pytest

from app.interview import flow as interview_flow
from app.interview.invitations import invite_candidate
from app.interview.models import Interview
from tests.support.browser import shot
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
FOLDER = "identity-lock"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "locale": "zh-CN"}


def _hr_cookie(app):
    client = app.test_client()
    sign_in_as(client, "hr_lina", "李娜")
    return client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session")).value


def _locked_messages(box):
    return [m for m in box.messages("hr_lina") if "链接已锁定" in m["body"]["content"]]


def test_locked_out_candidate_is_told_hr_knows_and_hr_unlocks(wecom_env, backend_job, phone, redis_conn):
    app, app_url, box = wecom_env
    interview, token = invite_candidate(backend_job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    page = phone

    page.goto(f"{app_url}/i/{token}")
    tries = app.config["IDENTITY_MAX_ATTEMPTS"]
    for attempt in range(tries):
        assert page.url.endswith("/identity"), page.url
        page.fill("#name", "李明")
        page.fill("#phone_last4", "0000")
        page.click("#identity-submit")
        if attempt < tries - 1:  # the page sends the form itself and shows the server's refusal where it was
            page.wait_for_selector(f"#form-error >> text=还可尝试 {tries - 1 - attempt} 次")
        if attempt == 0:
            shot(page, "lock-1-wrong-digits", FOLDER)
    # The try that locked the link lands on the status page, which explains instead of offering the interview.
    page.wait_for_url(f"**/i/{token}/status")
    notice = page.inner_text("[data-testid=identity-locked]")
    assert "已通知 HR" in notice and "解锁" in notice
    assert page.locator("a", has_text="继续 AI 面试").count() == 0
    shot(page, "lock-2-status-locked", FOLDER)
    page.goto(f"{app_url}/i/{token}/identity")          # the link itself leads there too, never to a bare 429
    assert page.url.endswith(f"/i/{token}/status")

    run_fast_worker(redis_conn)
    (message,) = _locked_messages(box)
    assert "李明" in message["body"]["content"] and "#identity-lock" in message["body"]["content"]
    run_fast_worker(redis_conn)
    assert len(_locked_messages(box)) == 1              # told once

    cookie = _hr_cookie(app)
    application_id = interview.application_id
    for device, options in (("desktop", {"viewport": {"width": 1280, "height": 800}, "is_mobile": False,
                                         "has_touch": False, "device_scale_factor": 1}),
                            ("phone", {})):
        context = page.context.browser.new_context(**{**PHONE, **options})  # HR's own browser
        context.add_cookies([{"name": "session", "value": cookie, "url": app_url}])
        with context:
            hr = context.new_page()
            hr.goto(f"{app_url}/m/applications/{application_id}")
            panel = hr.inner_text("[data-testid=identity-lock]")
            assert "链接已锁定" in panel and "5 次" in panel
            assert hr.evaluate("document.documentElement.scrollWidth") <= hr.viewport_size["width"]
            shot(hr, f"lock-3-hr-application-{device}", FOLDER)
            if device == "phone":
                with hr.expect_navigation():
                    hr.click("[data-testid=unlock-identity]")
                assert "已解锁" in hr.inner_text(".flash")
                assert hr.locator("[data-testid=identity-lock]").count() == 0
                shot(hr, "lock-4-hr-unlocked", FOLDER)
    assert Interview.get_by_id(interview.id).identity_attempts == 0

    page.goto(f"{app_url}/i/{token}/status")
    assert page.locator("[data-testid=identity-locked]").count() == 0
    page.click("a:has-text(\"继续 AI 面试\")")
    assert page.url.endswith("/identity")
    shot(page, "lock-5-candidate-again", FOLDER)

"""The candidate pages work under the real Content-Security-Policy: no violation in Chromium's console."""
import pytest

from app.interview.models import Interview
from tests.support.browser import shot
from tests.support.interviews import NAME, PHONE, invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.enforce_csp]


def csp_errors(page):
    return [m for m in page.console_messages if "Content Security Policy" in m]


def test_setup_pages_run_their_scripts_under_the_csp(live_app, phone):
    _, base = live_app
    interview, token = invite(make_short_job())
    phone.goto(f"{base}/i/{token}")
    phone.click("#start")
    phone.wait_for_selector("#consent-form")
    phone.check("#recording")
    phone.click("label[for=bio-yes]")
    phone.click("#consent-submit")  # enabled by the consent page's inline script (nonce)
    phone.wait_for_selector("#identity-form")
    phone.fill("#name", NAME)
    phone.fill("#phone_last4", PHONE[-4:])
    phone.wait_for_selector("#face-take:not([disabled])")  # identity.js opened the camera
    shot(phone, "security-csp-identity")
    assert csp_errors(phone) == []
    assert Interview.get_by_id(interview.id).consent_biometric is True


def test_question_page_runs_under_the_csp(live_app, phone):
    _, base = live_app
    interview, token = invite(make_short_job())
    make_ready(interview, biometric=False)
    phone.goto(f"{base}/i/{token}/question")
    from playwright.sync_api import expect
    expect(phone.locator("#timer-value")).not_to_have_text("--")  # question.js is running its countdown
    assert csp_errors(phone) == []

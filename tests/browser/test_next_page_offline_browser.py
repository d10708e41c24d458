"""The network drops right after a step's POST succeeded, as the H5 opens the next step (Chromium at 390 px).

The server has the step; the candidate must see our page, not Chromium's / WeChat's own error page, and go on once
the network is back. Every wait is for a state of the page, never a sleep that depends on the machine's speed.
"""
import pytest

from app.interview.models import Answer, Interview
from tests.support.browser import shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def our_page_or_the_browsers(page, tries=300):
    """Until the page shows our banner or the browser's own error page (what the candidate saw before); the URL."""
    for _ in range(tries):
        if page.url.startswith("chrome-error:") or page.is_visible(".js-net-banner"):
            return page.url
        page.wait_for_timeout(100)
    raise AssertionError(f"neither our banner nor the browser's error page: {page.url}")


def hold_opening(page, pattern):
    """Hold the page's first GET of `pattern` (the next step's page, asked for once the step's POST went through)
    unanswered; returns the list it goes into."""
    held = []

    def hold_first(route):
        if route.request.method != "GET" or held:
            route.continue_()
            return
        held.append(route)

    page.route(pattern, hold_first)
    return held


def network_drops(page, held):
    """Once the next page was asked for: that request fails for want of a network, and the phone stays offline
    (Chromium does not switch to offline while a page's navigation is held by the test)."""
    for _ in range(300):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the next page was never asked for"
    held[0].abort("internetdisconnected")
    page.context.set_offline(True)


def test_consent_accepted_then_the_network_drops_shows_our_page_and_goes_on(live_app, phone):
    """Consent was stored, and the network dropped before the identity page came: the page opened it by a
    navigation, so the candidate saw Chromium's "无法访问此网站 ERR_INTERNET_DISCONNECTED" page, not knowing whether
    the consent counted. The page now fetches the next step before showing it: offline, it stays, says 网络中断,
    正在重试… (what was sent is saved) with 重试, and shows the identity step once the network is back."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1))
    page = phone
    held = hold_opening(page, f"**/i/{token}/identity")
    page.goto(f"{base}/i/{token}/consent")
    page.click("label[for=recording]")
    page.click("label[for=bio-no]")
    page.click("#consent-submit")
    network_drops(page, held)
    url = our_page_or_the_browsers(page)
    assert Interview.get_by_id(interview.id).consent_recording_at is not None
    if url.startswith("chrome-error:"):
        shot(page, "h5next-00-before-browser-error-page")
    assert not url.startswith("chrome-error:"), f"the browser's own error page replaced ours: {url}"
    told = page.inner_text(".js-net-banner")
    assert "网络中断,正在重试" in told and "已保存" in told, told
    assert page.is_visible(".js-net-banner button")
    shot(page, "h5next-01-consent-stored-then-offline")
    page.context.set_offline(False)
    page.wait_for_selector("#identity-form", timeout=20000)
    assert page.url.endswith(f"/i/{token}/identity")
    shot(page, "h5next-02-back-online-identity")


def test_an_answer_uploaded_as_the_network_drops_opens_the_next_question_once_back(live_app, phone):
    """The answer's upload and the server's check that it is online both went through, and the network dropped as
    the next question's page was opened: Chromium's error page again. The page now fetches the next question's
    page and shows it in place: offline, it says so and retries, and the next question's clock starts once (the
    page is fetched once, not fetched and then opened again)."""
    from app.interview.models import QuestionStart
    app, base = live_app
    interview, token = invite(make_short_job(questions=2, think=1, answer=3, retakes=0))
    make_ready(interview, biometric=False)
    page = phone
    held = hold_opening(page, f"**/i/{token}")
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=review]", timeout=30000)
    page.click("#btn-submit")
    network_drops(page, held)
    url = our_page_or_the_browsers(page)
    assert Answer.select().count() == 1
    if url.startswith("chrome-error:"):
        shot(page, "h5next-00-before-browser-error-page")
    assert not url.startswith("chrome-error:"), f"the browser's own error page replaced ours: {url}"
    assert "网络中断,正在重试" in page.inner_text(".js-net-banner")
    shot(page, "h5next-03-answer-stored-then-offline")
    page.context.set_offline(False)
    page.wait_for_selector("text=第 2 / 2 题", timeout=20000)
    assert page.url.endswith(f"/i/{token}/question")
    assert QuestionStart.select().where(QuestionStart.question != Answer.get().question).count() == 1

"""A reload must not buy think time: the question page continues the server's countdown (Chromium, real server)."""
import re

import pytest

from app.models import QuestionStart
from tests.browser.conftest import shot
from tests.candidate.fixtures import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def shown_seconds(page):
    text = page.inner_text("#timer-value")
    match = re.fullmatch(r"(\d+):(\d\d)", text.strip())
    assert match, text
    return int(match.group(1)) * 60 + int(match.group(2))


def test_reload_continues_the_think_countdown(live_app, phone):
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=6, answer=4, retakes=0))
    make_ready(interview, biometric=True)
    page = phone
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=thinking]")
    assert shown_seconds(page) in (5, 6)
    shot(page, "timer-01-first-view")
    page.wait_for_timeout(3000)
    page.reload()
    page.wait_for_selector("#recorder[data-state=thinking], #recorder[data-state=recording]")
    if page.get_attribute("#recorder", "data-state") == "thinking":
        left = shown_seconds(page)
        assert left <= 4, left  # continued, not back at 6
        assert "继续倒计时" in page.inner_text("#rec-tip")
    shot(page, "timer-02-after-reload")
    assert QuestionStart.select().count() == 1
    page.wait_for_selector("#recorder[data-state=recording]", timeout=10000)


def test_reopened_after_the_think_time_records_at_once(live_app, phone):
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=3, answer=4, retakes=0))
    make_ready(interview, biometric=True)
    page = phone
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=thinking]")
    page.goto("about:blank")  # the candidate leaves while thinking ...
    page.wait_for_timeout(4000)
    page.goto(f"{base}/i/{token}/question")  # ... and comes back after the think time ended
    page.wait_for_selector("#recorder[data-state=recording]")
    assert "思考时间已结束" in page.inner_text("#rec-tip")
    assert "刷新或重新打开页面不会重新计时" in page.inner_text("#timer-rule")
    page.wait_for_timeout(500)
    shot(page, "timer-03-reopened-after-think-time")
    page.wait_for_selector("#recorder[data-state=review]", timeout=15000)  # the answer limit still applies

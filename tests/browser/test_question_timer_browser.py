"""A reload must not buy think time: the question page continues the server's countdown (Chromium, real server)."""
import re
import time

import pytest

from app.core.base import utcnow
from app.interview.models import QuestionStart
from tests.support.browser import shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def shown_seconds(page):
    text = page.inner_text("#timer-value")
    match = re.fullmatch(r"(\d+):(\d\d)", text.strip())
    assert match, text
    return int(match.group(1)) * 60 + int(match.group(2))


def recording_started(tries=100):
    """The question's QuestionStart once the server has the recording's start (polled: the page's POST is async)."""
    for _ in range(tries):
        row = QuestionStart.get()
        if row.recording_started_at is not None:
            return row
        time.sleep(0.1)
    raise AssertionError("the server never had the recording's start")


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


def test_reload_while_recording_continues_with_the_time_left(live_app, phone):
    from app.interview.models import Answer
    from app.interview.question_clock import ANSWER_TOLERANCE_SECONDS
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=2, answer=12, retakes=0))
    make_ready(interview, biometric=True)
    page = phone
    # The page asks before leaving while recording; the candidate (or WeChat) reloads anyway.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=recording]")
    row = recording_started()
    assert row.recording_limit_s == 12
    # At least 4 s of the answer window gone by the server's clock (the page shows recording before the server
    # has the start: a fixed wait after the page's state left 8.x s, shown as 9, on a busy machine).
    page.wait_for_timeout(max(0, 4.3 - (utcnow() - row.recording_started_at).total_seconds()) * 1000)
    page.reload()
    page.wait_for_selector("#recorder[data-state=recording]")
    left = shown_seconds(page)
    assert 0 < left <= 8, left
    tip = page.inner_text("#rec-tip")
    assert "录制中页面被刷新" in tip and "本题剩余作答时间 0:0" in tip and "已继续录制" in tip
    assert not page.is_hidden("#rec-badge")
    page.wait_for_timeout(300)
    shot(page, "timer-04-reloaded-while-recording")
    row = QuestionStart.get()
    assert row.recording_restarts == 1 and row.recording_limit_s <= 8
    # The restarted recording stops by itself when the time left is over, and is stored once.
    page.wait_for_selector("#recorder[data-state=review]", timeout=15000)
    page.click("#btn-submit")
    page.wait_for_url(f"{base}/i/{token}/done", timeout=30000)
    answers = list(Answer.select())
    assert len(answers) == 1 and answers[0].attempt == 1
    assert answers[0].duration_s <= row.recording_limit_s + ANSWER_TOLERANCE_SECONDS, answers[0].duration_s
    assert QuestionStart.select().count() == 1


def test_back_after_the_answer_time_uses_the_retake(live_app, phone):
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=3, retakes=1))
    make_ready(interview, biometric=False)
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=recording]")
    page.goto("about:blank")  # the page is gone while recording (WeChat killed it) ...
    page.wait_for_timeout(4500)
    page.goto(f"{base}/i/{token}/question")  # ... for longer than the answer time
    page.wait_for_selector("#recorder[data-state=thinking], #recorder[data-state=recording]")
    assert "已使用一次重新录制机会" in page.inner_text("#rec-tip")
    shot(page, "timer-05-answer-time-over-retake")
    page.wait_for_selector("#recorder[data-state=recording]")
    starts = {row.attempt: row for row in QuestionStart.select()}
    assert set(starts) == {1, 2} and starts[1].recording_limit_s == 0
    page.wait_for_selector("#recorder[data-state=review]", timeout=15000)
    assert page.is_hidden("#btn-retake")  # attempt 2 was the last one


@pytest.mark.parametrize("biometric", [False, True], ids=["audio-only", "video"])
def test_the_recording_tip_fits_what_is_recorded(live_app, phone, biometric):
    """A candidate who declined biometrics records sound only: they are told to speak, not to look at a camera."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=10, answer=6, retakes=0))
    make_ready(interview, biometric=biometric)
    page = phone
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=thinking]")
    page.click("#btn-start")
    page.wait_for_selector("#recorder[data-state=recording]")
    tip = page.inner_text("#rec-tip")
    if biometric:
        assert "请看着镜头作答" in tip
    else:
        assert "镜头" not in tip and "正在录音" in tip
        assert page.locator("#live").count() == 0
    shot(page, f"timer-06-recording-{'video' if biometric else 'audio-only'}")

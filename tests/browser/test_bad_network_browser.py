"""The candidate's interview under a bad network and awkward use: two tabs of one link, offline at the end.

Chromium at 390 px with a fake camera and microphone against the real server; every wait is for a state of the page
(never a sleep that depends on the machine's speed).
"""
import pytest

from app.interview.models import Answer, Interview
from tests.support.browser import shot
from tests.support.interviews import invite, make_ready, make_short_job

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

RECORDER = "#recorder[data-state={}]"


def review_in(page, base, token):
    """Open the question page and let the think time run out; the recording stops itself at the answer limit."""
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector(RECORDER.format("review"), timeout=30000)


def test_two_tabs_submitting_one_question_tell_the_second_which_answer_counts(live_app, phone):
    """The link open in two tabs, both recording question 1: the first submission was stored and the second tab said
    上传成功 and moved on, its recording thrown away without a word. It now says that the answer submitted in the other
    page counts and that this recording was not used, and moves on only when the candidate taps 继续."""
    app, base = live_app
    job = make_short_job(questions=2, think=1, answer=3, retakes=0)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    first, second = phone, phone.context.new_page()
    second.set_default_timeout(20000)
    review_in(first, base, token)
    review_in(second, base, token)
    first.click("#btn-submit")
    first.wait_for_selector("text=第 2 / 2 题", timeout=30000)
    answer = Answer.get()
    second.click("#btn-submit")
    second.wait_for_selector(RECORDER.format("superseded"), timeout=30000)
    told = second.inner_text("#recorder")
    assert "另一个页面" in told and "为准" in told and "未被采用" in told, told
    assert second.is_visible("#btn-next")
    shot(second, "badnet-01-two-tabs-second-told")
    # Nothing of the accepted answer moved: one answer, the first tab's, and the page waits for the candidate.
    assert Answer.select().count() == 1 and Answer.get().media_key == answer.media_key
    assert "/question" in second.url
    second.click("#btn-next")
    second.wait_for_selector("text=第 2 / 2 题")
    assert Interview.get_by_id(interview.id).status == "in_progress"

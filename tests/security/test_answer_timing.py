"""An answer cannot have been recorded before its question was shown (issue 20: a 20 s recording was accepted 0.5 s
after the question appeared). The server's own clocks decide: when the attempt was first shown
(QuestionStart.shown_at) and when the upload completes; honest answers always fit, with room for clock and network."""
import datetime as dt

import pytest

from app.interview.models import Answer, QuestionStart
from tests.security.helpers import auth, complete, small_chunks, upload
from tests.support.browser import shot
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.media import ffmpeg_media


def shown_question(client, token):
    res = client.get("/mp/api/v1/questions/next", headers=auth(token))
    assert res.status_code == 200, res.json
    return res.json["question"]["id"]


def shown_earlier(seconds):
    """As if the question had been on screen for `seconds` already (the candidate thought, then recorded)."""
    for row in QuestionStart.select():
        QuestionStart.update(shown_at=row.shown_at - dt.timedelta(seconds=seconds)).where(
            QuestionStart.id == row.id).execute()


def test_a_recording_longer_than_the_time_since_the_question_was_shown_is_refused(app, client, media_dir):
    small_chunks()
    job = make_short_job(questions=1, think=5, answer=60)
    interview, token = invite(job)
    make_ready(interview)
    prepared = ffmpeg_media(media_dir / "prepared.webm", seconds=20, video=False).read_bytes()
    question_id = shown_question(client, token)   # the text is on screen now
    res = complete(client, token, upload(client, token, question_id, prepared, mime="audio/webm"))
    assert res.status_code == 422 and res.json["error"]["code"] == "answer_before_question"
    assert "重新录制" in res.json["error"]["message"]
    assert Answer.select().count() == 0

    # An honest candidate records after the question appeared: the same 20 s, shown 25 s before, is taken.
    shown_earlier(25)
    res = complete(client, token, upload(client, token, question_id, prepared, mime="audio/webm"))
    assert res.status_code == 201 and Answer.select().count() == 1


def test_the_tolerance_covers_clock_and_network_but_not_a_prepared_answer(app, client, media_dir):
    """Shown 18 s ago: a 20 s recording fits within the tolerance (web hosts' clocks, MediaRecorder's late stop)."""
    small_chunks()
    job = make_short_job(questions=1, think=5, answer=60)
    interview, token = invite(job)
    make_ready(interview)
    question_id = shown_question(client, token)
    shown_earlier(18)
    answer = ffmpeg_media(media_dir / "answer.webm", seconds=20, video=False).read_bytes()
    assert complete(client, token, upload(client, token, question_id, answer, mime="audio/webm")).status_code == 201


@pytest.mark.browser
@pytest.mark.timeout(120)
def test_the_candidate_is_told_and_records_again(live_app, phone):
    """In Chromium: a recording the server refuses as made before the question appeared says why and offers to
    record the same attempt again (not a retry of the same file). The server's record of the showing is moved
    forward while recording, which is what a prepared file looks like to it."""
    app, base = live_app
    interview, token = invite(make_short_job(questions=1, think=1, answer=8, retakes=0))
    make_ready(interview)
    page = phone
    page.goto(f"{base}/i/{token}/question")
    page.wait_for_selector("#recorder[data-state=recording]")
    shown_earlier(-60)
    page.wait_for_selector("#recorder[data-state=review]", timeout=20000)
    page.click("#btn-submit")
    page.wait_for_selector("#recorder[data-state=failed]", timeout=30000)
    assert "题目显示后才过了" in page.inner_text("#upload-text")
    assert page.is_visible("#btn-retake") and page.is_hidden("#btn-retry")
    shot(page, "answer-before-question", folder="security")
    assert Answer.select().count() == 0

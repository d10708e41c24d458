"""The question clock through the JSON API and the H5 page: a second look does not restart the think time."""
import datetime as dt
import json
import math
import re

from app.core.base import utcnow
from app.interview.models import QuestionStart, Upload
from tests.mini_program_api.test_uploads import auth, chunks_of, put
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.media import ffmpeg_media


def ready_interview(think=20, answer=4, retakes=1):
    job = make_short_job(questions=2, think=think, answer=answer, retakes=retakes)
    interview, token = invite(job)
    interview = make_ready(interview)
    return job, interview, token


def shift_back(seconds):
    """Pretend every attempt was first shown `seconds` earlier (instead of sleeping in the test)."""
    for row in QuestionStart.select():
        QuestionStart.update(shown_at=row.shown_at - dt.timedelta(seconds=seconds)).where(
            QuestionStart.id == row.id).execute()


def test_next_question_has_the_server_clock(client):
    job, interview, token = ready_interview()
    res = client.get("/mp/api/v1/questions/next", headers=auth(token))
    assert res.status_code == 200
    q = res.json["question"]
    assert q["answer_seconds"] == 4 and q["think_remaining_s"] in (19, 20)
    assert q["timing"]["attempt"] == 1 and q["timing"]["think_seconds"] == 20
    shift_back(8)
    again = client.get("/mp/api/v1/questions/next", headers=auth(token)).json["question"]
    assert again["think_remaining_s"] <= 12 and QuestionStart.select().count() == 1
    # The question list shows the same (already started) clock.
    listed = client.get("/mp/api/v1/questions", headers=auth(token)).json["questions"]
    assert listed[0]["think_remaining_s"] <= 12 and "think_remaining_s" not in listed[1]
    shift_back(30)
    assert client.get("/mp/api/v1/questions/next", headers=auth(token)).json["question"]["think_remaining_s"] == 0


def test_start_a_retake(client):
    job, interview, token = ready_interview()
    q1 = job.ordered_questions()[0]
    res = client.post(f"/mp/api/v1/questions/{q1.id}/start", headers=auth(token), json={"attempt": 2})
    assert res.status_code == 200, res.json
    assert res.json["attempt"] == 2 and res.json["think_seconds"] == 3 and res.json["answer_seconds"] == 4
    first = client.post(f"/mp/api/v1/questions/{q1.id}/start", headers=auth(token))
    assert first.json["attempt"] == 1 and first.json["think_seconds"] == 20
    bad = [client.post(f"/mp/api/v1/questions/{q1.id}/start", headers=auth(token), json={"attempt": 3}),
           client.post(f"/mp/api/v1/questions/{q1.id}/start", headers=auth(token), json={"attempt": "2"}),
           client.post("/mp/api/v1/questions/999999/start", headers=auth(token), json={})]
    assert [(r.status_code, r.json["error"]["code"]) for r in bad] == [
        (409, "no_retakes_left"), (400, "invalid_attempt"), (400, "question_not_in_interview")]


def test_over_long_answer_is_refused_with_answer_too_long(client, tmp_path):
    job, interview, token = ready_interview(answer=4)
    q1 = job.ordered_questions()[0]
    data = ffmpeg_media(tmp_path / "long.webm", seconds=10.0, video=False).read_bytes()
    init = client.post("/mp/api/v1/uploads", headers=auth(token), json={
        "question_id": q1.id, "attempt": 1, "mime_type": "audio/webm", "total_bytes": len(data)})
    upload_id = init.json["upload_id"]
    for index, part in enumerate(chunks_of(data, init.json["chunk_bytes"])):
        assert put(client, token, upload_id, index, part).status_code == 200
    res = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert res.status_code == 422 and res.json["error"]["code"] == "answer_too_long"
    assert "超过了本题 4 秒的作答时间" in res.json["error"]["message"]
    assert Upload.get_by_id(upload_id).status == "open"
    # Retryable: completing again gives the same answer (the file did not change), nothing was stored.
    assert client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token)).status_code == 422


def test_question_page_continues_the_countdown(client):
    job, interview, token = ready_interview(think=20)

    def timing():
        page = client.get(f"/i/{token}/question").get_data(as_text=True)
        config = re.search(r'<script id="question-config" type="application/json">(.*?)</script>', page, re.S)
        return json.loads(config.group(1))["timing"]

    first = timing()
    assert first["attempt"] == 1 and first["thinkRemaining"] in (19, 20)
    shift_back(7)
    again = timing()
    assert again["thinkRemaining"] <= 13 and again["reopened"] is True
    assert QuestionStart.select().count() == 1
    assert again["recordingStarted"] is False


def shift_recording_back(seconds):
    """Pretend recording started `seconds` earlier (and so the question was shown at least that much earlier)."""
    for row in QuestionStart.select().where(QuestionStart.recording_started_at.is_null(False)):
        QuestionStart.update(recording_started_at=row.recording_started_at - dt.timedelta(seconds=seconds),
                             shown_at=row.shown_at - dt.timedelta(seconds=seconds)).where(
            QuestionStart.id == row.id).execute()


def upload_and_complete(client, token, question_id, data, attempt=1):
    init = client.post("/mp/api/v1/uploads", headers=auth(token), json={
        "question_id": question_id, "attempt": attempt, "mime_type": "audio/webm", "total_bytes": len(data)})
    upload_id = init.json["upload_id"]
    for index, part in enumerate(chunks_of(data, init.json["chunk_bytes"])):
        assert put(client, token, upload_id, index, part).status_code == 200
    return upload_id, client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))


def test_recording_start_and_restart_through_the_api(client, tmp_path):
    job, interview, token = ready_interview(think=20, answer=8, retakes=0)
    q1 = job.ordered_questions()[0]
    url = f"/mp/api/v1/questions/{q1.id}/start"
    looked = client.post(url, headers=auth(token), json={"attempt": 1}).json
    assert looked["recording_started_at"] is None and looked["answer_remaining_s"] is None
    first = client.post(url, headers=auth(token), json={"attempt": 1, "recording": True})
    assert first.status_code == 200, first.json
    assert first.json["recording_started_at"] and first.json["recording_limit_s"] == 8
    assert first.json["answer_remaining_s"] in (7, 8) and first.json["answer_time_over"] is False
    shift_recording_back(5)
    # The page reloads: its config says recording was running, the restart gets what is left.
    page = client.get(f"/i/{token}/question").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="question-config" type="application/json">(.*?)</script>',
                                  page, re.S).group(1))
    assert config["timing"]["recordingStarted"] is True
    before = utcnow()
    again = client.post(url, headers=auth(token), json={"attempt": 1, "recording": True}).json
    after = utcnow()
    parse = lambda v: dt.datetime.fromisoformat(v.rstrip("Z"))  # noqa: E731
    # Set once: it moved only by the test's shift.
    assert parse(first.json["recording_started_at"]) - parse(again["recording_started_at"]) == dt.timedelta(seconds=5)
    # What is left of the 8 s window at the restart (the server's clock read between `before` and `after`: on a
    # busy machine that can be well after the shift, so no fixed number); the API rounds it to 0.1 s.
    deadline = parse(again["recording_started_at"]) + dt.timedelta(seconds=8)
    left = again["recording_limit_s"]
    assert (deadline - after).total_seconds() - 0.05 <= left <= min(3, (deadline - before).total_seconds()) + 0.05
    assert again["answer_remaining_s"] in {math.ceil((deadline - t).total_seconds()) for t in (before, after)}
    # 6 s would have fitted the first recording (8 + 3), not the restarted one (3 + 3), recorded after the
    # restart: 7 s go by before its upload opens.
    shift_recording_back(7)
    upload_id, res = upload_and_complete(client, token, q1.id,
                                         ffmpeg_media(tmp_path / "six.webm", seconds=6.5, video=False).read_bytes())
    assert res.status_code == 422 and res.json["error"]["code"] == "answer_too_long"
    whole = math.ceil(left)
    assert res.json["error"]["details"]["limit_s"] == whole
    assert f"页面刷新后剩余的 {whole} 秒" in res.json["error"]["message"]
    assert Upload.get_by_id(upload_id).status == "open"
    # Recording again after the refusal: full time, the same upload completes and is stored once.
    assert client.post(url, headers=auth(token), json={"attempt": 1, "recording": True}).json[
        "recording_limit_s"] == 8
    done = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert done.status_code == 201 and done.json["answer"]["attempt"] == 1
    late = client.post(url, headers=auth(token), json={"attempt": 1, "recording": True})
    assert (late.status_code, late.json["error"]["code"]) == (409, "attempt_submitted")


def test_recording_start_input_is_checked(client):
    job, interview, token = ready_interview()
    q1 = job.ordered_questions()[0]
    url = f"/mp/api/v1/questions/{q1.id}/start"
    bad = [client.post(url, headers=auth(token), json={"recording": True}),
           client.post(url, headers=auth(token), json={"attempt": 1, "recording": "yes"}),
           client.post(url, headers=auth(token), json={"attempt": 5, "recording": True})]
    assert [(r.status_code, r.json["error"]["code"]) for r in bad] == [
        (400, "invalid_attempt"), (400, "invalid_recording"), (409, "no_retakes_left")]
    assert QuestionStart.select().where(QuestionStart.recording_started_at.is_null(False)).count() == 0

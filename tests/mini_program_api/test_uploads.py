"""The chunked upload API through the Flask test client, with real media, real storage and the real RQ queue."""
import datetime as dt
from pathlib import Path

import av
import pytest
import rq

from app.core.storage import get_storage
from app.interview.answer_jobs import PROCESS_ANSWER
from app.interview.models import Answer, Interview, Upload
from app.interview.uploads import chunk_prefix
from tests.support.interviews import invite, make_ready, make_short_job

CHUNK = 4096


@pytest.fixture
def small_chunks(app):
    from app.core.extensions import settings
    settings["UPLOAD_CHUNK_BYTES"] = CHUNK
    return CHUNK


@pytest.fixture
def setup(app, small_chunks):
    job = make_short_job(questions=2, retakes=1)
    interview, token = invite(job)
    make_ready(interview)
    return job, interview, token


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def init(client, token, question_id, data, attempt=1, mime="video/webm;codecs=vp8,opus"):
    return client.post("/mp/api/v1/uploads", headers=auth(token),
                       json={"question_id": question_id, "attempt": attempt, "mime_type": mime,
                             "total_bytes": len(data)})


def chunks_of(data, size=CHUNK):
    return [data[i:i + size] for i in range(0, len(data), size)]


def put(client, token, upload_id, index, body):
    return client.put(f"/mp/api/v1/uploads/{upload_id}/chunks/{index}", headers=auth(token), data=body,
                      content_type="application/octet-stream")


def upload_all(client, token, question_id, data, attempt=1, order=None):
    res = init(client, token, question_id, data, attempt)
    assert res.status_code == 201, res.json
    upload_id = res.json["upload_id"]
    parts = chunks_of(data)
    for index in order or range(len(parts)):
        assert put(client, token, upload_id, index, parts[index]).status_code == 200
    return upload_id


def media_queue(redis_conn):
    return rq.Queue("media", connection=redis_conn)


def test_out_of_order_and_repeated_chunks_make_one_answer_and_one_job(client, setup, webm_bytes, redis_conn):
    job, interview, token = setup
    q1 = job.ordered_questions()[0]
    n = len(chunks_of(webm_bytes))
    order = list(reversed(range(n))) + [0, n // 2]  # backwards, then two repeats
    upload_id = upload_all(client, token, q1.id, webm_bytes, order=order)
    status = client.get(f"/mp/api/v1/uploads/{upload_id}", headers=auth(token)).json
    assert status["received"] == list(range(n)) and status["missing"] == []
    first = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert first.status_code == 201, first.json
    again = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert again.status_code == 200 and again.json["answer"]["id"] == first.json["answer"]["id"]
    assert again.json["created"] is False
    answers = list(Answer.select())
    assert len(answers) == 1
    answer = answers[0]
    assert answer.has_video is False  # audio-only interview (no biometric consent): no face analysis
    assert answer.duration_s == pytest.approx(2.0, abs=0.2) and answer.size_bytes == len(webm_bytes)
    with av.open(str(get_storage().path_for(answer.media_key))) as container:
        # Every chunk arrived in order: the whole sound is there (the picture is dropped, audio only).
        assert container.streams.audio and not container.streams.video
        assert sum(p.size for p in container.demux(container.streams.audio[0])) > 0
    queued = media_queue(redis_conn).get_jobs()
    assert [(j.id, j.func_name, j.args) for j in queued] == [
        (f"process-answer-{answer.id}", PROCESS_ANSWER.func, (answer.id,))]
    assert not get_storage().keys(chunk_prefix(upload_id))
    assert not list((Path(get_storage().root) / "tmp").iterdir())  # the assembled file went into storage
    # A chunk re-sent after completion (a late retry) is harmless.
    assert put(client, token, upload_id, 0, chunks_of(webm_bytes)[0]).status_code == 200


def test_missing_chunk_is_a_conflict_naming_it_then_resumes(client, setup, webm_bytes, redis_conn):
    job, _, token = setup
    parts = chunks_of(webm_bytes)
    upload_id = upload_all(client, token, job.ordered_questions()[0].id, webm_bytes,
                           order=[i for i in range(len(parts)) if i != 1])
    res = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert res.status_code == 409
    assert res.json["error"]["code"] == "chunks_missing" and res.json["error"]["details"]["missing"] == [1]
    # Re-init (a reloaded page that lost the upload id) returns the same upload and what it already has.
    again = init(client, token, job.ordered_questions()[0].id, webm_bytes)
    assert again.json["upload_id"] == upload_id and again.json["missing"] == [1]
    assert put(client, token, upload_id, 1, parts[1]).status_code == 200
    assert client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token)).status_code == 201
    assert Answer.select().count() == 1 and media_queue(redis_conn).count == 1


def test_chunk_with_other_bytes_or_size_is_refused(client, setup, webm_bytes):
    job, _, token = setup
    upload_id = init(client, token, job.ordered_questions()[0].id, webm_bytes).json["upload_id"]
    first = chunks_of(webm_bytes)[0]
    assert put(client, token, upload_id, 0, first).status_code == 200
    res = put(client, token, upload_id, 0, bytes(reversed(first)))
    assert res.status_code == 409 and res.json["error"]["code"] == "chunk_mismatch"
    assert put(client, token, upload_id, 1, first + b"x").status_code == 413
    assert put(client, token, upload_id, 1, first[:10]).status_code == 400
    assert put(client, token, upload_id, 10_000, first).status_code == 400


def test_truncated_recording_is_refused_with_an_actionable_message_and_stays_retryable(client, setup, webm_bytes,
                                                                                      redis_conn):
    job, _, token = setup
    q1 = job.ordered_questions()[0]
    cut = webm_bytes[: len(webm_bytes) // 2]
    upload_id = upload_all(client, token, q1.id, cut)
    res = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert res.status_code == 422
    assert res.json["error"]["code"] == "media_invalid"
    assert res.json["error"]["message"].startswith("录制文件不完整,请重新录制本题")
    assert Answer.select().count() == 0 and media_queue(redis_conn).count == 0
    assert Upload.get_by_id(upload_id).status == "open"
    # Re-recording the same attempt replaces the broken upload and succeeds.
    good_id = upload_all(client, token, q1.id, webm_bytes)
    assert good_id != upload_id
    assert client.post(f"/mp/api/v1/uploads/{good_id}/complete", headers=auth(token)).status_code == 201
    assert client.get(f"/mp/api/v1/uploads/{upload_id}", headers=auth(token)).status_code == 404


def test_garbage_is_refused(client, setup):
    job, _, token = setup
    upload_id = upload_all(client, token, job.ordered_questions()[0].id, b"not a video at all" * 100)
    res = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert res.status_code == 422 and "重新录制" in res.json["error"]["message"]


def test_oversized_and_unsupported_uploads_are_refused(client, setup, app):
    job, _, token = setup
    q1 = job.ordered_questions()[0].id
    headers = auth(token)
    big = app.config["UPLOAD_MAX_BYTES"] + 1
    res = client.post("/mp/api/v1/uploads", headers=headers,
                      json={"question_id": q1, "mime_type": "video/webm", "total_bytes": big})
    assert res.status_code == 413 and res.json["error"]["code"] == "upload_too_large"
    res = client.post("/mp/api/v1/uploads", headers=headers,
                      json={"question_id": q1, "mime_type": "application/x-sh", "total_bytes": 10})
    assert res.status_code == 400 and res.json["error"]["code"] == "unsupported_media_type"
    assert Upload.select().count() == 0


def test_attempts_beyond_retakes_and_foreign_questions_are_refused(client, setup, webm_bytes):
    job, _, token = setup
    other = make_short_job(title="销售")
    q1 = job.ordered_questions()[0].id
    assert init(client, token, q1, webm_bytes, attempt=2).status_code == 201
    res = init(client, token, q1, webm_bytes, attempt=3)
    assert res.status_code == 409 and res.json["error"]["code"] == "no_retakes_left"
    res = init(client, token, other.ordered_questions()[0].id, webm_bytes)
    assert res.status_code == 400 and res.json["error"]["code"] == "question_not_in_interview"


def test_retake_keeps_both_rows_and_the_latest_counts(client, setup, webm_bytes, audio_webm_bytes, redis_conn):
    job, interview, token = setup
    q1 = job.ordered_questions()[0].id
    for attempt, data in ((1, webm_bytes), (2, audio_webm_bytes)):
        upload_id = upload_all(client, token, q1, data, attempt=attempt)
        assert client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token)).status_code == 201
    from app.interview.answers import counted_answers
    assert sorted(a.attempt for a in Answer.select()) == [1, 2]
    assert counted_answers(interview.id)[q1].attempt == 2
    assert media_queue(redis_conn).count == 2


def test_wrong_expired_and_foreign_tokens(client, setup, webm_bytes):
    job, interview, token = setup
    q1 = job.ordered_questions()[0].id
    upload_id = init(client, token, q1, webm_bytes).json["upload_id"]
    assert client.get(f"/mp/api/v1/uploads/{upload_id}").status_code == 401
    res = client.get(f"/mp/api/v1/uploads/{upload_id}", headers=auth("not-a-real-token"))
    assert res.status_code == 404 and res.json["error"]["code"] == "invalid_link"
    # Another candidate of the same job cannot see or feed this upload.
    other_interview, other_token = invite(job, name="韩梅梅", phone="13900001111")
    res = client.get(f"/mp/api/v1/uploads/{upload_id}", headers=auth(other_token))
    assert res.status_code == 404 and res.json["error"]["code"] == "upload_not_found"
    assert put(client, other_token, upload_id, 0, chunks_of(webm_bytes)[0]).status_code == 404
    assert client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(other_token)).status_code == 404
    # Expired: 410 with a clear code, on every endpoint.
    Interview.update(expires_at=dt.datetime(2020, 1, 1)).where(Interview.id == interview.id).execute()
    res = put(client, token, upload_id, 0, chunks_of(webm_bytes)[0])
    assert res.status_code == 410 and res.json["error"]["code"] == "link_expired"
    assert init(client, token, q1, webm_bytes).status_code == 410


def test_upload_before_identity_is_refused(client, app, small_chunks, webm_bytes):
    job = make_short_job()
    _, token = invite(job)
    res = init(client, token, job.ordered_questions()[0].id, webm_bytes)
    assert res.status_code == 403 and res.json["error"]["code"] == "step_required"


def test_another_recording_of_a_submitted_attempt_is_refused_naming_the_answer_that_counts(client, setup, webm_bytes,
                                                                                           audio_webm_bytes):
    """Two tabs (or a phone and a PC) recorded the same attempt: the second init got the first one's completed
    upload back, and its client took that as its own recording stored. It is told the attempt was submitted."""
    job, _, token = setup
    q1 = job.ordered_questions()[0]
    upload_id = upload_all(client, token, q1.id, webm_bytes)
    first = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token)).json["answer"]
    # The same file again (a client that lost the complete answer) still resumes: the upload is complete.
    again = init(client, token, q1.id, webm_bytes)
    assert again.status_code == 201 and again.json["status"] == "complete"
    assert again.json["answer_id"] == first["id"]
    # Another recording of that attempt: refused, saying which answer counts.
    other = init(client, token, q1.id, audio_webm_bytes)
    assert other.status_code == 409, other.json
    error = other.json["error"]
    assert error["code"] == "attempt_submitted"
    assert error["message"].startswith("本题第 1 次作答已在另一个页面或设备提交") and "为准" in error["message"]
    assert error["details"]["answer_id"] == first["id"] and error["details"]["attempt"] == 1
    assert error["details"]["duration_s"] == pytest.approx(first["duration_s"], abs=0.1)
    assert Answer.select().count() == 1 and Upload.select().count() == 1


def test_a_recording_of_the_same_size_from_another_tab_is_told_by_its_recording_id(client, setup, webm_bytes):
    """Two tabs' recordings of one attempt can have the same size (the same camera, the same seconds): the second
    init used to be given the first one's upload, its chunks ignored once complete and its complete answered 200,
    so its client said 上传成功 about a recording never stored. The client's recording id tells them apart."""
    job, _, token = setup
    q1 = job.ordered_questions()[0]

    def opened(recording):
        return client.post("/mp/api/v1/uploads", headers=auth(token), json={
            "question_id": q1.id, "attempt": 1, "mime_type": "video/webm", "total_bytes": len(webm_bytes),
            "recording": recording})

    first = opened("tab-a").json
    second = opened("tab-b").json  # another recording's open upload is replaced, as one of another size is
    assert second["upload_id"] != first["upload_id"] and Upload.get_by_id(first["upload_id"]).status == "replaced"
    for index, part in enumerate(chunks_of(webm_bytes)):
        assert put(client, token, second["upload_id"], index, part).status_code == 200
    assert client.post(f"/mp/api/v1/uploads/{second['upload_id']}/complete", headers=auth(token)).status_code == 201
    assert opened("tab-b").json["status"] == "complete"  # its own, resumed
    late = opened("tab-a")
    assert late.status_code == 409 and late.json["error"]["code"] == "attempt_submitted"
    assert opened("bad id!").status_code == 400
    assert Answer.select().count() == 1


def test_a_recording_refused_for_its_size_gives_the_attempt_its_whole_time_again(client, setup, app):
    """A recording refused at init (empty, or over UPLOAD_MAX_BYTES) is recorded again, like a file refused at
    complete: the attempt's recording clock starts again instead of leaving only what was left of its window."""
    from app.core.extensions import settings
    from app.interview.models import QuestionStart
    job, _, token = setup
    q1 = job.ordered_questions()[0]
    url = f"/mp/api/v1/questions/{q1.id}/start"
    for size in (0, settings["UPLOAD_MAX_BYTES"] + 1):
        assert client.post(url, headers=auth(token), json={"attempt": 1, "recording": True}).status_code == 200
        assert QuestionStart.get().recording_started_at is not None
        res = client.post("/mp/api/v1/uploads", headers=auth(token), json={
            "question_id": q1.id, "attempt": 1, "mime_type": "audio/webm", "total_bytes": size})
        assert res.status_code in (400, 413) and "重新录制" in res.json["error"]["message"]
        row = QuestionStart.get()
        assert row.recording_started_at is None and row.recording_limit_s is None

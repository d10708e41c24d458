"""Upload completion (answers and attachments) cannot hang on a dead process's lock; late retakes are refused; one
open upload per attempt; the length is checked before the whole file is decoded."""
import secrets
import threading

import pytest
import redis.lock

from app.core.db import database
from app.interview.models import Answer, Interview, Upload
from tests.conversation.helpers import invite as invite_candidate
from tests.conversation.helpers import png_bytes
from tests.security.helpers import complete, init, small_chunks, upload
from tests.support.app import make_app
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.media import ffmpeg_media, undecodable_media


def ready(questions=2, biometric=False):
    small_chunks()
    job = make_short_job(questions=questions, retakes=1)
    interview, token = invite(job)
    make_ready(interview, biometric=biometric)
    return job, interview, token


def test_a_crashed_completer_leaves_a_lock_that_expires_soon(app, client, audio_webm_bytes, redis_conn,
                                                               monkeypatch):
    job, _, token = ready()
    upload_id = upload(client, token, job.ordered_questions()[0].id, audio_webm_bytes, mime="audio/webm")
    monkeypatch.setattr(redis.lock.Lock, "release", lambda self: None)  # the process died: nothing releases
    assert complete(client, token, upload_id).status_code == 201
    ttl = redis_conn.ttl(f"lock:upload-complete:{upload_id}")
    assert 0 < ttl <= app.config["UPLOAD_LOCK_SECONDS"] <= 60, ttl


def test_a_retry_while_the_lock_is_held_gets_409_at_once_not_a_hang(app, client, audio_webm_bytes, redis_conn):
    job, _, token = ready()
    upload_id = upload(client, token, job.ordered_questions()[0].id, audio_webm_bytes, mime="audio/webm")
    # What a web process killed during complete leaves behind: its lock, with someone else's token.
    redis_conn.set(f"lock:upload-complete:{upload_id}", "dead-process-token", ex=30)
    res = complete(client, token, upload_id)
    assert res.status_code == 409 and res.json["error"]["code"] == "upload_in_progress"
    assert int(res.headers["Retry-After"]) >= 1
    redis_conn.delete(f"lock:upload-complete:{upload_id}")  # it expired
    assert complete(client, token, upload_id).status_code == 201


def test_a_retake_completed_after_the_interview_ended_is_refused(app, client, audio_webm_bytes):
    job, interview, token = ready(questions=2)
    q1, q2 = job.ordered_questions()
    assert complete(client, token, upload(client, token, q1.id, audio_webm_bytes, mime="audio/webm")).status_code == 201
    late = upload(client, token, q1.id, audio_webm_bytes, attempt=2, mime="audio/webm")  # retake opened in time
    assert complete(client, token, upload(client, token, q2.id, audio_webm_bytes, mime="audio/webm")).status_code == 201
    assert Interview.get_by_id(interview.id).status == "completed"
    res = complete(client, token, late)
    assert res.status_code == 409 and res.json["error"]["code"] == "interview_finished"
    assert Answer.select().where(Answer.attempt == 2).count() == 0


@pytest.fixture
def pg_app(tmp_path, redis_conn):
    app = make_app(tmp_path, db="postgresql")
    with app.app_context(), database.connection_context():
        yield app


def test_parallel_inits_leave_one_open_upload(pg_app, audio_webm_bytes):
    """Both inits looked for an open upload before either created one: the other init's transaction has created
    it but not committed when this init looks, and commits only once this init's insert waits on it."""
    client = pg_app.test_client()
    job, interview, token = ready()
    question = job.ordered_questions()[0]
    created, other = threading.Event(), {}

    def other_init():
        with pg_app.app_context(), database.connection_context(), database.atomic():
            other["id"] = Upload.create(id=secrets.token_hex(16), interview=interview.id, question=question.id,
                                        attempt=1, mime_type="audio/webm", total_bytes=len(audio_webm_bytes),
                                        chunk_bytes=pg_app.config["UPLOAD_CHUNK_BYTES"], total_chunks=1).id
            created.set()
            # Commit once another transaction waits on this one (this init's insert on the unique index).
            while not database.execute_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]:
                threading.Event().wait(0.01)

    thread = threading.Thread(target=other_init)
    thread.start()
    assert created.wait(30)
    res = init(client, token, question.id, audio_webm_bytes, mime="audio/webm")
    thread.join(30)
    assert res.status_code in (200, 201), res.json
    assert res.json["upload_id"] == other["id"]
    assert Upload.select().where((Upload.interview == interview.id) & (Upload.status == "open")).count() == 1


def test_the_length_is_checked_before_the_file_is_decoded(app, client, media_dir):
    """A minute of packets that no decoder accepts: refused as too long, so it was refused from the packets'
    timestamps before anything was decoded (decoding first would refuse it as unreadable, media_invalid)."""
    job, _, token = ready()  # answer time 4 s
    for name, recording in (("long", ffmpeg_media(media_dir / "long-answer.webm", seconds=60, video=False)),
                            ("undecodable", undecodable_media(media_dir / "long-undecodable.webm", seconds=60))):
        upload_id = upload(client, token, job.ordered_questions()[0].id, recording.read_bytes(), mime="audio/webm")
        res = complete(client, token, upload_id)
        assert res.status_code == 422 and res.json["error"]["code"] == "answer_too_long", (name, res.json)


def _attachment_chunks(client, token, data):
    """Init an attachment upload and send its chunks (not completed); return the upload id."""
    headers = {"Authorization": f"Bearer {token}"}
    res = client.post("/mp/api/v1/conversation/attachments", json={"filename": "作品.png", "total_bytes": len(data)},
                      headers=headers)
    assert res.status_code == 201, res.json
    up = res.json
    for index in up["missing"]:
        chunk = data[index * up["chunk_bytes"]:(index + 1) * up["chunk_bytes"]]
        assert client.put(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/chunks/{index}", data=chunk,
                          headers=headers).status_code == 200
    return up["upload_id"]


def _complete_attachment(client, token, upload_id):
    return client.post(f"/mp/api/v1/conversation/attachments/{upload_id}/complete",
                       headers={"Authorization": f"Bearer {token}"})


def test_an_attachment_retry_after_a_crashed_complete_gets_409_not_a_hang_and_then_completes(app, client, demo_job,
                                                                                              redis_conn):
    """A web process killed while completing an attachment left its lock (the old code: 120 s, and a retry waited
    60 s for it, then 500 LockError). The retry now hears at once that the first one is still running."""
    _, token = invite_candidate(demo_job)
    upload_id = _attachment_chunks(client, token, png_bytes())
    redis_conn.set(f"lock:attachment-complete:{upload_id}", "dead-process-token", ex=120)
    res = _complete_attachment(client, token, upload_id)
    assert res.status_code == 409 and res.json["error"]["code"] == "upload_in_progress"
    assert int(res.headers["Retry-After"]) >= 1
    redis_conn.delete(f"lock:attachment-complete:{upload_id}")  # it expired
    done = _complete_attachment(client, token, upload_id)
    assert done.status_code == 201 and done.json["attachment"]["mime_type"] == "image/png"


def test_a_crashed_attachment_completer_leaves_a_lock_that_expires_soon(app, client, demo_job, redis_conn,
                                                                         monkeypatch):
    _, token = invite_candidate(demo_job)
    upload_id = _attachment_chunks(client, token, png_bytes())
    monkeypatch.setattr(redis.lock.Lock, "release", lambda self: None)  # the process died: nothing releases
    assert _complete_attachment(client, token, upload_id).status_code == 201
    ttl = redis_conn.ttl(f"lock:attachment-complete:{upload_id}")
    assert 0 < ttl <= app.config["UPLOAD_LOCK_SECONDS"] <= 60, ttl

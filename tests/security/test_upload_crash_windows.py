"""Upload completion (answers and attachments) cannot hang on a dead process's lock; late retakes are refused; one
open upload per attempt; the length is checked before the whole file is decoded."""
import secrets
import subprocess
import sys
import threading

from app.core.db import database
from app.interview.models import Answer, Interview, Upload
from tests.conversation.helpers import invite as invite_candidate
from tests.conversation.helpers import png_bytes
from tests.security.helpers import complete, init, small_chunks, upload
from tests.support.app import ROOT, import_job
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.media import ffmpeg_media, undecodable_media


def ready(questions=2, biometric=False):
    small_chunks()
    job = make_short_job(questions=questions, retakes=1)
    interview, token = invite(job)
    make_ready(interview, biometric=biometric)
    return job, interview, token


# A web process completing an upload: the app in a child process, posting one request to itself.
CHILD = """
import sys
from pathlib import Path

from app.core.db import database
from tests.support.app import ROOT, import_job, make_app

app = make_app(Path(sys.argv[1]), db="postgresql", migrate=False)
with app.app_context(), database.connection_context():
    app.test_client().post(sys.argv[2], headers={"Authorization": "Bearer " + sys.argv[3]})
"""


def killed_while_completing(tmp_path, url, token, table, lock_key, redis_conn):
    """Complete an upload in a real process and kill it (SIGKILL) inside the completion: while it holds the
    completion lock and waits to write its result to `table` (PostgreSQL holds the write: SHARE MODE lets it read).
    Returns what the dead process left: the lock's remaining seconds."""
    with database.atomic():
        database.execute_sql(f'LOCK TABLE "{table}" IN SHARE MODE')
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path), url, token], cwd=ROOT)
        try:
            while not (redis_conn.exists(lock_key)
                       and database.execute_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]):
                assert child.poll() is None, "the completing process ended before it was killed"
                threading.Event().wait(0.01)
        finally:
            child.kill()
            child.wait(30)
    return redis_conn.ttl(lock_key)


def test_a_crashed_completer_leaves_a_lock_that_expires_soon(pg_app, tmp_path, audio_webm_bytes, redis_conn):
    client = pg_app.test_client()
    job, _, token = ready()
    upload_id = upload(client, token, job.ordered_questions()[0].id, audio_webm_bytes, mime="audio/webm")
    ttl = killed_while_completing(tmp_path, f"/mp/api/v1/uploads/{upload_id}/complete", token, "answer",
                                  f"lock:upload-complete:{upload_id}", redis_conn)
    assert 0 < ttl <= pg_app.config["UPLOAD_LOCK_SECONDS"] <= 60, ttl
    assert complete(client, token, upload_id).status_code == 409  # until it expires (or the retry test's delete)


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


def test_a_crashed_attachment_completer_leaves_a_lock_that_expires_soon(pg_app, tmp_path, redis_conn):
    client = pg_app.test_client()
    _, token = invite_candidate(import_job("backend-engineer.yaml"))
    upload_id = _attachment_chunks(client, token, png_bytes())
    ttl = killed_while_completing(tmp_path, f"/mp/api/v1/conversation/attachments/{upload_id}/complete", token,
                                  "attachment", f"lock:attachment-complete:{upload_id}", redis_conn)
    assert 0 < ttl <= pg_app.config["UPLOAD_LOCK_SECONDS"] <= 60, ttl

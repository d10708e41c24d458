"""Completing the last answer on SQLite and PostgreSQL: one Answer per attempt, one job, interview completed."""
import rq

from app.core.models import Application
from app.interview import uploads
from app.interview.models import Answer, Interview
from tests.support.interviews import invite, make_ready, make_short_job


def test_complete_twice_and_finish_interview(any_db_app, redis_conn, webm_bytes):
    job = make_short_job(questions=2)
    interview, token = invite(job)
    make_ready(interview, biometric=True)
    answers = []
    for question in job.ordered_questions():
        upload = uploads.init_upload(token, question.id, 1, "video/webm", len(webm_bytes))
        size = upload.chunk_bytes
        for index in range(upload.total_chunks):
            uploads.put_chunk(token, upload.id, index, webm_bytes[index * size:(index + 1) * size])
        answer, created = uploads.complete_upload(token, upload.id)
        again, created_again = uploads.complete_upload(token, upload.id)
        assert created and not created_again and again.id == answer.id
        answers.append(answer)
    assert Answer.select().count() == 2 and all(a.has_video for a in answers)
    interview = Interview.get_by_id(interview.id)
    assert interview.status == "completed"
    assert Application.get_by_id(interview.application_id).stage == "ai_completed"
    queued = sorted(job.id for job in rq.Queue("media", connection=redis_conn).get_jobs())
    assert queued == sorted(f"process-answer-{a.id}" for a in answers)


def test_parallel_completes_make_one_answer(app, redis_conn, webm_bytes):
    import threading

    from app.core.db import database
    job = make_short_job(questions=2)
    interview, token = invite(job)
    make_ready(interview)
    question = job.ordered_questions()[0]
    upload = uploads.init_upload(token, question.id, 1, "video/webm", len(webm_bytes))
    size = upload.chunk_bytes
    for index in range(upload.total_chunks):
        uploads.put_chunk(token, upload.id, index, webm_bytes[index * size:(index + 1) * size])
    results, errors = [], []

    def complete():
        try:
            with app.app_context(), database.connection_context():
                results.append(uploads.complete_upload(token, upload.id))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=complete) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert len({answer.id for answer, _ in results}) == 1 and sorted(c for _, c in results) == [False] * 3 + [True]
    assert Answer.select().count() == 1
    assert len(rq.Queue("media", connection=redis_conn).get_jobs()) == 1

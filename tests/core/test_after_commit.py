"""Work that follows a commit (enqueueing a job, telling a browser) cannot turn a saved change into an error: when
Redis refuses after the commit, the change stands, the response is the normal one, and the log says what picks the
work up later."""
import logging

import pytest
import rq
from redis import Redis

from app.core import jobs
from app.core.models import Candidate
from app.core.tx import after_commit, transaction
from app.interview.answer_jobs import PROCESS_ANSWER
from app.interview.models import Answer
from tests.mini_program_api.test_uploads import CHUNK, auth, upload_all
from tests.support.interviews import invite, make_ready, make_short_job


@pytest.fixture
def refusing_queue(monkeypatch):
    """Every queue's Redis refuses connections (nothing listens on port 1); the rest of the app's Redis works."""
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    monkeypatch.setattr(jobs, "get_queue", lambda name: rq.Queue(name, connection=dead))


@pytest.fixture
def invited(app):
    from app.core.extensions import settings
    settings["UPLOAD_CHUNK_BYTES"] = CHUNK
    job = make_short_job(questions=2, retakes=1)
    interview, token = invite(job)
    make_ready(interview)
    return job, token


def test_a_job_enqueued_after_commit_is_logged_not_raised_when_redis_refuses(app, refusing_queue, caplog):
    with caplog.at_level(logging.ERROR, logger="app.core.jobs"), transaction():
        candidate = Candidate.create(name="李雷", phone="13800000000")
        jobs.enqueue_after_commit(PROCESS_ANSWER, 4242, recovery="the sweep re-enqueues it")
    assert Candidate.get_by_id(candidate.id).name == "李雷"
    assert "transcribe_answer(4242,) not enqueued; the sweep re-enqueues it" in caplog.text


def test_one_failing_follow_up_does_not_stop_the_others_or_the_commit(app, caplog):
    ran = []

    def broken():
        raise ConnectionError("redis gone")

    with caplog.at_level(logging.ERROR, logger="app.core.tx"), transaction():
        Candidate.create(name="韩梅梅", phone="13900000000")
        after_commit(broken)
        after_commit(lambda: ran.append("second"))
    assert ran == ["second"]
    assert Candidate.select().where(Candidate.name == "韩梅梅").exists()
    assert "after the commit" in caplog.text and "redis gone" in caplog.text


def test_outside_a_transaction_a_failing_follow_up_is_logged_too(app, caplog):
    with caplog.at_level(logging.ERROR, logger="app.core.tx"):
        after_commit(lambda: 1 / 0)
    assert "ZeroDivisionError" in caplog.text


def test_a_completed_answer_is_kept_and_answered_201_when_its_job_cannot_be_queued(client, invited, webm_bytes,
                                                                                    refusing_queue, redis_conn):
    job, token = invited
    question = job.ordered_questions()[0]
    upload_id = upload_all(client, token, question.id, webm_bytes)
    res = client.post(f"/mp/api/v1/uploads/{upload_id}/complete", headers=auth(token))
    assert res.status_code == 201, res.json
    answer = Answer.get_by_id(res.json["answer"]["id"])
    assert answer.question_id == question.id
    assert len(rq.Queue("media", connection=redis_conn)) == 0    # nothing reached the working Redis either

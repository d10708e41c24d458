"""The result card does not wait for the playback copies, and the answers of one interview run in parallel on the
model workers there are, with one report. Real RQ workers, real models, the WeCom sandbox over HTTP."""
import os
import signal
import subprocess
import sys
import time

import pytest
from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from rq.registry import FinishedJobRegistry

from app.core.queues import ALL_QUEUES, FAST, PLAYBACK
from app.interview.models import Answer, Report
from app.interview.playback import PREPARE_PLAYBACK
from app.interview.reports import BUILD_REPORT
from app.interview.result_cards import PUSH_RESULT_CARD, result_card_key, task_id_of
from tests.support.app import REDIS_TEST_URL, ROOT
from tests.support.interviews import start_interview, two_question_job, upload_answer
from tests.support.media import MEDIA as FIXTURES

pytestmark = pytest.mark.slow


def finished_in_order(redis_conn):
    """The function names of every finished job, in the order they started."""
    jobs = []
    for name in ALL_QUEUES:
        registry = FinishedJobRegistry(queue=Queue(name, connection=redis_conn))
        jobs += [j for j in Job.fetch_many(registry.get_job_ids(), connection=redis_conn) if j]
    return [j.func_name for j in sorted(jobs, key=lambda j: j.started_at)]


def test_one_worker_sends_the_card_before_it_makes_the_playback_copies(wecom_env, redis_conn, answer_with_face):
    app, _, box = wecom_env
    job = two_question_job()
    interview, token = start_interview(job, biometric=True, face=(FIXTURES / "astronaut.jpg").read_bytes())
    q1, q2 = job.ordered_questions()
    first = upload_answer(token, q1, answer_with_face)
    second = upload_answer(token, q2, FIXTURES / "backend_poor.ogg", mime="audio/ogg")

    # One models worker serving every queue in the production order (fast, scoring, media, playback).
    SimpleWorker([Queue(name, connection=redis_conn) for name in ALL_QUEUES], connection=redis_conn).work(burst=True)

    report = Report.get(Report.interview == interview.id)
    card = box.card(task_id_of(result_card_key(interview.application_id)), "zhangwei")
    assert card is not None and card["card"]["horizontal_content_list"][0]["keyname"] == "总分"
    order = finished_in_order(redis_conn)
    copies = [i for i, name in enumerate(order) if name == PREPARE_PLAYBACK.func]
    assert len(copies) == 2 and order.index(PUSH_RESULT_CARD.func) < min(copies), order
    assert order.index(BUILD_REPORT.func) < min(copies)
    first, second = Answer.get_by_id(first.id), Answer.get_by_id(second.id)
    assert first.playback_key.endswith(".mp4") and second.playback_key.endswith(".m4a")
    assert Report.select().count() == 1 and report.total is not None


def worker_process(app):
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"], REDIS_URL=REDIS_TEST_URL,
               MEDIA_ROOT=app.config["MEDIA_ROOT"], APP_ENV="test", SECRET_KEY="test")
    # No fast queue: the card job stays queued, to be counted.
    return subprocess.Popen([sys.executable, "-m", "workers.main", "scoring", "media", PLAYBACK], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_until(what, predicate, procs, limit=300):
    deadline = time.time() + limit   # a guard against hanging forever, not a speed check
    while not predicate():
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            pytest.fail(f"a worker exited while waiting for {what}:\n{dead[0].stdout.read()[-3000:]}")
        if time.time() > deadline:
            pytest.fail(f"no {what} within {limit} s")
        time.sleep(0.1)


def test_two_workers_take_one_answer_each_and_build_one_report(app, redis_conn, answer_with_face):
    job = two_question_job()
    interview, token = start_interview(job, biometric=True, face=(FIXTURES / "astronaut.jpg").read_bytes())
    q1, q2 = job.ordered_questions()
    procs = [worker_process(app), worker_process(app)]
    try:
        wait_until("two idle workers", lambda: len(Worker.all(connection=redis_conn)) == 2, procs)
        answers = [upload_answer(token, q1, answer_with_face),
                   upload_answer(token, q2, FIXTURES / "backend_poor.ogg", mime="audio/ogg")]
        wait_until("report and copies", lambda: Report.select().exists() and all(
            Answer.get_by_id(a.id).playback_key for a in answers), procs)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(60)
    media = Queue("media", connection=redis_conn)
    workers = {media.fetch_job(f"process-answer-{a.id}").worker_name for a in answers}
    assert len(workers) == 2 and None not in workers   # each answer transcribed by its own worker, side by side
    assert Report.select().where(Report.interview == interview.id).count() == 1
    cards = [j for j in Queue(FAST, connection=redis_conn).get_jobs() if j.func_name == PUSH_RESULT_CARD.func]
    assert len(cards) == 1
    assert all(Answer.get_by_id(a.id).status == "scored" for a in answers)

"""A worker killed mid-transcription loses nothing: the next worker finishes the answer at once."""
import os
import signal
import subprocess
import sys
import time

import pytest
from rq import Queue

from app.core.queues import MEDIA
from app.interview.models import Answer
from tests.support.app import REDIS_TEST_URL, ROOT
from tests.support.interviews import start_interview, two_question_job, upload_answer
from tests.support.media import MEDIA as FIXTURES

pytestmark = pytest.mark.slow


def worker_process(app, *args):
    env = dict(os.environ, DATABASE_URL=app.config["DATABASE_URL"], REDIS_URL=REDIS_TEST_URL,
               MEDIA_ROOT=app.config["MEDIA_ROOT"], APP_ENV="test", SECRET_KEY="test")
    # Its own process group: the worker forks RQ's scheduler, and a crash takes both down.
    return subprocess.Popen([sys.executable, "-m", "workers.main", MEDIA, "scoring", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def test_killed_worker_mid_job_then_a_new_worker_finishes_the_answer(app, redis_conn):
    job = two_question_job()
    interview, token = start_interview(job, biometric=False)
    answer = upload_answer(token, job.ordered_questions()[0], FIXTURES / "backend_good.webm", mime="audio/webm")
    rq_job = Queue(MEDIA, connection=redis_conn).fetch_job(f"process-answer-{answer.id}")

    first = worker_process(app)
    deadline = time.time() + 120  # a guard against hanging forever, not a speed check
    while rq_job.get_status(refresh=True) != "started":
        if first.poll() is not None:
            pytest.fail(f"the worker exited before starting the job:\n{first.stdout.read()}")
        if time.time() > deadline:
            pytest.fail("the worker did not start the job within 120 s")
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # mid-transcription: no cleanup, no failure callback
    first.wait(10)
    assert Answer.get_by_id(answer.id).status == "uploaded"
    assert rq_job.get_status(refresh=True) == "started"  # RQ alone would wait for the heartbeat to expire

    second = worker_process(app, "--burst")
    output, _ = second.communicate(timeout=180)
    assert second.returncode == 0, output
    assert "re-enqueued" in output
    done = Answer.get_by_id(answer.id)
    assert done.status == "scored", (done.status, done.error, output[-2000:])
    assert done.transcript["text"] and Answer.select().count() == 1

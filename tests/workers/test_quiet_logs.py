"""Worker logs: the scheduled jobs' routine INFO lines (enqueued, started, succeeded) and RQ's per-job bookkeeping
stay out; another job's start and success, and every failure, a scheduled job's included, stay in."""
import logging

import pytest
from rq import Queue, SimpleWorker

from app.core import jobs
from app.core.queues import FAST
from workers import quiet_logs
from workers.scheduler import build_scheduler


@pytest.fixture
def quiet():
    added = quiet_logs.install(env={})
    yield added
    for name in quiet_logs.RQ_LOGGERS:
        logging.getLogger(name).removeFilter(added)


def _run(redis_conn, caplog):
    scheduler = build_scheduler(redis_conn)
    queue = Queue(FAST, connection=redis_conn)
    queue.empty()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert scheduler.enqueue_jobs()                       # every scheduled job is due once
        queue.enqueue("os.getcwd")                            # any other job
        queue.enqueue("json.loads", "not json")               # a job that fails
        SimpleWorker([queue], connection=redis_conn).work(burst=True, logging_level="INFO")
    return [r.getMessage() for r in caplog.records if r.name.startswith("rq.")]


def test_the_scheduled_jobs_routine_lines_stay_out(app, redis_conn, caplog, quiet):
    lines = _run(redis_conn, caplog)
    scheduled = [spec for spec, _ in jobs.schedule()]
    for spec in scheduled:
        assert not any(f"{spec.func}(" in line or f"Enqueued job {spec.function.__name__} " in line
                       for line in lines), spec.name
    assert not any("Job OK" in line or "result is kept" in line for line in lines)
    assert any("os.getcwd()" in line and "Successfully completed" in line for line in lines)
    assert any("json.loads('not json')" in line for line in lines)     # the failure is there
    assert any("JSONDecodeError" in line for line in lines)


def test_everything_is_logged_without_the_filter(app, redis_conn, caplog):
    assert quiet_logs.install(env={"WORKER_LOG_SCHEDULED": "1"}) is None
    lines = _run(redis_conn, caplog)
    spec = jobs.schedule()[0][0]
    assert any(f"{spec.func}(" in line for line in lines) and any("Job OK" in line for line in lines)

"""The worker entry point: `python -m workers.main [queue ...]`.

Models are loaded once here. A worker that holds models runs its jobs in this same process (RQ's
SimpleWorker): a forked work horse deadlocks inside CTranslate2/OpenMP once the parent has used its thread
pool, so "load before the fork" does not work for Whisper. Job timeouts still apply (signal based). A worker
that dies is restarted by the process manager; at start it hands back the jobs its predecessor left running
and runs the sweep once (the scheduler, workers/scheduler.py, runs it every few seconds after that). A worker
without models (`--no-models`, the fast queue) keeps RQ's forking worker.
"""
import argparse
import logging

from app.core.queues import ALL_QUEUES, get_queue
from workers import quiet_logs
from workers.context import AppSimpleWorker, AppWorker, get_app

log = logging.getLogger("workers")


def preload_models(app):
    """Load the ASR, face and text models once, before any fork; return what loaded."""
    from workers import models
    return models.preload(app.config)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run an RQ worker for the interview platform.")
    parser.add_argument("queues", nargs="*", default=list(ALL_QUEUES), help="queues in priority order")
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    parser.add_argument("--no-models", action="store_true", help="skip model preloading (fast queue only)")
    parser.add_argument("--max-jobs", type=int, default=None, help="exit after this many jobs (to recycle memory)")
    args = parser.parse_args(argv)
    app = get_app()
    if not args.no_models:
        loaded = preload_models(app)
        log.info("models loaded: %s", loaded)
    from app.core.db import database
    from app.core.sweeps import resume_unfinished
    from workers.recovery import requeue_abandoned
    queues = [get_queue(name) for name in args.queues]
    requeue_abandoned(queues)
    with app.app_context(), database.connection_context():
        log.info("re-enqueued %s unfinished steps", resume_unfinished())
    if not database.is_closed():
        database.close()  # never share a DB connection across the fork
    quiet_logs.install()  # the scheduled jobs' routine lines stay out of the log
    worker_class = AppWorker if args.no_models else AppSimpleWorker
    worker = worker_class(queues, connection=queues[0].connection)
    worker.work(burst=args.burst, with_scheduler=True, logging_level="INFO", max_jobs=args.max_jobs)


if __name__ == "__main__":
    main()

"""Worker logs an operator can read. RQ writes four or five INFO lines for every job; the scheduled jobs (the sweep
every 20 s, receipts and due notices every minute, reminders ...) would fill the log with about 30 such lines a
minute and hide what matters. The filter drops, at INFO and below, the lines about a scheduled job (its enqueueing
by the cron scheduler, its start and its success) and RQ's bookkeeping lines of every job ("Job OK", "result is
kept"); every other job's start and success, and every warning and error (a scheduled job that fails included),
stay. The jobs log what they did themselves. `WORKER_LOG_SCHEDULED=1` keeps every line."""
import logging
import os

from app.core import jobs

RQ_LOGGERS = ("rq.worker", "rq.cron")
BOOKKEEPING = ("Job OK", " result is kept for ", " result discarded immediately")


class QuietScheduled(logging.Filter):
    """Drops RQ's INFO lines about the scheduled jobs `specs` and its per-job bookkeeping lines."""

    def __init__(self, specs):
        super().__init__()
        self.marks = tuple(mark for spec in specs
                           for mark in (f"{spec.func}(", f"Enqueued job {spec.function.__name__} to queue "))

    def filter(self, record):
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        return not any(mark in message for mark in (*BOOKKEEPING, *self.marks))


def install(env=None):
    """Put the filter on RQ's worker and cron loggers (unless WORKER_LOG_SCHEDULED=1); returns it or None."""
    if (os.environ if env is None else env).get("WORKER_LOG_SCHEDULED") == "1":
        return None
    quiet = QuietScheduled(spec for spec, _ in jobs.schedule())
    for name in RQ_LOGGERS:
        logging.getLogger(name).addFilter(quiet)
    return quiet

"""The sweep that runs on a schedule (workers/scheduler.py) and at worker start: nothing stays stranded.

A step is stranded when its job was never enqueued (Redis failed after the commit) or its worker died mid-job.
Each domain declares its sweeps (`Domain.sweeps`); every job they enqueue is idempotent with a deterministic id, so
a sweep that finds work already queued or running adds nothing.
"""
import logging
import time

from app.core import domains
from app.core.jobs import JobSpec
from app.core.queues import FAST

log = logging.getLogger(__name__)


def key(every=60, now=None):
    """A job-id key for what a sweep enqueues that changes every `every` seconds: a job a dead worker left
    "started" under an older key cannot block it, and a step that keeps failing is tried again that often."""
    return f"sweep{int(now if now is not None else time.time()) // every}"


def resume_unfinished():
    """Run every registered domain's sweep; return how many steps were re-enqueued."""
    count = sum(sweep() for d in domains.registered() for sweep in d.sweeps)
    if count:
        log.info("sweep re-enqueued %s unfinished steps", count)
    return count


SWEEP_UNFINISHED = JobSpec(resume_unfinished, FAST, "sweep-unfinished", retries=0)

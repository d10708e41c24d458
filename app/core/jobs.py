"""Background jobs: how one is declared (`JobSpec`, beside the service function it runs) and enqueued.

A job is a service function that takes ids; its domain declares it once, next to the function
(`SYNC_BOOKING = JobSpec(sync_booking, FAST, "sync-booking-{0}")`), and lists it in its `domain.py`. Code enqueues
the declaration (`jobs.enqueue(SYNC_BOOKING, booking.id)`), never a dotted path: RQ gets the function's path,
derived from the function. The worker (workers/main.py) runs every job inside the app context with its own
database connection, so no job needs a wrapper. A job id is built from the job's arguments, so enqueueing a job
that is already queued or running is a no-op.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass

from rq import Callback, Retry

from app.core import domains
from app.core.queues import get_queue
from app.core.tx import after_commit

log = logging.getLogger(__name__)

RETRY_INTERVALS = [2, 10, 30]
FAILURE_TTL = 7 * 24 * 3600
PENDING = ("queued", "started", "deferred", "scheduled")


@dataclass(frozen=True)
class JobSpec:
    """One background job: the service function itself (ids in), its queue, job-id format ({0}, {1}... over the
    arguments, and an optional {key}), retries, and what to record when it fails (`on_failure(*args, message,
    final)`, final once no retry is left)."""
    function: Callable
    queue: str
    job_id: str
    retries: int = 3
    on_failure: Callable | None = None

    @property
    def func(self):
        """The function's dotted path: what RQ stores and imports in the worker (derived, never written by hand)."""
        return f"{self.function.__module__}.{self.function.__qualname__}"

    @property
    def name(self):
        return self.function.__name__

    def make_job_id(self, args, key=""):
        job_id = self.job_id.format(*args, key=key)
        if key and "{key}" not in self.job_id:
            job_id = f"{job_id}-{key}"
        return job_id


def all_jobs():
    """Every job the registered domains declare (app/core/domains.py)."""
    return tuple(spec for d in domains.registered() for spec in d.jobs)


def schedule():
    """(job, every_seconds) of every scheduled job (workers/scheduler.py registers them with RQ's cron scheduler)."""
    return tuple(item for d in domains.registered() for item in d.schedule)


def spec_for(func_path):
    """The declaration of a queued job, by its function's dotted path (None for a job nobody declares)."""
    return next((s for s in all_jobs() if s.func == func_path), None)


def job_failed(job, connection, exc_type, exc_value, tb):
    """RQ's failure callback of every declared job: hand the error to the job's own `on_failure`."""
    spec = spec_for(job.func_name)
    if spec is not None and spec.on_failure is not None and job.args:
        spec.on_failure(*job.args, f"{exc_type.__name__}: {exc_value}", not job.retries_left)


def enqueue(spec, *args, key=""):
    """Enqueue `spec` with `args` now; a job with the same id that is still pending makes this a no-op."""
    queue = get_queue(spec.queue)
    job_id = spec.make_job_id(args, key)
    existing = queue.fetch_job(job_id)
    if existing is not None and existing.get_status(refresh=True) in PENDING:
        return existing
    options = {}
    if spec.on_failure:
        options["on_failure"] = Callback(job_failed)
    if spec.retries:
        options["retry"] = Retry(max=spec.retries, interval=RETRY_INTERVALS)
    return queue.enqueue(spec.func, *args, job_id=job_id, failure_ttl=FAILURE_TTL, **options)


def enqueue_or_log(spec, *args, key="", recovery=""):
    """Enqueue work whose change is already committed: a Redis failure is logged with `recovery` (what picks the
    work up later), not raised, so the change stands. Returns the job, or None."""
    try:
        return enqueue(spec, *args, key=key)
    except Exception:  # noqa: BLE001 - the committed change must not fail on the queue
        log.exception("%s%s not enqueued; %s", spec.name, args, recovery or "nothing re-enqueues it")
        return None


def enqueue_after_commit(spec, *args, key="", recovery=""):
    """Enqueue once the current transaction commits, so the worker finds the rows it needs; a Redis failure then
    is logged with `recovery` (enqueue_or_log), never raised into the request whose change is saved."""
    after_commit(lambda: enqueue_or_log(spec, *args, key=key, recovery=recovery))

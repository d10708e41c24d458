"""RQ queues. Short jobs (callbacks, cards) never wait behind long ones (transcription)."""
from rq import Callback, Queue, Retry

from app.extensions import redis_client
from app.services.tx import after_commit

# Queue names, in the order a worker should serve them.
FAST = "fast"        # WeCom callbacks, cards, notifications
MEDIA = "media"      # transcription and video analysis
SCORING = "scoring"  # scoring and reports
ALL_QUEUES = (FAST, SCORING, MEDIA)

JOB_TIMEOUTS = {FAST: 60, MEDIA: 900, SCORING: 300}

# Modules whose job failures must show on a domain row (not only in RQ's registry) name their callback here.
FAILURE_CALLBACKS = {"workers.answers": "workers.answers.on_failure"}


def get_queue(name):
    return Queue(name, connection=redis_client.get(), default_timeout=JOB_TIMEOUTS[name])


def enqueue(queue_name, func, *args, job_id=None, retry=3, **kwargs):
    """Enqueue `func` (a dotted path) now; a deterministic job_id makes a second enqueue a no-op."""
    queue = get_queue(queue_name)
    if job_id:
        existing = queue.fetch_job(job_id)
        if existing is not None and existing.get_status(refresh=True) in ("queued", "started", "deferred",
                                                                           "scheduled"):
            return existing
    callback = FAILURE_CALLBACKS.get(func.rsplit(".", 1)[0])
    if callback and "on_failure" not in kwargs:
        kwargs["on_failure"] = Callback(callback)
    return queue.enqueue(func, *args, job_id=job_id, retry=Retry(max=retry, interval=[2, 10, 30]) if retry else None,
                         failure_ttl=7 * 24 * 3600, **kwargs)


def enqueue_after_commit(queue_name, func, *args, **kwargs):
    """Enqueue once the current transaction commits, so the worker finds the rows it needs."""
    after_commit(lambda: enqueue(queue_name, func, *args, **kwargs))

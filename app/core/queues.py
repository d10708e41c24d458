"""RQ queues. Short jobs (callbacks, cards) never wait behind long ones (transcription).

Jobs are declared and enqueued through the job registry, `app/core/jobs.py`.
"""
from rq import Queue

from app.core.extensions import redis_client

# Queue names, in the order a worker should serve them.
FAST = "fast"        # WeCom callbacks, cards, notifications, sweeps
MEDIA = "media"      # transcription and video analysis
SCORING = "scoring"  # scoring and reports
ALL_QUEUES = (FAST, SCORING, MEDIA)

JOB_TIMEOUTS = {FAST: 60, MEDIA: 900, SCORING: 300}


def get_queue(name):
    return Queue(name, connection=redis_client.get(), default_timeout=JOB_TIMEOUTS[name])

"""RQ queues. Short jobs (callbacks, cards) never wait behind long ones (transcription).

Jobs are declared and enqueued through the job registry, `app/core/jobs.py`.
"""
from rq import Queue

from app.core.extensions import redis_client

# Queue names, in the order a worker should serve them.
FAST = "fast"            # WeCom callbacks, cards, notifications, sweeps
MEDIA = "media"          # transcription and video analysis
SCORING = "scoring"      # scoring and reports
PLAYBACK = "playback"    # playback copies and posters: after the report, so the result card never waits for them
ALL_QUEUES = (FAST, SCORING, MEDIA, PLAYBACK)

JOB_TIMEOUTS = {FAST: 60, MEDIA: 900, SCORING: 300, PLAYBACK: 900}


def get_queue(name):
    return Queue(name, connection=redis_client.get(), default_timeout=JOB_TIMEOUTS[name])

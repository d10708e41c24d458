"""The sweep scheduler: `python -m workers.scheduler` (one per deployment; a second one only repeats sweeps).

RQ's cron scheduler enqueues each scheduled job the domains declare (`Domain.schedule`) on its queue every
so many seconds; any worker serving that queue runs it. The sweeps are idempotent, so a crash or restart of
this process, or two of them, never does harm.
"""
import logging

from rq.cron import CronScheduler

from app.core import jobs
from app.core.queues import JOB_TIMEOUTS
from workers import quiet_logs
from workers.context import get_app

log = logging.getLogger("workers.scheduler")


def build_scheduler(connection, schedule=None):
    """A CronScheduler with every scheduled job of the registered domains (`Domain.schedule`)."""
    scheduler = CronScheduler(connection=connection, name="interview-sweeps")
    for spec, every_seconds in jobs.schedule() if schedule is None else schedule:
        scheduler.register(spec.function, spec.queue, interval=every_seconds,
                           job_timeout=JOB_TIMEOUTS[spec.queue], failure_ttl=jobs.FAILURE_TTL, name=spec.name)
    return scheduler


def main():
    get_app()  # settings and the Redis connection
    from app.core.extensions import redis_client
    quiet_logs.install()  # "Enqueued job ..." every 20 s for the sweep alone
    build_scheduler(redis_client.get()).start()


if __name__ == "__main__":
    main()

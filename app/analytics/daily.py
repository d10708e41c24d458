"""What the scheduled analytics job does (declared by app/analytics/domain.py, daily): refresh the rollup, store this
week's fairness snapshot, recompute the flags and tell HR about new ones in WeCom once."""
import datetime as dt

from app.analytics import flags, impact, rollup
from app.analytics.funnel import Cohort
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.models import Job
from app.core.queues import FAST


def check_flags(days=180, push=True):
    rollup.refresh()
    since = utcnow() - dt.timedelta(days=days)
    # Real jobs are compared with real jobs, demo jobs with demo jobs (never pooled).
    found = flags.compute(Cohort(start=since, demo=False)) + flags.compute(Cohort(start=since, demo=True))
    flags.sync(found)
    lines = [f"flag: {f['message']}" for f in found]
    if push:
        lines.append(f"pushed {flags.push_new()} new flags to HR")
    return lines


def daily():
    lines = check_flags()
    week = impact.snapshot(utcnow(), [j.id for j in Job.select(Job.id)])
    return lines + [f"snapshot of week {week}"]


ANALYTICS_DAILY = JobSpec(daily, FAST, "analytics-daily", retries=0)

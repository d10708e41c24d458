"""Scheduled analytics job (registered in app/core/jobs.py SCHEDULE): app/analytics/jobs.py."""
from app.analytics import jobs
from workers.context import with_app


@with_app
def daily():
    return jobs.daily()

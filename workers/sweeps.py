"""Scheduled sweeps (registered in workers/scheduler.py): resume stranded work, keep the retention promise."""
from app.core import sweeps
from workers.context import with_app


@with_app
def resume_unfinished():
    return sweeps.resume_unfinished()


@with_app
def purge_retention():
    return sweeps.purge_retention()

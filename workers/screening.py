"""Funnel jobs: parse a resume, then screen its application; re-screen a job; re-parse after dictionary updates."""
from app.core import jobs
from app.screening import parsing, screen
from workers.context import with_app


def on_parse_failure(job, connection, exc_type, exc_value, tb):
    """RQ failure callback of parse_resume: once no retries are left, the resume and application say so."""
    if job.args:
        with_app(parsing.record_failure)(job.args[0], f"{exc_type.__name__}: {exc_value}", not job.retries_left)


@with_app
def parse_resume(resume_id):
    """Read the resume; when it is the application's current one and readable, screen the application next."""
    resume = parsing.parse_resume(resume_id)
    if resume is not None and resume.status == "parsed" and parsing.is_current(resume):
        jobs.enqueue(jobs.SCREEN_APPLICATION, resume.application_id)


@with_app
def screen_application(application_id):
    screen.screen_application(application_id)


@with_app
def screen_job(job_id):
    """Re-screen every application of a job (after its criteria changed)."""
    return len(screen.screen_job(job_id))


@with_app
def reparse_resumes():
    return parsing.reparse_all()

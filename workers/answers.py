"""Per-answer jobs, chained: transcribe -> analyse video -> score -> (last answer) report.

Each job does one step through a service, then enqueues the next step from the answer's new status (the chain
is the table `answer_analysis.ANSWER_STEPS`; the jobs are declared in app/core/jobs.py).
"""
import logging

from app.core import jobs
from app.interview import answer_analysis, playback, reports
from workers import models
from workers.context import with_app

log = logging.getLogger(__name__)


def on_failure(job, connection, exc_type, exc_value, tb):
    """RQ failure callback of the answer steps: record the reason on the answer; final when no retries are left."""
    if job.args:
        with_app(answer_analysis.record_failure)(job.args[0], f"{exc_type.__name__}: {exc_value}",
                                                 not job.retries_left)


def on_report_failure(job, connection, exc_type, exc_value, tb):
    """RQ failure callback of build_report: show it on the application once no retries are left."""
    if job.args:
        with_app(reports.record_failure)(job.args[0], f"{exc_type.__name__}: {exc_value}", not job.retries_left)


@with_app
def process_answer(answer_id):
    """Entry point enqueued by the upload API: transcribe, then continue the chain."""
    answer_analysis.continue_answer(answer_analysis.transcribe(answer_id, models.asr_engine()))


@with_app
def analyse_video(answer_id):
    answer_analysis.continue_answer(answer_analysis.analyse_video(answer_id))
    jobs.enqueue(jobs.PREPARE_PLAYBACK, answer_id)


@with_app
def prepare_playback(answer_id):
    """The seekable copy and poster managers watch (a failure is recorded on the answer, not retried forever)."""
    playback.make_playback_copy(answer_id)


def on_playback_failure(job, connection, exc_type, exc_value, tb):
    """RQ failure callback of prepare_playback: once retries are exhausted, stop the sweep from retrying it."""
    if job.args and not job.retries_left:
        with_app(playback.record_failure)(job.args[0], f"{exc_type.__name__}: {exc_value}")


@with_app
def score_answer(answer_id):
    answer_analysis.continue_answer(answer_analysis.score(answer_id))


@with_app
def build_report(interview_id):
    """Build the report if this was the last answer (its ai_scored follow-up pushes the card)."""
    report = reports.build_report(interview_id)
    return report.id if report else None

"""Per-answer jobs, chained: transcribe -> analyse video -> score -> (last answer) report."""
import logging

from app.services import answer_analysis, reports
from app.services.queues import MEDIA, SCORING, enqueue
from workers import models
from workers.context import with_app

log = logging.getLogger(__name__)


def on_failure(job, connection, exc_type, exc_value, tb):
    """RQ failure callback: record the reason on the answer; final when no retries are left."""
    if not job.args:
        return
    final = not job.retries_left
    message = f"{exc_type.__name__}: {exc_value}"
    if job.func_name.endswith(".build_report"):
        with_app(reports.record_failure)(job.args[0], message, final)
    else:
        with_app(answer_analysis.record_failure)(job.args[0], message, final)


def _next(queue, func, answer_id, step):
    enqueue(queue, func, answer_id, job_id=f"{step}-answer-{answer_id}")


@with_app
def process_answer(answer_id):
    """Entry point enqueued by the upload API: transcribe, then chain the rest."""
    answer_analysis.transcribe(answer_id, models.asr_engine())
    _next(MEDIA, "workers.answers.analyse_video", answer_id, "video")


@with_app
def analyse_video(answer_id):
    answer_analysis.analyse_video(answer_id)
    _next(SCORING, "workers.answers.score_answer", answer_id, "score")


@with_app
def score_answer(answer_id):
    answer = answer_analysis.score(answer_id)
    enqueue(SCORING, "workers.answers.build_report", answer.interview_id,
            job_id=f"report-interview-{answer.interview_id}-{answer_id}")


@with_app
def build_report(interview_id):
    """Build the report if this was the last answer (ai_scored then pushes the card)."""
    report = reports.build_report(interview_id)
    return report.id if report else None

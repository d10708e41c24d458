"""The answer chain as background jobs: transcribe -> check the video -> score -> (last answer) the report.

Each job runs one step of app/interview/answer_analysis.py and enqueues the next from the answer's new status
(`ANSWER_STEPS`); the sweep reads the same table for answers left between two steps. Each answer is its own chain
of jobs, so the answers of one interview run in parallel on as many model workers as there are. The playback copies
come after the report (app/interview/playback.py, on the lowest-priority queue).
"""

from app.analysis.asr import CPU_THREADS, configured_engine
from app.core import jobs, sweeps, synthetic
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.models import Application
from app.core.queues import MEDIA, SCORING
from app.interview import answer_analysis, playback, result_cards, withdrawn_report
from app.interview.models import Answer, AnswerStatus, Interview, InterviewStatus
from app.interview.playback import PREPARE_PLAYBACK
from app.interview.reports import BUILD_REPORT
from app.interview.withdrawn_report import REFRESH_REPORT


def asr_engine():
    """The configured speech-to-text engine (loaded on first use, then kept for the process)."""
    return configured_engine(settings.get("ASR_ENGINE", "faster-whisper"), settings.get("ASR_BEAM_SIZE", 1),
                             settings.get("ASR_THREADS") or CPU_THREADS)


def transcribe_answer(answer_id):
    """The first step, enqueued by the upload API: transcribe, then continue the chain."""
    continue_answer(answer_analysis.transcribe(answer_id, asr_engine()))


def check_video(answer_id):
    continue_answer(answer_analysis.analyse_video(answer_id))


def score_answer(answer_id):
    continue_answer(answer_analysis.score(answer_id))


def answer_failed(answer_id, message, final):
    """Record a failed step; once it failed for good, the report may be due: the failed answer counts as answered
    (the candidate went on) and the report says it could not be analysed (build_report waits for nothing else)."""
    answer_analysis.record_failure(answer_id, message, final)
    answer = Answer.get_or_none(Answer.id == answer_id) if final else None
    if answer is not None:
        jobs.enqueue_or_log(BUILD_REPORT, answer.interview_id, key=f"f{answer_id}",
                            recovery="the interview sweep builds the report")


PROCESS_ANSWER = JobSpec(transcribe_answer, MEDIA, "process-answer-{0}", on_failure=answer_failed)
ANALYSE_VIDEO = JobSpec(check_video, MEDIA, "video-answer-{0}", on_failure=answer_failed)
SCORE_ANSWER = JobSpec(score_answer, SCORING, "score-answer-{0}", on_failure=answer_failed)

# The answer chain: the job that continues an answer from each status it can be left in. A scored answer
# continues with its interview's report (BUILD_REPORT runs when the last counted answer is scored).
ANSWER_STEPS = {
    AnswerStatus.UPLOADED: PROCESS_ANSWER,
    AnswerStatus.TRANSCRIBED: ANALYSE_VIDEO,
    AnswerStatus.ANALYSED: SCORE_ANSWER,
}


def continue_answer(answer, key=""):
    """Enqueue the next step of `answer` from its status; None once it has failed.

    Job ids are deterministic, so a step that is still queued or running is not enqueued twice.
    """
    if answer.status == AnswerStatus.SCORED:
        # Scored again after a late withdrawal of biometric consent: the built report is written again.
        spec = REFRESH_REPORT if withdrawn_report.awaits_rescoring(answer.interview_id) else BUILD_REPORT
        return jobs.enqueue(spec, answer.interview_id, key=key or f"a{answer.id}")
    spec = ANSWER_STEPS.get(answer.status)
    return jobs.enqueue(spec, answer.id) if spec else None


def unfinished_answers():
    """Answers left between two steps (a worker died, or Redis was down when the next step was enqueued)."""
    return Answer.select().where(Answer.status.in_(list(ANSWER_STEPS)))


def interviews_awaiting_report():
    """Completed interviews whose answers are all scored but that have no report yet (the synthetic demo data's
    have neither answers nor a report to build: app/core/synthetic.py)."""
    real = Interview.application.not_in(Application.select(Application.id).where(
        Application.job.in_(synthetic.synthetic_jobs())))
    return [interview.id for interview in Interview.select().where((Interview.status == InterviewStatus.COMPLETED)
                                                                   & real)
            if not interview.reports.exists() and answer_analysis.interview_ready_for_report(interview.id)]


def resume_stranded():
    """Re-enqueue the interview work left unfinished (answer steps, playback copies, reports, result cards, card
    updates); return how many. Job ids are deterministic, so work already queued or running is not added twice."""
    count = 0
    for answer in unfinished_answers():
        continue_answer(answer)
        count += 1
    for answer in playback.answers_without_playback():
        jobs.enqueue(PREPARE_PLAYBACK, answer.id)
        count += 1
    for interview_id in interviews_awaiting_report():
        jobs.enqueue(BUILD_REPORT, interview_id, key="sweep")
        count += 1
    for interview_id in withdrawn_report.stranded_refreshes():
        jobs.enqueue(REFRESH_REPORT, interview_id, key="sweep")
        count += 1
    for report_id in result_cards.unsent_result_cards():
        jobs.enqueue(result_cards.PUSH_RESULT_CARD, report_id, key=sweeps.key())
        count += 1
    for card_id, decision in result_cards.cards_awaiting_update():
        jobs.enqueue(result_cards.UPDATE_DECISION_CARD, card_id, decision)
        count += 1
    return count

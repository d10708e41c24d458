"""Per-answer analysis: transcribe, check the video, score. Each step is idempotent and stores its result."""
import contextlib
import logging

from app.core.base import utcnow
from app.core.models import Application
from app.core.storage import get_storage
from app.core.tx import transaction
from app.interview import biometrics
from app.interview.answers import locked_interview, stored_answers, stored_answers_of
from app.interview.models import Answer, AnswerStatus, Interview, InterviewStatus, ScoringProfile

log = logging.getLogger(__name__)


def local_media(key):
    """A context manager yielding a local file of a stored object (workers read media from disk; on S3 storage
    this downloads it to the worker's scratch folder for the duration of the step)."""
    return get_storage().local_copy(key)


def _save(answer, **fields):
    with transaction():
        Answer.update(**fields).where(Answer.id == answer.id).execute()


def job_vocabulary(answer):
    """The job's words for this answer's question (dimension keywords, question and requirement terms, the job
    family's vocabulary): Whisper is primed with them and homophones of them are corrected."""
    from app.analysis import job_vocabulary as vocab

    question, dims, job = scoring_inputs(answer)
    return vocab.build(job, dims, question)


def transcribe(answer_id, engine):
    """Transcribe an answer's audio and compute its speech features; skip when already done."""
    from app.analysis.speech import speech_features

    answer = Answer.get_by_id(answer_id)
    if answer.transcript is not None:
        return answer
    with local_media(answer.media_key) as path:
        transcript = engine.transcribe(path, job_vocabulary(answer))
    features = speech_features(transcript, answer.duration_s or transcript.duration)
    _save(answer, transcript=transcript.to_dict(), features=features, status=AnswerStatus.TRANSCRIBED, error="")
    return Answer.get_by_id(answer_id)


def video_policy(answer):
    """Whether faces are checked for this answer, and whether expressions are analysed (job + consent)."""
    interview = answer.interview
    if not answer.has_video:
        return False, False, "仅音频作答 audio-only answer"
    if interview.consent_biometric is not True:
        return False, False, (biometrics.WITHDRAWN if biometrics.was_withdrawn(interview)
                              else "候选人未同意生物识别 no biometric consent")
    return True, bool(interview.application.job.use_expressions), ""


def analyse_video(answer_id):
    """Run the face checks the candidate consented to; store the result (or why it was skipped)."""
    from app.analysis.video import analyse_video as run

    answer = Answer.get_by_id(answer_id)
    if answer.video is not None:
        return answer
    check, emotions, why_not = video_policy(answer)
    if not check:
        result = {"skipped": why_not, "flags": []}
    else:
        ref_key = answer.interview.reference_image
        with contextlib.ExitStack() as files:
            reference = files.enter_context(local_media(ref_key)) if ref_key else None
            result = run(files.enter_context(local_media(answer.media_key)), reference_image=reference,
                         emotions=emotions)
    with transaction():
        # Consent may have been withdrawn while the check ran: its results are not stored then (the withdrawal
        # holds the interview's row while it erases the stored ones, so one of the two sees the other).
        if check and locked_interview(answer.interview_id).consent_biometric is not True:
            result = biometrics.erased()
        Answer.update(video=result, status=AnswerStatus.ANALYSED).where(Answer.id == answer.id).execute()
    return Answer.get_by_id(answer_id)


def scoring_inputs(answer):
    """The plain dicts the scoring engine takes for one answer: its question and the interview's other questions as
    the interview was sent them (their text and anchors then), the job's dimensions."""
    interview = answer.interview
    return question_inputs(interview.asked(answer.question_id), interview.asked_questions(),
                           interview.application.job)


def question_inputs(question, questions, job):
    """The scoring engine's (question, dimensions, job) dicts for `question` of `questions` (the job's, or an
    interview's: anything with a Question's attributes) of a job in the database."""
    dims = [{"name": d.name, "description": d.description, "weight": d.weight, "keywords": d.keywords or [],
             "rubric": d.rubric or []} for d in job.ordered_dimensions()]
    # The interview's other questions let the scorer see an answer told for another question.
    return ({"text": question.text, "dimensions": list(question.dimension_names), "anchors": question.anchors or {},
             "position": [q.id for q in questions].index(question.id)},
            dims,
            {"title": job.title, "description": job.description, "requirements": job.requirements,
             "family": job.family or "",
             "questions": [{"text": q.text, "anchors": q.anchors or {}} for q in questions]})


def score(answer_id):
    """Score one answer per dimension with evidence; skip when already scored."""
    from app.analysis.scoring import score_answer

    answer = Answer.get_by_id(answer_id)
    if answer.scores is not None:
        return answer
    question, dims, job = scoring_inputs(answer)
    interview = answer.interview
    use_expressions = bool(job and interview.application.job.use_expressions and interview.consent_biometric)
    profile = job_profile(interview.application.job_id)  # the job's newest calibrated weights, else the default
    result = score_answer((answer.transcript or {}).get("text", ""), answer.features or {}, question, dims, job,
                          video=answer.video, use_expressions=use_expressions, profile=profile,
                          transcript=answer.transcript)
    _save(answer, scores=result, status=AnswerStatus.SCORED)
    return Answer.get_by_id(answer_id)


def record_failure(answer_id, message, final):
    """Make a failed step visible on the answer and, when retries are exhausted, on the application."""
    answer = Answer.get_or_none(Answer.id == answer_id)
    if answer is None:
        return
    with transaction():
        fields = {"error": message[:2000]}
        if final:
            fields["status"] = AnswerStatus.FAILED
        Answer.update(**fields).where(Answer.id == answer_id).execute()
        if final:
            pos = answer.asked.position + 1
            problem = f"第{pos}题分析失败 answer {answer_id} failed: {message[:500]}"
            (Application.update(problem=problem, updated_at=utcnow())
             .where(Application.id == answer.interview.application_id).execute())
    log.warning("answer %s failed%s: %s", answer_id, " (final)" if final else "", message)


def _ready(question_ids, stored):
    return question_ids <= stored.answered and all(a.status == AnswerStatus.SCORED for a in stored.counted.values())


def interview_ready_for_report(interview_id, stored=None):
    """True when the interview is complete, every question has an answer and every counted answer is scored
    (`stored`: the interview's StoredAnswers when the caller has read them). A question whose every attempt failed
    analysis for good has no counted answer: the report says so (`StoredAnswers.unanalysed`), it does not wait for
    it forever."""
    interview = Interview.get_by_id(interview_id)
    if interview.status != InterviewStatus.COMPLETED:
        return False
    return _ready({q.id for q in interview.asked_questions()}, stored or stored_answers(interview_id))


def interviews_ready_for_report(interview_ids):
    """The ids of `interview_ids` that `interview_ready_for_report` says are ready, in two queries however many
    there are (for the sweeps)."""
    interviews = list(Interview.select().where(Interview.id.in_(list(interview_ids))
                                               & (Interview.status == InterviewStatus.COMPLETED)))
    if not interviews:
        return set()
    stored = stored_answers_of([i.id for i in interviews])
    return {i.id for i in interviews if _ready({q.id for q in i.asked_questions()}, stored[i.id])}


def job_profile(job_id):
    """The job's newest calibrated profile as a dict, or None (the default profile)."""
    row = (ScoringProfile.select().where(ScoringProfile.job == job_id)
           .order_by(ScoringProfile.created_at.desc(), ScoringProfile.id.desc()).first())
    return row.as_profile() if row else None

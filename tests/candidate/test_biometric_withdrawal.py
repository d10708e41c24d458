"""Withdrawing biometric consent erases the face results already stored, not only the face photo."""
from app.core import pipeline
from app.core.base import utcnow
from app.core.jobs import get_queue
from app.interview import flow as interview_flow
from app.interview import reports
from app.interview.answer_analysis import video_policy
from app.interview.answer_jobs import SCORE_ANSWER
from app.interview.biometrics import WITHDRAWN
from app.interview.models import Answer, AnswerStatus, Interview
from tests.support.interviews import invite, make_ready, two_question_job

FACE = {"frames": 12, "no_face_ratio": 0.5, "multi_face_frames": 3, "identity": {"verdict": "different",
        "distance": 0.71}, "emotions": {"happy": 0.4, "neutral": 0.5},
        "flags": [{"code": "different_person", "message": "答题人与参考照片或开头画面不是同一人 / different person"},
                  {"code": "multiple_faces", "message": "画面中出现多张人脸（3 帧） / multiple faces"}]}
SCORED = {"model_version": "t", "dimensions": {}}


def _withdraw(interview):
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    return Interview.get_by_id(interview.id)


def test_withdrawing_biometric_consent_erases_the_stored_face_results(app, redis_conn):
    """Before: only the reference photo went; each answer kept its face counts, identity match and expression
    probabilities, the report built later flagged 不是同一人, and the expression score stayed mixed with them."""
    job = two_question_job(use_expressions=True)
    interview, _ = invite(job)
    make_ready(interview, biometric=True)
    q1, q2 = job.ordered_questions()
    scored = Answer.create(interview=interview, question=q1, attempt=1, media_key="answers/x/1.webm",
                           has_video=True, duration_s=60.0, status="scored", video=FACE, scores=SCORED,
                           transcript={"text": "我负责过订单系统的优化,把接口从两秒降到两百毫秒。", "segments": []})
    analysed = Answer.create(interview=interview, question=q2, attempt=1, media_key="answers/x/2.webm",
                             has_video=True, duration_s=60.0, status="analysed", video=dict(FACE, emotions={}),
                             transcript={"text": "我带过三个人的小组,按周复盘。", "segments": []})
    interview = _withdraw(interview)
    assert interview.reference_image == "" and interview.audio_only
    for row in (scored, analysed):
        video = Answer.get_by_id(row.id).video
        assert video == {"skipped": WITHDRAWN, "flags": []}, video
    # Scored with the face's expression probabilities: scored again without them, the recording kept.
    again = Answer.get_by_id(scored.id)
    assert again.scores is None and again.status == AnswerStatus.ANALYSED and again.media_key
    assert get_queue(SCORE_ANSWER.queue).fetch_job(SCORE_ANSWER.make_job_id((scored.id,))) is not None
    assert Answer.get_by_id(analysed.id).status == AnswerStatus.ANALYSED
    later = Answer.create(interview=interview, question=q2, attempt=2, media_key="answers/x/3.webm", has_video=True)
    assert video_policy(later) == (False, False, WITHDRAWN)
    later.delete_instance()

    # The report built later shows no face result, and says why.
    Answer.update(status="scored", scores=SCORED).execute()
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    pipeline.advance_stage(interview.application_id, "ai_completed", actor="t", source="system")
    report = reports.build_report(interview.id)
    codes = {f["code"] for f in report.flags}
    assert not codes & {"no_face", "multiple_faces", "different_person"}, codes
    face = next(c for c in report.integrity["checks"] if c["code"] == "face")
    assert not face["ran"] and face["note"] == "候选人已撤回生物识别同意，人脸核验结果已删除"


def test_declining_from_the_start_still_says_no_consent(app):
    """Only a withdrawal says 已撤回: a candidate who never consented is told apart."""
    job = two_question_job()
    interview, _ = invite(job)
    make_ready(interview, biometric=False)
    interview = _withdraw(interview)
    answer = Answer.create(interview=interview, question=job.ordered_questions()[0], attempt=1,
                           media_key="answers/x/1.webm", has_video=True)
    assert video_policy(answer)[2] == "候选人未同意生物识别 no biometric consent"

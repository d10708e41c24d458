"""A scored interview with its report (fixture `report`), one with an answer whose analysis failed for good, and a staff
sign-in for the Flask test client."""
import pytest

from app.core import pipeline
from app.core.storage import get_storage
from app.interview import flow as interview_flow
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Report

TRANSCRIPT = "首先我用慢查询日志定位到缺少索引,加上索引以后查询时间从八百毫秒降到三十毫秒。"


@pytest.fixture
def report(app, demo_job):
    interview, _ = invite_candidate(demo_job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    get_storage().save("answers/test/a1.webm", b"\x1a\x45\xdf\xa3 not really webm")
    q = demo_job.ordered_questions()[1]
    start = TRANSCRIPT.index("慢查询日志")
    answer = Answer.create(interview=interview, question=q, media_key="answers/test/a1.webm", mime_type="audio/webm",
                           duration_s=12.0, status="scored", transcript={"text": TRANSCRIPT, "segments": []},
                           features={"speaking_rate_cpm": 210.0},
                           scores={"dimensions": {"岗位匹配度": {"score": 81, "evidence": []}}, "model_version": "t"})
    for stage in ("ai_in_progress", "ai_completed", "ai_scored"):
        pipeline.advance_stage(interview.application_id, stage, actor="test", source="system")
    evidence = [{"type": "quote", "text": "慢查询日志", "start": start, "end": start + 5, "why": "关键词「慢查询」",
                 "answer_id": answer.id, "question": q.position},
                {"type": "rubric", "point": "能用索引、缓存等手段定位并解决性能问题", "matched_by": "索引",
                 "answer_id": answer.id, "question": q.position}]
    return Report.create(interview=interview, total=76.5, model_version="rules-test", flags=[
        {"code": "no_face", "message": "长时间未检测到人脸", "question": q.position, "answer_id": answer.id}],
        dimensions={"语言表达": {"score": None, "weight": 20, "answers": [], "evidence": []},
                    "逻辑思维": {"score": 70.0, "weight": 30, "answers": [], "evidence": []},
                    "岗位匹配度": {"score": 81.0, "weight": 50, "answers": [], "evidence": evidence}})


def sign_in_as(client, userid, name=""):
    """Sign a test client in as `userid` the way the OAuth callback does (session cookie + server-side record)."""
    from app.core import staff_sessions
    from app.core.staff import sign_in
    sign_in(userid, name)
    with client.session_transaction() as sess:
        sess["staff_userid"] = userid
        sess["staff_sid"] = staff_sessions.start(userid)  # the server-side record a real sign-in makes


def another_jobs_manager():
    """A manager (wangfang) of another job only: the sales job, imported with wangfang as its only manager."""
    from app.screening.job_templates import import_template
    text = open("job_templates/sales-representative.yaml", encoding="utf-8").read().replace("[zhangwei, wangfang]",
                                                                                          "[wangfang]")
    import_template(text)
    return "wangfang"


CLIPS = ["backend_good", "backend_average", "backend_poor", "backend_good"]


def scored_interview():
    """A finished interview of the backend job whose answers are the fixture clips' frozen transcripts, really
    scored, and its report (the face video is the astronaut clip)."""
    from app.analysis.speech import speech_features
    from app.core.base import utcnow
    from app.interview import answer_analysis, reports
    from app.interview.models import Interview
    from tests.support.app import import_job
    from tests.support.media import MEDIA, frozen_transcripts

    job = import_job("backend-engineer.yaml")
    interview, _ = invite_candidate(job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    transcripts = frozen_transcripts()
    for question, clip in zip(job.ordered_questions(), CLIPS, strict=False):
        key = f"answers/{interview.id}/{question.id}.webm"
        get_storage().save(key, (MEDIA / "face_astronaut.webm").read_bytes())
        transcript = transcripts[clip]
        answer = Answer.create(interview=interview, question=question, media_key=key, mime_type="video/webm",
                               has_video=True, duration_s=transcript.duration, status="analysed",
                               transcript=transcript.to_dict(), features=speech_features(transcript),
                               video={"flags": [], "identity": {"verdict": "same"}})
        answer_analysis.score(answer.id)
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    return reports.build_report(interview.id)


def failed_report(job, failed_position=1, recording=None, also_failed=()):
    """The job's report (built as the worker builds it) where every question was answered and scored 70 but the one
    at `failed_position` (and those at `also_failed`), whose only attempt's analysis failed for good; every
    recording is stored (`recording`: the failed one's bytes, e.g. a real clip for a browser). Returns (report, the
    Answer at `failed_position`)."""
    from app.core.base import utcnow
    from app.interview import answer_jobs, reports
    from app.interview.models import AnswerStatus, Interview
    interview, _ = invite_candidate(job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    failed, others = None, []
    for question in job.ordered_questions():
        key = f"answers/{interview.id}/{question.id}.webm"
        fake = b"\x1a\x45\xdf\xa3 recording %d" % question.position
        get_storage().save(key, recording if recording and question.position == failed_position else fake)
        answer = Answer.create(interview=interview, question=question, media_key=key, mime_type="video/webm",
                               has_video=True, duration_s=40.0)
        if question.position == failed_position:
            failed = answer
            continue
        if question.position in also_failed:
            others.append(answer)
            continue
        dims = {d: {"score": 70, "level": 3, "reasons": []} for d in question.dimension_names}
        Answer.update(status=AnswerStatus.SCORED, transcript={"text": "我负责订单系统的慢查询优化。", "segments": []},
                      video={"flags": [], "identity": {"verdict": "same"}},
                      scores={"dimensions": dims, "model_version": "t"}).where(Answer.id == answer.id).execute()
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    for answer in [failed, *others]:
        answer_jobs.answer_failed(answer.id, "RuntimeError: ffmpeg exited with 1", True)  # the job gave up
        assert Answer.get_by_id(answer.id).status == AnswerStatus.FAILED
    return reports.build_report(interview.id), failed

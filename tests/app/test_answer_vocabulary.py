"""The job's vocabulary reaches the speech-to-text call, and the stored transcript keeps the raw text for audit."""
from app.core.storage import get_storage
from app.interview import flow as interview_flow
from app.interview.answer_analysis import transcribe
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, AnswerStatus
from tests.support.media import MEDIA, FrozenEngine


def test_the_answer_is_transcribed_with_its_jobs_words(app, demo_job):
    interview, _ = invite_candidate(demo_job.id, "候选人", "13800000001")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    question = demo_job.ordered_questions()[1]  # 请讲一次你排查并解决线上性能问题的经历 (逻辑思维, 岗位匹配度)
    key = f"answers/{interview.id}/backend_good.webm"  # FrozenEngine plays the frozen transcript of this clip
    get_storage().save(key, (MEDIA / "backend_good.webm").read_bytes())
    answer = Answer.create(interview=interview, question=question, media_key=key, mime_type="video/webm",
                           duration_s=38.6, status=AnswerStatus.UPLOADED)
    engine = FrozenEngine()
    stored = transcribe(answer.id, engine)
    vocabulary = engine.vocabulary
    assert vocabulary.family == "backend"
    # the question's own dimensions first (岗位匹配度 keywords), then field terms of data/vocabulary.yaml
    assert {"索引", "慢查询", "消息队列", "缓存"} <= set(vocabulary.prompt_terms())
    assert {"联合索引", "执行计划", "高并发"} <= set(vocabulary.correction_terms())
    assert stored.status == AnswerStatus.TRANSCRIBED
    assert {"text", "raw_text", "corrections", "prompt_terms", "dropped"} <= set(stored.transcript)

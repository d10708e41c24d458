"""Integrity flags from crafted interviews: each says what was checked and what was found; the card line too."""
import datetime as dt
import json

import pytest

from app.core import pipeline
from app.core.base import utcnow
from app.interview import flow as interview_flow
from app.interview import integrity, reports
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Interview, QuestionStart, Report

STORY = "去年我负责订单系统，慢查询日志显示订单表缺少联合索引，我加了索引并改写了分页查询，接口从两秒降到两百毫秒。"
OTHER = "我在销售团队里负责华东区的十个大客户，每周拜访两次，半年里把续约率从百分之七十提高到了九十。"


@pytest.fixture
def interview(app, demo_job):
    interview, _ = invite_candidate(demo_job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    return Interview.get_by_id(interview.id)


def _answers(interview, texts, duration=60.0, video=None):
    questions = interview.application.job.ordered_questions()
    rows = []
    for question, text in zip(questions, texts, strict=False):
        rows.append(Answer.create(
            interview=interview, question=question, media_key=f"answers/x/{question.id}.webm", has_video=True,
            duration_s=duration, status="scored", transcript={"text": text, "segments": []},
            video=video if video is not None else {"flags": [], "identity": {"verdict": "same"}}))
    return rows


def _codes(result):
    return [f["code"] for f in result["flags"]]


def test_a_clean_interview_ran_every_check_and_found_nothing(interview):
    answers = _answers(interview, [STORY, OTHER, STORY[:20] + OTHER[20:], OTHER[::-1]])
    result = integrity.check_interview(interview, answers)
    assert result["flags"] == [] and result["line"] == "未发现异常"
    assert all(check["ran"] and check["found"] == 0 for check in result["checks"])


def test_the_same_answer_to_every_question_is_flagged(interview):
    answers = _answers(interview, [STORY] * 4, duration=11.0)
    result = integrity.check_interview(interview, answers)
    duplicates = [f for f in result["flags"] if f["code"] == "duplicate_answers"]
    assert len(duplicates) == 6  # every pair of the four answers
    assert "第1题与第2题的回答几乎相同" in duplicates[0]["message"]
    assert result["line"].startswith(f"{len(result['flags'])} 项提示：") and "几乎相同" in result["line"]


def test_short_and_silent_answers_are_flagged_with_what_was_asked(interview):
    answers = _answers(interview, [STORY, "", STORY[:10], OTHER])
    Answer.update(duration_s=6.0).where(Answer.id == answers[2].id).execute()
    result = integrity.check_interview(interview, [Answer.get_by_id(a.id) for a in answers])
    messages = {f["code"]: f["message"] for f in result["flags"]}
    assert "第2题未识别到说话内容" in messages["no_speech"]
    limit = answers[2].question.answer_seconds
    assert messages["short_answer"] == f"第3题回答仅 6 秒，题目作答时间 {limit} 秒"


def test_a_restarted_answer_and_leaving_the_page_are_flagged(interview):
    answers = _answers(interview, [STORY, OTHER])
    QuestionStart.create(interview=interview, question=answers[0].question, attempt=1, recording_restarts=1)
    QuestionStart.create(interview=interview, question=answers[1].question, attempt=1, hidden_count=2,
                         hidden_seconds=14.2)
    result = integrity.check_interview(interview, answers)
    messages = {f["code"]: f["message"] for f in result["flags"]}
    assert "第1题录制中页面被刷新或关闭" in messages["restarted"] and "可能不完整" in messages["restarted"]
    assert messages["page_hidden"] == "第2题录制中离开答题页面 2 次，共 14 秒"
    assert _codes(result) == ["page_hidden", "restarted"]  # the more serious first


def test_face_flags_come_through_and_an_audio_only_interview_says_no_face_check(interview):
    video = {"flags": [{"code": "different_person", "message": "答题人与参考照片或开头画面不是同一人 / The person"}]}
    answers = _answers(interview, [STORY, OTHER], video=video)
    result = integrity.check_interview(interview, answers)
    assert _codes(result) == ["different_person", "different_person"]
    assert result["flags"][0]["message"] == "第1题答题人与参考照片或开头画面不是同一人"

    Interview.update(consent_biometric=False).where(Interview.id == interview.id).execute()
    Answer.update(has_video=False, video={"skipped": "仅音频作答", "flags": []}).execute()
    audio_only = integrity.check_interview(Interview.get_by_id(interview.id), list(Answer.select()))
    face = next(c for c in audio_only["checks"] if c["code"] == "face")
    assert face["ran"] is False and face["note"] == "仅音频作答，未做人脸核验"
    assert audio_only["audio_only"] and audio_only["line"] == "仅音频 · 未发现异常"


def test_every_face_flag_the_worker_writes_reads_in_chinese_only_on_the_report_and_card(interview):
    """The worker writes "中文 / English"; the no-face message had no space before its slash, so its English
    reached the manager's WeCom card (…最长连续 5 秒）/ No face in the video for part of the answer)."""
    from app.analysis import video as video_analysis
    worker_flags = video_analysis._flags({"frames_sampled": 10, "no_face_ratio": 1.0, "longest_no_face_s": 5.0,
                                          "multi_face_frames": 3, "identity": {"verdict": "different"}})
    assert [f["code"] for f in worker_flags] == ["no_face", "multiple_faces", "different_person"]
    answers = _answers(interview, [STORY], video={"flags": worker_flags})
    result = integrity.check_interview(interview, answers)
    assert {f["code"]: f["message"] for f in result["flags"]} == {
        "no_face": "第1题画面中未检测到人脸（100% 的抽样帧，最长连续 5 秒）",
        "multiple_faces": "第1题画面中出现多张人脸（3 帧）",
        "different_person": "第1题答题人与参考照片或开头画面不是同一人"}
    stored = {"code": "no_face", "message": "画面中未检测到人脸（100% 的抽样帧，最长连续 5 秒）/ No face in the video"}
    Answer.update(video={"flags": [stored]}).execute()   # as answers analysed before hold it; alone, the line names it
    alone = integrity.check_interview(interview, list(Answer.select()))
    assert alone["line"] == "1 项提示：第1题画面中未检测到人脸（100% 的抽样帧，最长连续 5 秒）"


def test_the_report_and_its_card_carry_the_checks(interview, redis_conn):
    answers = _answers(interview, [STORY] * 4, duration=11.0)
    for answer in answers:
        Answer.update(scores={"dimensions": {}, "model_version": "t"}).where(Answer.id == answer.id).execute()
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    report = reports.build_report(interview.id)
    assert report.integrity["flags"] and report.flags == report.integrity["flags"]
    job = interview.application.job
    assert job.version == 1 and Report.get_by_id(report.id).job_version == 1  # the model version that scored it
    summary = reports.card_summary(Report.get_by_id(report.id), "http://x/m/reports/1")
    assert summary["integrity"] == f"{len(report.flags)} 项提示：第1题与第2题的回答几乎相同（相同内容约 100%）"
    assert summary["band"] == reports.score_band(report.total)
    job_order = [d.name for d in interview.application.job.ordered_dimensions()]
    assert [name for name, _ in summary["dimensions"]] == [
        name for name in job_order if report.dimensions[name]["score"] is not None]


def test_old_reports_without_checks_still_get_a_line(interview):
    report = Report.create(interview=interview, total=50.0, dimensions={}, flags=[], model_version="t",
                           created_at=utcnow() - dt.timedelta(days=1))
    assert reports.integrity_of(report)["line"] == "未发现异常"


def _scored(answer, **scores):
    Answer.update(scores={"dimensions": {}, "model_version": "t", **scores}).where(Answer.id == answer.id).execute()
    return Answer.get_by_id(answer.id)


def test_every_answer_told_for_another_question_is_flagged(interview):
    answers = _answers(interview, [STORY, OTHER, STORY[:30] + "。", OTHER[:30] + "。"])
    answers[2] = _scored(answers[2], mismatch={"question": 0, "message": "第3题的回答更像在回答第1题"})
    answers[3] = _scored(answers[3], mismatch={"question": 1, "message": "第4题的回答更像在回答第2题"})
    result = integrity.check_interview(interview, answers)
    flags = [f for f in result["flags"] if f["code"] == "answer_mismatch"]
    assert [f["message"] for f in flags] == ["第3题的回答更像在回答第1题", "第4题的回答更像在回答第2题"]
    check = next(c for c in result["checks"] if c["code"] == "answer_mismatch")
    assert check["ran"] and check["found"] == 2


def test_an_answer_too_unreliable_to_score_is_flagged_and_the_total_says_what_it_rests_on(interview, redis_conn):
    answers = _answers(interview, [STORY, OTHER, STORY, OTHER[::-1]])
    reason = "语音识别的把握很低（平均对数概率 -1.40），转写可能不准，无法可靠评分"
    for i, answer in enumerate(answers):
        score = None if i == 1 else 60 + 10 * i
        dims = {d: {"score": score, "level": None if score is None else 4, "reasons": []}
                for d in answer.question.dimension_names}
        Answer.update(scores={"dimensions": dims, "model_version": "t",
                              "reliability": {"reliable": i != 1, "reason": reason if i == 1 else ""}}
                      ).where(Answer.id == answer.id).execute()
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    report = reports.build_report(interview.id)
    assert "unreliable_transcript" in [f["code"] for f in report.flags]
    assert any(f["message"] == f"第2题{reason}" for f in report.flags)
    assert reports.basis(report) == (3, 4)
    summary = reports.card_summary(report, "http://x/m/reports/1")
    assert summary["basis"] == "总分基于 3/4 题(其余无法可靠评分)"
    from app.interview.result_cards import build_result_card
    card = build_result_card(interview.application, summary, "t1")
    assert "总分基于 3/4 题" in json.dumps(card, ensure_ascii=False)
    for name, d in report.dimensions.items():  # an abstained answer counts neither way
        scored = [a["score"] for a in d["answers"] if a["score"] is not None]
        assert d["score"] == (round(sum(scored) / len(scored), 1) if scored else None), name

"""The answer jobs on a real RQ worker: transcribe -> video -> score -> report -> ai_scored; failures visible."""
import dataclasses
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker

from app.conversation.services import POST_STAGE_NOTICE
from app.core import jobs
from app.core.models import Application
from app.core.queues import FAST, MEDIA, PLAYBACK, SCORING
from app.core.storage import get_storage
from app.interview.answer_jobs import ANALYSE_VIDEO, PROCESS_ANSWER, SCORE_ANSWER
from app.interview.models import Answer, Report
from app.interview.reports import BUILD_REPORT
from app.interview.result_cards import PUSH_RESULT_CARD
from tests.support.interviews import start_interview, two_question_job, upload_answer
from tests.support.media import MEDIA as FIXTURES

pytestmark = pytest.mark.slow


def run_worker(redis_conn, *names):
    queues = [Queue(name, connection=redis_conn) for name in names]
    SimpleWorker(queues, connection=redis_conn).work(burst=True)


def test_interview_is_transcribed_checked_scored_and_reported(app, redis_conn, answer_with_face):
    job = two_question_job()
    face = (FIXTURES / "astronaut.jpg").read_bytes()
    interview, token = start_interview(job, biometric=True, face=face)
    q1, q2 = job.ordered_questions()
    first = upload_answer(token, q1, answer_with_face)
    second = upload_answer(token, q2, FIXTURES / "backend_poor.ogg", mime="audio/ogg")
    assert Application.get_by_id(interview.application_id).stage == "ai_completed"

    run_worker(redis_conn, SCORING, MEDIA)

    first, second = Answer.get_by_id(first.id), Answer.get_by_id(second.id)
    assert first.status == second.status == "scored"
    assert "查询时间" in first.transcript["text"] and first.features["duration_s"] > 10
    assert first.video["identity"]["verdict"] == "same" and first.video["flags"] == []
    assert first.video["emotions"] is None  # the job does not use expressions
    assert second.video["skipped"]  # audio-only answer: no face checks
    report = Report.get(Report.interview == interview.id)
    assert set(report.dimensions) == {"语言表达", "逻辑思维", "岗位匹配度"}
    assert 0 <= report.total <= 100 and report.model_version
    # The STAR answer with numbers outscores the rambling one on the question's dimension.
    poor = second.scores["dimensions"]["岗位匹配度"]
    if (second.transcript.get("text") or "").strip():
        assert first.scores["dimensions"]["岗位匹配度"]["score"] > poor["score"]
    else:  # Whisper looped on this clip here (text over silence dropped): the scorer abstains, it does not guess
        assert poor["score"] is None and "无法可靠评分" in poor["abstained"]
    quotes = [e for e in report.dimensions["岗位匹配度"]["evidence"] if e["type"] == "quote"]
    assert quotes and all(e["text"] in Answer.get_by_id(e["answer_id"]).transcript["text"] for e in quotes)
    assert Application.get_by_id(interview.application_id).stage == "ai_scored"
    fast = Queue(FAST, connection=redis_conn)
    # The result card, after the candidate's notices (invited, completed) of the earlier stage changes.
    cards = [(j.func_name, j.args) for j in fast.get_jobs() if j.func_name != POST_STAGE_NOTICE.func]
    assert cards == [(PUSH_RESULT_CARD.func, (report.id,))]
    # The playback copies were not made on the way to the report: they wait on the lowest-priority queue.
    assert set(Queue(PLAYBACK, connection=redis_conn).job_ids) == {f"playback-answer-{first.id}",
                                                                   f"playback-answer-{second.id}"}
    assert Answer.get_by_id(first.id).playback_key == Answer.get_by_id(second.id).playback_key == ""

    # Rerunning every step changes nothing: no second report, same scores.
    before = (first.scores, report.id, report.total)
    for step in (PROCESS_ANSWER, ANALYSE_VIDEO, SCORE_ANSWER):
        jobs.enqueue(step, first.id, key="rerun")
    jobs.enqueue(BUILD_REPORT, interview.id, key="rerun")
    run_worker(redis_conn, SCORING, MEDIA)
    again = Report.get(Report.interview == interview.id)
    assert (Answer.get_by_id(first.id).scores, again.id, again.total) == before
    assert Report.select().count() == 1
    assert len(Queue(PLAYBACK, connection=redis_conn)) == 2   # the rerun report asked for no more copies

    run_worker(redis_conn, PLAYBACK)
    first, second = Answer.get_by_id(first.id), Answer.get_by_id(second.id)
    assert first.playback_key.endswith(".mp4") and first.poster_key and second.playback_key.endswith(".m4a")


def test_a_failed_answer_is_visible_on_the_application(app, redis_conn):
    job = two_question_job()
    interview, token = start_interview(job, biometric=False)
    q1, _ = job.ordered_questions()
    answer = upload_answer(token, q1, FIXTURES / "backend_good.webm", mime="audio/webm")
    Queue(MEDIA, connection=redis_conn).empty()
    # The stored file is lost (a disk problem): transcription cannot succeed, retries are exhausted.
    Path(get_storage().path_for(answer.media_key)).unlink()
    jobs.enqueue(dataclasses.replace(PROCESS_ANSWER, retries=0), answer.id, key="no-retry")
    run_worker(redis_conn, MEDIA)
    answer = Answer.get_by_id(answer.id)
    assert answer.status == "failed" and answer.error
    problem = Application.get_by_id(interview.application_id).problem
    assert "第1题分析失败" in problem


def test_the_sweep_resumes_each_answer_at_its_step(app, redis_conn):
    from app.core.sweeps import resume_unfinished
    job = two_question_job()
    interview, token = start_interview(job, biometric=False)
    q1, q2 = job.ordered_questions()
    a1 = upload_answer(token, q1, FIXTURES / "backend_good.webm", mime="audio/webm")
    a2 = upload_answer(token, q2, FIXTURES / "backend_average.mp4", mime="video/mp4")
    Queue(MEDIA, connection=redis_conn).empty()
    Answer.update(status="transcribed", transcript={"text": "x", "segments": []}, features={}).where(
        Answer.id == a2.id).execute()
    assert resume_unfinished() == 2
    ids = set(Queue(MEDIA, connection=redis_conn).get_job_ids())
    assert ids == {f"process-answer-{a1.id}", f"video-answer-{a2.id}"}
    assert resume_unfinished() == 2 and len(Queue(MEDIA, connection=redis_conn)) == 2  # no duplicates


def test_the_sweep_resends_a_result_card_left_by_a_killed_worker(app, redis_conn):
    import datetime as dt

    from app.core.base import utcnow
    from app.core.pipeline import advance_stage
    from app.core.sweeps import resume_unfinished
    from app.interview.models import CardMessage, Interview
    job = two_question_job()
    interview, _ = start_interview(job, biometric=False)
    Interview.update(status="completed").where(Interview.id == interview.id).execute()
    report = Report.create(interview=interview, total=50.0, dimensions={}, flags=[], model_version="t")
    for stage in ("ai_completed", "ai_scored"):
        advance_stage(interview.application_id, stage, actor="t", source="system")
    Queue(FAST, connection=redis_conn).empty()
    key = f"ai-result-{interview.application_id}"
    card = CardMessage.create(card_key=key, task_id=key, application=interview.application_id,
                              kind="result", userids=["zhangwei"], card={}, status="sending")
    assert resume_unfinished() == 0  # a send in progress is left alone
    # Its worker was killed mid-send: within a minute the row is stale and the sweep sends it again.
    CardMessage.update(updated_at=utcnow() - dt.timedelta(seconds=45)).where(CardMessage.id == card.id).execute()
    assert resume_unfinished() == 1
    [queued] = Queue(FAST, connection=redis_conn).get_jobs()
    assert queued.func_name == PUSH_RESULT_CARD.func and queued.args == (report.id,)


def test_the_sweep_queues_playback_copies_only_once_the_report_exists(app, redis_conn):
    from app.core.sweeps import resume_unfinished
    job = two_question_job()
    interview, token = start_interview(job, biometric=False)
    q1, _ = job.ordered_questions()
    answer = upload_answer(token, q1, FIXTURES / "backend_good.webm", mime="audio/webm")
    Queue(MEDIA, connection=redis_conn).empty()
    Answer.update(status="scored", transcript={"text": "x", "segments": []}, features={}, video={"flags": []},
                  scores={"dimensions": {}}).where(Answer.id == answer.id).execute()
    resume_unfinished()
    assert len(Queue(PLAYBACK, connection=redis_conn)) == 0   # no copy competes with the way to the report
    Report.create(interview=interview, total=50.0, dimensions={}, flags=[], model_version="t")
    resume_unfinished()
    assert Queue(PLAYBACK, connection=redis_conn).job_ids == [f"playback-answer-{answer.id}"]

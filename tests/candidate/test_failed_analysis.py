"""An answer whose analysis failed for good: the candidate is not at fault and goes on, and the report says so."""
from app.core.jobs import get_queue
from app.core.models import Application
from app.interview import answer_jobs, reports
from app.interview import flow as interview_flow
from app.interview.answer_analysis import interview_ready_for_report
from app.interview.flow import progress
from app.interview.models import Answer, AnswerStatus, Interview
from app.interview.reports import BUILD_REPORT
from tests.support.interviews import invite, make_ready, make_short_job

SCORES = {"dimensions": {"语言表达": {"score": 70, "level": 4, "reasons": [], "evidence": []}}, "model_version": "t"}


def _failed_first_answer(questions=2):
    job = make_short_job(questions=questions, retakes=0)
    interview, token = invite(job)
    make_ready(interview)
    first = job.ordered_questions()[0]
    answer = Answer.create(interview=interview, question=first, attempt=1, media_key="a/1.webm")
    interview_flow.on_answer_stored(interview.id)
    answer_jobs.PROCESS_ANSWER.on_failure(answer.id, "RuntimeError: asr down", True)  # the job gave up
    assert Answer.get_by_id(answer.id).status == AnswerStatus.FAILED
    return job, Interview.get_by_id(interview.id), token


def test_the_candidate_goes_on_after_an_answer_failed_analysis(any_db_app):
    """Before: the first unanswered question was the failed one again, whose only attempt was used: the H5 tried
    attempt 2, the server answered no_retakes_left, and the page offered 重试上传 for ever."""
    job, interview, token = _failed_first_answer()
    q1, q2 = job.ordered_questions()
    assert progress(interview).question.id == q2.id
    client = any_db_app.test_client()
    page = client.get(f"/i/{token}/question")
    assert page.status_code == 200 and q2.text in page.get_data(as_text=True)
    listed = client.get("/mp/api/v1/questions", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert listed["next_question_id"] == q2.id and listed["questions"][0]["answered"] is True
    Answer.create(interview=interview, question=q2, attempt=1, media_key="a/2.webm")
    assert interview_flow.on_answer_stored(interview.id) is True
    interview = Interview.get_by_id(interview.id)
    assert interview.status == "completed" and progress(interview).step == "done"


def test_the_report_is_built_and_says_which_answer_could_not_be_analysed(app, redis_conn):
    job, interview, _ = _failed_first_answer()
    q2 = job.ordered_questions()[1]
    scored = Answer.create(interview=interview, question=q2, attempt=1, media_key="a/2.webm", status="scored",
                           transcript={"text": "我负责过订单系统的优化。", "segments": []}, duration_s=60.0,
                           scores=SCORES)
    interview_flow.on_answer_stored(interview.id)
    assert interview_ready_for_report(interview.id)
    report = reports.build_report(interview.id)
    flags = [f for f in report.flags if f["code"] == "analysis_failed"]
    assert [f["question"] for f in flags] == [job.ordered_questions()[0].position]
    assert "系统未能完成分析（非候选人原因）" in flags[0]["message"]
    assert report.total == 70.0 and reports.basis(report) == (1, 2)
    assert reports.basis_line(report) == "总分基于 1/2 题(其余未能完成分析)"
    assert scored.id in [a["answer_id"] for a in report.dimensions["语言表达"]["answers"]]
    assert Application.get_by_id(interview.application_id).stage == "ai_scored"


def test_the_last_answer_failing_for_good_queues_the_report(app, redis_conn):
    job, interview, _ = _failed_first_answer(questions=1)
    assert Interview.get_by_id(interview.id).status == "completed"
    answer = Answer.get(Answer.interview == interview.id)
    job_id = BUILD_REPORT.make_job_id((interview.id,), f"f{answer.id}")
    assert get_queue(BUILD_REPORT.queue).fetch_job(job_id) is not None
    report = reports.build_report(interview.id)
    assert report.total is None and reports.basis_line(report) == "0/1 题可评分:录音未能完成分析(系统原因,非候选人原因)"

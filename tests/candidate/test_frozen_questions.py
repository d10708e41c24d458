"""An interview's questions are the ones it was sent with (Interview.questions, fixed by invitations.open_interview):
HR editing the job's questions (app/screening/job_versions) mid-interview or after the answers changes nothing of
it; the edit reaches the interviews opened afterwards."""
import pytest

from app.analysis.scoring import score_answer
from app.core.errors import Conflict
from app.core.models import Question
from app.interview import answer_analysis
from app.interview.flow import progress
from app.interview.models import Answer, Interview
from app.screening import job_versions
from tests.support.interviews import invite, make_ready, upload_answer
from tests.support.media import frozen_transcripts
from tests.support.reports import sign_in_as

NEW = "新加的题:说说你的职业规划。"


def edit_questions(job, change):
    """Save the job as HR's editor does, its questions (template dict, stored id; None for a new one) as `change`
    returns them from the current ones."""
    tpl = job_versions.current_template(job)
    pairs = change(list(zip(tpl["questions"], [q.id for q in job.ordered_questions()], strict=True)))
    tpl["questions"] = [q for q, _ in pairs]
    return job_versions.update_job(job.id, tpl, "hr_lina", "编辑题目", question_ids=[i for _, i in pairs])


def insert_reorder_retime(pairs):
    """A new first question, questions 2 and 3 swapped, question 2 retimed and reworded."""
    (q1, i1), (q2, i2), (q3, i3), *rest = pairs
    q2 = dict(q2, text="改过的第二题:请讲讲你最近读的一本书。", think_seconds=5, answer_seconds=60, retakes=0)
    new = dict(q1, text=NEW, anchors={})
    return [(new, None), (q1, i1), (q3, i3), (q2, i2), *rest]


def heading(client, token):
    page = client.get(f"/i/{token}/question").get_data(as_text=True)
    return page.split('<span class="q-head__num">', 1)[1].split("</span>", 1)[0], page


def api(client, token, method, path, **kwargs):
    return getattr(client, method)(f"/mp/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, **kwargs)


def test_a_candidate_mid_interview_keeps_their_questions_order_and_timing_when_hr_edits_them(
        client, demo_job, tmp_path, webm_bytes):
    """Question 2 was on the candidate's screen when HR inserted a question before question 1, swapped questions 2
    and 3 and retimed and reworded question 2. The candidate's page followed the job's live questions: a new
    question came in, the order changed and the clock ran on the new times. Now the interview keeps what it was
    sent: the same 4 questions, in their order, with their text and times; the new question never comes."""
    before = demo_job.ordered_questions()
    q1, q2, q3, q4 = before
    interview, token = invite(demo_job)
    make_ready(interview)
    path = tmp_path / "a.webm"
    path.write_bytes(webm_bytes)
    upload_answer(token, q1, path)
    assert heading(client, token)[0] == "第 2 / 4 题"

    edit_questions(demo_job, insert_reorder_retime)
    assert [q.text for q in demo_job.ordered_questions()][0] == NEW   # the job changed

    number, page = heading(client, token)
    assert number == "第 2 / 4 题" and q2.text in page and NEW not in page and "改过的第二题" not in page
    assert f"思考 {q2.think_seconds} 秒 · 作答 {q2.answer_seconds} 秒" in page
    listed = api(client, token, "get", "/questions").get_json()["questions"]
    assert [(q["id"], q["think_seconds"], q["answer_seconds"], q["retakes_allowed"]) for q in listed] == [
        (q.id, q.think_seconds, q.answer_seconds, q.retakes_allowed) for q in before]
    refused = api(client, token, "post", f"/questions/{q3.id}/start", json={"attempt": 1})
    assert refused.status_code == 409 and refused.get_json()["error"]["details"]["number"] == 2
    timing = api(client, token, "post", f"/questions/{q2.id}/start", json={"attempt": 1}).get_json()
    assert (timing["think_seconds"], timing["answer_seconds"]) == (q2.think_seconds, q2.answer_seconds)
    assert api(client, token, "post", f"/questions/{q2.id}/start", json={"attempt": 2}).status_code == 200

    for question in (q2, q3, q4):
        upload_answer(token, question, path)
    assert progress(Interview.get_by_id(interview.id)).step == "done"
    assert Interview.get_by_id(interview.id).status == "completed"


def test_an_interview_opened_after_the_edit_gets_the_new_questions(client, demo_job):
    first, _ = invite(demo_job)
    edit_questions(demo_job, insert_reorder_retime)
    later, token = invite(demo_job, name="王芳", phone="13900002222")
    make_ready(later, name="王芳", phone="13900002222")
    assert [q.text for q in Interview.get_by_id(later.id).asked_questions()] == [
        q.text for q in demo_job.ordered_questions()]
    number, page = heading(client, token)
    assert number == "第 1 / 5 题" and NEW in page
    assert len(Interview.get_by_id(first.id).asked_questions()) == 4


def test_deleting_a_question_an_unfinished_interview_holds_is_refused(demo_job):
    """Nobody has answered question 4 yet, but an invited candidate was sent it: deleting it would drop a question
    from under them (its clock and recordings with it). Refused, naming it, and nothing changes."""
    invite(demo_job)
    before = [(q.id, q.text) for q in demo_job.ordered_questions()]
    with pytest.raises(Conflict) as refused:
        edit_questions(demo_job, lambda pairs: pairs[:3])
    assert refused.value.code == "question_in_use"
    assert str(refused.value).startswith("第 4 题「")
    assert "在尚未结束的面试中" in str(refused.value)
    assert [(q.id, q.text) for q in demo_job.ordered_questions()] == before
    Interview.update(status="revoked").execute()   # once no unfinished interview holds it, it may go
    edit_questions(demo_job, lambda pairs: pairs[:3])
    assert len(demo_job.ordered_questions()) == 3


def test_the_report_shows_the_question_asked_and_scoring_uses_the_anchors_it_was_sent_with(client, report):
    """HR reworded an answered question and rewrote its anchors after the report: the report showed the answer under
    the new text, and scoring it again used the new anchors. Both now keep what the candidate was asked."""
    answer = Answer.get()
    question = Question.get_by_id(answer.question_id)
    asked_text, asked_anchors = question.text, question.anchors
    assert asked_anchors, "the shipped template's question has anchors"
    job = question.job

    def reword(pairs):
        return [(dict(q, text="完全不同的新题目:你为什么想来我们公司?",
                      anchors={name: {1: "随便说说", 5: "公司很好"} for name in q["anchors"]})
                 if qid == question.id else q, qid) for q, qid in pairs]
    transcript = frozen_transcripts()["backend_good"]
    Answer.update(transcript=transcript.to_dict(), features={}, status="analysed").where(
        Answer.id == answer.id).execute()
    expected = score_answer(transcript.text, {}, *answer_analysis.scoring_inputs(Answer.get_by_id(answer.id)),
                            transcript=transcript.to_dict())
    edit_questions(job, reword)

    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert asked_text in html and "完全不同的新题目" not in html
    question_dict, _, job_dict = answer_analysis.scoring_inputs(Answer.get_by_id(answer.id))
    assert (question_dict["text"], question_dict["anchors"]) == (asked_text, asked_anchors)
    assert "完全不同的新题目" not in str(job_dict["questions"])
    Answer.update(scores=None).where(Answer.id == answer.id).execute()
    rescored = answer_analysis.score(answer.id).scores
    assert {n: d["score"] for n, d in rescored["dimensions"].items()} == {
        n: d["score"] for n, d in expected["dimensions"].items()}

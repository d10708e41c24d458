"""第 N / M 题 when HR edits the job's questions while a candidate is part-way (app/interview/flow.own_questions)."""
from app.core.models import Question
from app.interview.flow import progress
from tests.support.interviews import invite, make_ready, make_short_job, upload_answer


def insert_first(job, text):
    """HR inserts a question before the job's first one (as the job editor does: the later ones move down)."""
    for question in reversed(job.ordered_questions()):
        Question.update(position=question.position + 1).where(Question.id == question.id).execute()
    return Question.create(job=job, position=1, text=text, dimension_names=["语言表达"], think_seconds=2,
                           answer_seconds=4, retakes_allowed=0)


def shown(client, token):
    page = client.get(f"/i/{token}/question").get_data(as_text=True)
    heading = page.split('<span class="q-head__num">', 1)[1].split("</span>", 1)[0]
    return heading, page


def test_a_question_inserted_mid_interview_comes_after_the_one_shown_and_no_number_repeats(client, tmp_path,
                                                                                           webm_bytes):
    """Question 2 of 3 was on the candidate's screen (第 2 / 3 题) when HR inserted a question before question 1.
    The reopened page showed the inserted question as 第 2 / 4 题 (numbered by the answers so far) in place of the
    one the candidate had begun, then question 2 as 第 3 / 4 题, and the order check named the inserted question 第 1
    题. The candidate's questions are now numbered in the order they meet them: those already shown keep their place
    and number, a question added meanwhile comes after them, and every message counts the same way."""
    job = make_short_job(questions=3, retakes=0)
    q1, q2, q3 = job.ordered_questions()
    interview, token = invite(job)
    interview = make_ready(interview)
    path = tmp_path / "a.webm"
    path.write_bytes(webm_bytes)
    upload_answer(token, q1, path)
    heading, page = shown(client, token)
    assert heading == "第 2 / 3 题" and q2.text in page

    added = insert_first(job, "新加的题:说说你的职业规划。")
    heading, page = shown(client, token)
    assert (heading, progress(interview).question.id) == ("第 2 / 4 题", q2.id) and q2.text in page
    refused = client.post(f"/mp/api/v1/questions/{q3.id}/start", json={"attempt": 1},
                          headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["details"]["number"] == 2 and error["message"].startswith("请按顺序作答:第 2 题还没有提交回答,提交后"
                                                                          "才能作答第 4 题"), error

    upload_answer(token, q2, path)
    heading, page = shown(client, token)
    assert heading == "第 3 / 4 题" and added.text in page
    upload_answer(token, added, path)
    heading, page = shown(client, token)
    assert heading == "第 4 / 4 题" and q3.text in page
    upload_answer(token, q3, path)
    assert progress(interview).step == "done"

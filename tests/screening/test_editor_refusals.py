"""The job editor's refusals speak the page's language: a question is named as the page numbers it (from 1, with its
text), a field by its label, never by the template's path (which the YAML import keeps, for a YAML author); the
change note survives a refusal; an unknown manager and an over-long title are refused."""
import pytest

from app.core.errors import BadRequest
from app.core.extensions import settings
from app.core.models import Job, Question, StaffUser
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Interview
from app.screening import job_form, job_pages
from app.screening.job_templates import TemplateError, import_template
from app.screening.models import JobVersion
from tests.screening.test_admin_pages import editor_form
from tests.support.funnel import backend_template
from tests.support.reports import sign_in_as
from tests.support.servers import free_port


def _answer(job, position):
    """A candidate's answer to the job's question at `position` (0-based)."""
    interview, _ = invite_candidate(job.id, "李明", f"1380000{position:04d}")
    question = job.ordered_questions()[position]
    return Answer.create(interview=interview, question=question, media_key=f"a{question.id}", mime_type="audio/webm")


def _texts(job_id):
    return [q.text for q in Job.get_by_id(job_id).ordered_questions()]


def test_clearing_an_answered_question_names_that_question(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    before = _texts(job.id)
    _answer(job, 0)
    form = editor_form(job.id)
    form["q_text"][0] = ""
    page = client.post(f"/admin/jobs/{job.id}/edit", data=form).get_data(as_text=True)
    assert f"第 1 题「{before[0][:20]}" in page and "已有候选人作答,不能删除" in page
    assert "第 4 题" not in page
    assert _texts(job.id) == before and JobVersion.select().where(JobVersion.job == job.id).count() == 1


def test_deleting_a_question_leaves_the_others_with_their_answers(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    before = _texts(job.id)
    answer = _answer(job, 1)
    # its interview ended (the link expired): no unfinished interview holds question 1 any more
    Interview.update(status="expired").where(Interview.id == answer.interview_id).execute()
    form = editor_form(job.id)
    form["q_text"][0] = ""                      # question 1 has no answers: it may go
    assert client.post(f"/admin/jobs/{job.id}/edit", data=form).status_code == 302
    assert _texts(job.id) == before[1:]
    # the answer still belongs to the question it answered, now the first
    assert Answer.get_by_id(answer.id).question.text == before[1]
    assert [q.position for q in Job.get_by_id(job.id).ordered_questions()] == [0, 1, 2]


def test_deleting_a_question_an_unfinished_interview_holds_is_refused_on_the_page(client, app):
    """A candidate was invited (and has answered nothing yet): the questions they were sent stay while their
    interview is unfinished; the page says why, keeps the form, and no version is made."""
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    before = _texts(job.id)
    invite_candidate(job.id, "李明", "13800000001")
    form = editor_form(job.id)
    form["q_text"][0] = ""
    response = client.post(f"/admin/jobs/{job.id}/edit", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400   # as every refusal of the form is
    assert f"第 1 题「{before[0][:20]}" in page and "在尚未结束的面试中(候选人已收到该题),不能删除" in page
    assert _texts(job.id) == before and JobVersion.select().where(JobVersion.job == job.id).count() == 1


def _refusal(client, job, **changes):
    form = editor_form(job.id)
    for name, value in changes.items():
        if isinstance(form.get(name), list):
            form[name][0] = value
        else:
            form[name] = value
    response = client.post(f"/admin/jobs/{job.id}/edit", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    return page.split('id="form-error">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("changes, said", [
    ({"q_think": "9999"}, "第 1 题 思考秒数: 应为 0-600"),
    ({"q_answer": "5"}, "第 1 题 作答秒数: 应为 10-1200"),
    ({"q_dims": "沟通"}, "第 1 题 考察维度: 不存在的维度"),
    ({"q_a1": "太短了"}, "第 1 题 1 级示例答案太短(至少 10 字,现为 3 字)"),
    ({"dim_weight": "0"}, "维度「语言表达」权重: 应为 1-100"),
    ({"dim_weight": "25"}, "胜任力模型: 权重之和应为 100"),
    ({"remind_after_days": "99"}, "简历筛选 · 提醒天数: 应为 0-60"),
    ({"auto_invite_at": "101"}, "简历筛选 · 自动邀请分数: 应为 0-100"),
    ({"criteria": "必须 年限: 很多"}, "简历筛选: 筛选条件第 1 行"),
    ({"title": ""}, "岗位名称: 缺少岗位名称"),
    ({"title": "后" * 600}, "岗位名称: 不超过 120 字"),
    ({"q_text": "介绍你的项目" * 1000}, "第 1 题: 题目「介绍你的项目介绍你的项目…」不超过 500 字,现为 6000 字"),
], ids=lambda value: next(iter(value)) if isinstance(value, dict) else "")
def test_a_refusal_names_the_field_as_the_page_does(client, app, changes, said):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    message = _refusal(client, job, **changes)
    assert message.startswith(said), message
    assert "[" not in message and "questions" not in message and "screening." not in message


def test_a_question_is_numbered_as_on_the_page_when_one_above_it_was_emptied(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    form = editor_form(job.id)
    form["q_text"][0] = ""                         # to be deleted (no answers)
    form["q_think"][2] = "9999"                    # the third on the page, the second the template keeps
    page = client.post(f"/admin/jobs/{job.id}/edit", data=form).get_data(as_text=True)
    assert "第 3 题 思考秒数: 应为 0-600" in page
    assert page.count('name="q_text"') == 4 + 1    # the emptied question's row is still there (and the new row)


def test_the_yaml_import_still_names_the_path():
    with pytest.raises(TemplateError) as refused:
        import_template(backend_template().replace("think_seconds: 30", "think_seconds: 9999", 1))
    assert refused.value.message.startswith("questions[0].think_seconds: 应为 0-600")
    with pytest.raises(TemplateError) as refused:
        import_template(backend_template().replace("title: 后端开发工程师", "title: " + "后" * 600))
    assert refused.value.message.startswith("title: 不超过 120 字,现为 600 字")


def test_the_labels_of_paths(app):
    assert job_form.label("questions[2].retakes") == "第 3 题 可重录次数"
    assert job_form.label("questions[0].anchors.逻辑思维") == "第 1 题 示例答案(锚点)「逻辑思维」"
    assert job_form.label("dimensions[1]") == "第 2 个维度"
    assert job_form.label("dimensions[1] (逻辑思维).rubric") == "维度「逻辑思维」评分要点"
    assert job_form.label("managers") == "用人经理"
    assert job_form.label("something.new") == "something.new"     # a path the page has no label for stays


def test_the_change_note_survives_a_refusal(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    form = {**editor_form(job.id), "note": "提高逻辑思维权重", "dim_weight": ["10", "10", "10"]}
    page = client.post(f"/admin/jobs/{job.id}/edit", data=form).get_data(as_text=True)
    assert 'name="note" maxlength="200" value="提高逻辑思维权重"' in page


def _posted(form):
    """The form as the view hands it to job_pages.save (request.form.to_dict(flat=False): lists of texts)."""
    return {k: v if isinstance(v, list) else [str(v)] for k, v in form.items()}


def test_a_manager_wecom_does_not_know_is_refused(wecom_env):
    app, app_url, box = wecom_env
    job = import_template(backend_template())
    with pytest.raises(BadRequest) as refused:
        job_pages.save(job.id, _posted(editor_form(job.id, managers="zhangwei, nobody_xyz")), "hr_lina")
    assert "用人经理: 「nobody_xyz」不是企业微信成员" in refused.value.message
    assert Job.get_by_id(job.id).manager_userids == ["zhangwei"]
    saved, _ = job_pages.save(job.id, _posted(editor_form(job.id, managers="zhangwei, wangfang")), "hr_lina")
    assert saved.manager_userids == ["zhangwei", "wangfang"]


def test_when_the_directory_cannot_be_read_a_new_manager_is_refused_saying_so(client, app, monkeypatch):
    """No WeCom here (nothing answers): a manager known here (signed in before) or already the job's is taken;
    another cannot be checked, and the editor says so instead of saving it."""
    monkeypatch.setitem(settings, "WECOM_API_BASE", f"http://127.0.0.1:{free_port()}/cgi-bin/")
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    StaffUser.create(userid="wangfang", name="王芳")
    form = editor_form(job.id, managers="zhangwei, wangfang")
    assert client.post(f"/admin/jobs/{job.id}/edit", data=form).status_code == 302
    form = editor_form(job.id, managers="zhangwei, wangfang, liuyang")
    page = client.post(f"/admin/jobs/{job.id}/edit", data=form).get_data(as_text=True)
    assert "用人经理: 暂时无法读取企业微信通讯录,未能核对「liuyang」" in page
    assert Job.get_by_id(job.id).manager_userids == ["zhangwei", "wangfang"]
    assert Question.select().where(Question.job == job.id).count() == 4

"""HR writes a question's example answers (anchors, levels 1/3/5) in the job editor; they stay with their question
when questions move, go into the version, and a question whose dimensions have different anchors (YAML only) is
carried unchanged."""
import pytest
import yaml

from app.core.models import Job
from app.screening.job_templates import TemplateError, import_template
from app.screening.models import JobVersion
from tests.screening.test_admin_pages import editor_form
from tests.support.funnel import backend_template
from tests.support.reports import sign_in_as

LEVELS = {"q_a1": "我做过一些项目,具体的记不太清楚了,大概就是写代码。",
          "q_a3": "我在上一家公司做了两年后端,负责订单接口的开发和维护。",
          "q_a5": "我负责订单服务两年,日均百万单;把同步写库改成消息队列削峰,大促时超时率从百分之三降到零点二。"}


def _anchors(job_id):
    return [q.anchors for q in Job.get_by_id(job_id).ordered_questions()]


def test_the_editor_shows_saves_and_versions_anchors(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    before = _anchors(job.id)
    page = client.get(f"/admin/jobs/{job.id}/edit").get_data(as_text=True)
    assert page.count('name="q_a1"') == len(before) + 1          # every question and the new-question row
    first = before[0]["语言表达"]
    assert first["5"] in page and "示例答案(锚点) · 已填" in page

    form = editor_form(job.id)
    form["q_text"].append("讲一个你推动跨团队协作的例子。")
    form["q_dims"].append("语言表达, 逻辑思维")
    for name, default in (("q_think", "30"), ("q_answer", "120"), ("q_retakes", "1"), ("q_anchors", "")):
        form[name].append(default)
    for name, text in LEVELS.items():
        form[name].append(text)
    assert client.post(f"/admin/jobs/{job.id}/edit", data=form).status_code == 302
    new = _anchors(job.id)[-1]
    assert set(new) == {"语言表达", "逻辑思维"} and new["逻辑思维"] == {"1": LEVELS["q_a1"], "3": LEVELS["q_a3"],
                                                              "5": LEVELS["q_a5"]}
    assert _anchors(job.id)[:-1] == before                          # the others unchanged
    snapshot = JobVersion.select().where(JobVersion.job == job.id).order_by(JobVersion.number.desc()).first().snapshot
    assert snapshot["questions"][-1]["anchors"]["语言表达"]["5"] == LEVELS["q_a5"]


def test_anchors_stay_with_their_question_when_one_above_is_removed(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    before = _anchors(job.id)
    form = editor_form(job.id)
    form["q_text"][0] = ""                                          # HR clears the first question: removed
    assert client.post(f"/admin/jobs/{job.id}/edit", data=form).status_code == 302
    assert _anchors(job.id) == before[1:]                           # not the removed question's anchors on the next


def test_incomplete_anchors_are_refused_with_what_hr_typed_kept(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    form = editor_form(job.id)
    form["q_a3"][1], form["q_a5"][1] = "", ""
    page = client.post(f"/admin/jobs/{job.id}/edit", data=form)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "至少需要 1、3、5 级锚点" in text and "missing 3, 5" in text
    assert form["q_a1"][1] in text                                  # what HR typed is still there
    assert JobVersion.select().where(JobVersion.job == job.id).count() == 1


def test_a_short_anchor_is_named_by_its_question_and_level_not_one_dimension(client, app):
    """The editor's three answers stand for every dimension of the question: the refusal names the question (as
    the page numbers it) and the level HR typed, never one of the dimensions, and keeps what HR typed."""
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    form = editor_form(job.id)
    dims = [d.strip() for d in form["q_dims"][1].split(",")]
    form["q_a3"][1] = "回答得还行"
    page = client.post(f"/admin/jobs/{job.id}/edit", data=form)
    text = page.get_data(as_text=True)
    message = text.split('id="form-error">', 1)[1].split("</div>", 1)[0]
    assert page.status_code == 400 and message.startswith("第 2 题 3 级示例答案太短(至少 10 字,现为 5 字)"), message
    assert not any(f"「{d}」" in message for d in dims)
    assert "回答得还行" in text and form["q_a1"][1] in text and form["q_a5"][1] in text
    assert JobVersion.select().where(JobVersion.job == job.id).count() == 1


def test_a_short_anchor_of_one_dimension_still_names_that_dimension():
    """Anchors that differ per dimension come from YAML, and the YAML import names the path."""
    data = yaml.safe_load(backend_template())
    name = min(data["questions"][1]["anchors"])              # the first one checked (safe_dump sorts the keys)
    data["questions"][1]["anchors"][name][1] = "太短了"
    with pytest.raises(TemplateError) as refused:
        import_template(yaml.safe_dump(data, allow_unicode=True))
    assert refused.value.message.startswith(f"questions[1].anchors.{name}.1: 锚点答案至少 10 个字")


def test_different_anchors_per_dimension_are_carried_unchanged(client, app):
    data = yaml.safe_load(backend_template())
    question = data["questions"][1]
    first, second = question["dimensions"]
    question["anchors"] = {first: question["anchors"][first],
                           second: {1: "只说会认真排查,没有讲任何具体的步骤和结果。",
                                    3: "讲了加索引后页面变快,但没有说怎么定位到慢查询。",
                                    5: "先看监控定位慢查询,看执行计划发现全表扫描,加联合索引加缓存,"
                                       "接口从三秒降到两百毫秒。"}}
    job = import_template(yaml.safe_dump(data, allow_unicode=True))
    before = _anchors(job.id)
    sign_in_as(client, "hr_lina")
    page = client.get(f"/admin/jobs/{job.id}/edit").get_data(as_text=True)
    assert "本题各考察维度的示例答案不同,这里不能编辑" in page
    assert client.post(f"/admin/jobs/{job.id}/edit", data=editor_form(job.id)).status_code == 302
    assert _anchors(job.id) == before

"""Knockouts always count (issue 19 item 5): a job made in the editor with its criteria left blank (the default:
criteria derived from the requirements) still judges every knockout question, flags a failed one in the workbench
filter 未通过淘汰问题, and the job page says what happens."""
from app.core.models import Application, Job
from app.screening.models import Screening
from tests.screening.test_admin_pages import editor_form, known_manager
from tests.screening.test_intake_screening import apply
from tests.support.funnel import run_workers
from tests.support.reports import sign_in_as


def _job_from_editor(client, rejects=False):
    sign_in_as(client, "hr_lina")
    known_manager()
    form = editor_form(criteria="", knockout_questions="q1 | 能否接受在上海办公? | 能,不能 | 能")
    if rejects:
        form["knockout_rejects"] = "yes"
    assert client.post("/admin/jobs/new", data=form).status_code == 302
    return Job.select().order_by(Job.id.desc()).first()


def test_a_knockout_answered_no_counts_when_the_criteria_were_left_blank(client, redis_conn):
    from app.screening import intake
    job = _job_from_editor(client)
    link = intake.create_link(job.id, "wechat_group", "hr1")
    failed, _, _ = apply(link, answer="不能")
    passed, _, _ = apply(link, name="李娜", phone="13900002222", answer="能")
    run_workers(redis_conn)
    bad, good = (Screening.get(Screening.application == a.id) for a in (failed, passed))
    knockout = [v for v in bad.verdicts if v["kind"] == "knockout"]
    assert [(v["verdict"], v["why"]) for v in knockout] == [("missing", "回答「不能」")]
    assert bad.knockout_failed and not good.knockout_failed
    assert [v["verdict"] for v in good.verdicts if v["kind"] == "knockout"] == ["matched"]
    assert Application.get_by_id(failed.id).stage == "applied"     # knockout_rejects off: flagged, not rejected
    listed = client.get(f"/admin/applications?job={job.id}&must=knockout").get_data(as_text=True)
    assert "张伟" in listed and "李娜" not in listed
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "未通过淘汰问题" in page and "不会被自动淘汰" in page and "不会被自动邀请" in page


def test_a_failed_knockout_rejects_when_turned_on_with_blank_criteria(client, redis_conn):
    from app.core.models import Application as A
    from app.screening import intake
    job = _job_from_editor(client, rejects=True)
    link = intake.create_link(job.id, "wechat_group", "hr1")
    failed, _, _ = apply(link, answer="不能")
    run_workers(redis_conn)
    assert A.get_by_id(failed.id).stage == "rejected"
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "系统自动淘汰" in page


def test_requirement_lines_not_understood_are_listed_for_hr(client):
    sign_in_as(client, "hr_lina")
    known_manager()
    form = editor_form(criteria="", requirements="1. 三年以上后端开发经验\n2. 身体健康并且愿意长期在本地稳定发展下去")
    assert client.post("/admin/jobs/new", data=form).status_code == 302
    job = Job.select().order_by(Job.id.desc()).first()
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "必须 · 相关年限: 3 年以上" in page and "待HR修改 · 未能解析: 身体健康并且愿意长期在本地稳定发展下去" in page
    editor = client.get(f"/admin/jobs/{job.id}/edit").get_data(as_text=True)
    assert "# 未能解析: 身体健康并且愿意长期在本地稳定发展下去" in editor

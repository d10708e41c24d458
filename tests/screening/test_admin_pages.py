"""HR's pages: the job editor with versions, postings, the workbench (filters, sort, search, paging, bulk, export)."""
import csv
import io
import re

import yaml

from app.core.models import Application, Job, StaffUser
from app.interview.invitations import invite_candidate
from app.interview.models import Report
from app.screening.job_templates import export_template, import_template
from app.screening.models import JobVersion, Screening
from tests.screening.test_intake_screening import apply
from tests.support.funnel import backend_template, pdf_resume, run_workers
from tests.support.reports import sign_in_as


def editor_form(job_id=None, **changes):
    """The editor's form as the page posts it, filled from a job (or the shipped template)."""
    from app.screening import job_form
    from app.screening.job_pages import editor_values
    v = editor_values(job_id) if job_id else job_form.to_form(yaml.safe_load(backend_template()))
    v.update(changes)
    form = {k: v[k] for k in ("title", "department", "family", "location", "description", "requirements", "managers",
                              "criteria", "knockout_questions", "auto_invite_at", "remind_after_days")}
    for key, name in (("name", "dim_name"), ("weight", "dim_weight"), ("description", "dim_description"),
                      ("keywords", "dim_keywords"), ("rubric", "dim_rubric")):
        form[name] = [str(d[key]) for d in v["dimensions"]]
    for key, name in (("text", "q_text"), ("dimensions", "q_dims"), ("think_seconds", "q_think"),
                      ("answer_seconds", "q_answer"), ("retakes", "q_retakes"), ("a1", "q_a1"), ("a3", "q_a3"),
                      ("a5", "q_a5"), ("anchors_kept", "q_anchors"), ("id", "q_id")):
        form[name] = [str(q.get(key) or "") for q in v["questions"]]
    return form


def known_manager():
    """The shipped template's manager (zhangwei) known here, as one who signed in before: a new job's managers
    must be WeCom members (job_pages.require_managers), and these tests run without WeCom."""
    StaffUser.get_or_create(userid="zhangwei", defaults={"name": "张伟"})


def test_create_edit_version_and_old_report_keeps_old_weights(client, app):
    sign_in_as(client, "hr_lina")
    known_manager()
    created = client.post("/admin/jobs/new", data=editor_form())
    assert created.status_code == 302
    job = Job.select().order_by(Job.id.desc()).first()
    assert job.title == "后端开发工程师" and JobVersion.get(JobVersion.job == job.id).number == 1
    interview, _ = invite_candidate(job.id, "李明", "13800001234")
    report = Report.create(interview=interview, total=70, model_version="t", dimensions={
        d.name: {"score": 70.0, "weight": d.weight, "answers": [], "evidence": []} for d in job.ordered_dimensions()})

    bad = editor_form(job.id)
    bad["dim_weight"] = ["20", "30", "60"]
    page = client.post(f"/admin/jobs/{job.id}/edit", data=bad)
    assert page.status_code == 400 and "权重之和应为 100,实际为 110" in page.get_data(as_text=True)
    assert 'value="60"' in page.get_data(as_text=True)   # what HR typed is kept
    assert JobVersion.select().where(JobVersion.job == job.id).count() == 1

    form = editor_form(job.id, note="提高逻辑思维权重")
    form["dim_weight"] = ["10", "50", "40"]
    assert client.post(f"/admin/jobs/{job.id}/edit", data=form).status_code == 302
    assert [d.weight for d in Job.get_by_id(job.id).ordered_dimensions()] == [10, 50, 40]
    assert JobVersion.select().where(JobVersion.job == job.id).count() == 2
    old = client.get(f"/admin/jobs/{job.id}/versions/1").get_data(as_text=True)
    assert re.findall(r'data-testid="weight">(\d+)<', old) == ["20", "30", "50"]
    report_page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    weights = re.findall(r'<tr><td>([^<]+)</td><td>(\d+)%</td>', report_page)
    assert weights == [("语言表达", "20"), ("逻辑思维", "30"), ("岗位匹配度", "50")]   # the report keeps v1's weights
    # People are named, not by userid: the job's manager, who saved each version.
    StaffUser.update(name="李娜").where(StaffUser.userid == "hr_lina").execute()
    job_page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "用人经理 张伟" in job_page and "<td>李娜</td>" in job_page and "<td>hr_lina</td>" not in job_page
    assert "<td>张伟</td>" in client.get("/admin/").get_data(as_text=True)


def test_the_version_history_says_created_and_edited_in_chinese(client, app):
    """A version saved without 本次修改说明 was noted 「创建 created」 / 「编辑 edited」 in the history HR reads."""
    sign_in_as(client, "hr_lina")
    known_manager()
    assert client.post("/admin/jobs/new", data=editor_form()).status_code == 302
    job = Job.select().order_by(Job.id.desc()).first()
    edited = editor_form(job.id, note="", location="深圳南山")   # a change: a save without one makes no version
    assert client.post(f"/admin/jobs/{job.id}/edit", data=edited).status_code == 302
    copied = client.post(f"/admin/jobs/{job.id}/copy")
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert '<td class="note">创建</td>' in page and '<td class="note">编辑</td>' in page
    assert "created" not in page and "edited" not in page
    assert '<td class="note">创建</td>' in client.get(copied.headers["Location"]).get_data(as_text=True)


def test_a_manager_or_dimension_typed_twice_is_kept_once_and_a_nameless_dimension_is_named(client, app):
    """「zhangwei, zhangwei」 was stored twice (用人经理 张伟、张伟; two result cards' worth of recipients), and a
    question's 考察维度 typed twice counted twice; a dimension without a name was refused as 「缺少 name」."""
    sign_in_as(client, "hr_lina")
    known_manager()
    form = editor_form(managers="zhangwei, zhangwei")
    form["q_dims"][0] = "语言表达, 语言表达, 岗位匹配度"
    assert client.post("/admin/jobs/new", data=form).status_code == 302
    job = Job.select().order_by(Job.id.desc()).first()
    assert job.manager_userids == ["zhangwei"]
    assert job.ordered_questions()[0].dimension_names == ["语言表达", "岗位匹配度"]
    assert "用人经理 张伟、张伟" not in client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    nameless = editor_form(job.id)
    nameless["dim_name"][0] = ""
    page = client.post(f"/admin/jobs/{job.id}/edit", data=nameless).get_data(as_text=True)
    assert "第 1 个维度: 缺少维度名称" in page and "缺少 name" not in page


def test_yaml_round_trip_with_the_editor(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template(auto_invite_at=80))
    text = export_template(job.id)
    assert "screening:" in text and "auto_invite_at: 80" in text and "必须 技能: PostgreSQL" in text
    assert "family: 技术研发" in text
    overview = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    assert "岗位类别 技术研发" in overview and "版本 v1" in overview
    saved = client.post(f"/admin/jobs/{job.id}/edit", data=editor_form(job.id), follow_redirects=True)
    assert export_template(job.id) == text          # saving the editor unchanged changes nothing
    assert "没有修改,仍是第 1 版" in saved.get_data(as_text=True) and JobVersion.select().where(
        JobVersion.job == job.id).count() == 1       # and makes no version (nor a re-screening)
    again = import_template(text)
    assert export_template(again.id) == text        # import(export(job)) recreates it


def test_copy_close_and_postings(client, app):
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    client.post(f"/admin/jobs/{job.id}/links", data={"channel": "moments"})
    page = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    url = re.search(r'data-testid="posting-url">http://testserver(/p/[\w-]+)<', page).group(1)
    assert "朋友圈" in page and "data:image/png;base64" in page
    assert client.get(url).status_code == 200
    client.post(f"/admin/jobs/{job.id}/status", data={"status": "closed"})
    closed = client.get(url)
    assert closed.status_code == 410 and "停止招聘" in closed.get_data(as_text=True)
    client.post(f"/admin/jobs/{job.id}/copy")
    copy = Job.select().order_by(Job.id.desc()).first()
    assert copy.id != job.id and copy.title.endswith("(副本)") and copy.status == "closed"
    preview = client.get(f"/admin/jobs/{job.id}/preview").get_data(as_text=True)
    assert "第 1 / 4 题" in preview


def test_copying_a_job_whose_questions_have_no_anchors(client, app):
    """A job made in the editor without 示例答案 (most hand-made ones): its template leaves the questions' anchors
    out, and 复制 was a 500 (KeyError 'anchors')."""
    sign_in_as(client, "hr_lina")
    tpl = yaml.safe_load(backend_template())
    for q in tpl["questions"]:
        q.pop("anchors", None)
    job = import_template(yaml.safe_dump(tpl, allow_unicode=True))
    assert not any(q.anchors for q in job.ordered_questions())
    res = client.post(f"/admin/jobs/{job.id}/copy")
    assert res.status_code == 302
    copy = Job.select().order_by(Job.id.desc()).first()
    assert copy.id != job.id and copy.title == f"{job.title}(副本)" and copy.status == "closed"
    assert [q.text for q in copy.ordered_questions()] == [q.text for q in job.ordered_questions()]
    assert not any(q.anchors for q in copy.ordered_questions())


def test_workbench_filters_sort_search_bulk_and_export(client, link, redis_conn):
    sign_in_as(client, "hr_lina")
    strong, _, _ = apply(link)
    weak, _, _ = apply(link, name="李娜", phone="13900002222", answer="不能",
                       data=pdf_resume(name="李娜", phone="13900002222", years=1, skills=("Photoshop",)))
    run_workers(redis_conn)
    s1, s2 = (Screening.get(Screening.application == a.id).score for a in (strong, weak))
    page = client.get(f"/admin/applications?job={link.job_id}").get_data(as_text=True)
    assert s1 > s2 and page.index("张伟") < page.index("李娜")   # ranked by screening score
    assert "✓" in page and "经历中使用:「PG」" in page and "未通过淘汰问题" in page
    assert '<span class="strength used">经历中使用</span>' in page and 'data-testid="evidence"' in page
    assert "李娜" not in client.get("/admin/applications?q=张").get_data(as_text=True)
    assert "张伟" not in client.get("/admin/applications?must=knockout").get_data(as_text=True)
    assert "张伟" not in client.get("/admin/applications?sort=name&channel=moments").get_data(as_text=True)
    assert client.get("/admin/applications?score_min=abc&since=yesterday").status_code == 200   # ignored, said so

    done = client.post("/admin/applications/bulk", data={"ids": [strong.id, weak.id], "action": "invite"},
                       follow_redirects=True)
    assert "邀请AI面试:成功 2 人" in done.get_data(as_text=True)
    assert {Application.get_by_id(a.id).stage for a in (strong, weak)} == {"ai_invited"}

    exported = client.get("/admin/applications/export.csv?q=张").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][:3] == ["编号", "姓名", "手机号"] and [r[1] for r in rows[1:]] == ["张伟"]
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(client.get("/admin/applications/export.xlsx").data))
    assert book.active.max_row == 3


def test_export_cells_cannot_run_as_formulas(client, link, redis_conn):
    sign_in_as(client, "hr_lina")
    apply(link, name="=HYPERLINK(1)")
    exported = client.get("/admin/applications/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in exported


def test_paging_many_rows(client, job):
    from app.core.models import Candidate
    sign_in_as(client, "hr_lina")
    for i in range(120):
        Application.create(candidate=Candidate.create(name=f"候选人{i:03d}", phone=f"1380000{i:04d}"), job=job)
    first = client.get("/admin/applications?sort=name").get_data(as_text=True)
    assert "共 120 条" in first and "第 1 / 3 页" in first and "候选人000" in first and "候选人050" not in first
    third = client.get("/admin/applications?sort=name&page=3").get_data(as_text=True)
    assert "候选人119" in third and "候选人000" not in third
    beyond = client.get("/admin/applications?sort=name&page=99999").get_data(as_text=True)
    assert "第 3 / 3 页" in beyond and "候选人119" in beyond and "下一页" not in beyond


def test_managers_cannot_open_the_workbench(client, job):
    sign_in_as(client, "zhangwei")
    assert client.get("/admin/applications").status_code in (302, 403)


def test_an_error_page_leads_staff_back_and_the_manager_header_has_their_pages(client, job):
    sign_in_as(client, "hr_lina")
    missing = client.get("/admin/jobs/99999")
    assert missing.status_code == 404 and 'href="/admin/"' in missing.get_data(as_text=True)
    sign_in_as(client, "zhangwei")
    refused = client.get("/m/reports/99999")
    assert refused.status_code == 404 and 'href="/m/"' in refused.get_data(as_text=True)
    hr_only = client.get("/admin/applications")   # a manager on an HR page: the way back is their own home
    assert hr_only.status_code == 403
    assert 'href="/m/"' in hr_only.get_data(as_text=True) and 'href="/admin/"' not in hr_only.get_data(as_text=True)
    home = client.get("/m/").get_data(as_text=True)
    assert 'href="/m/my-rounds"' in home and 'href="/m/availability"' in home
    candidate = client.get("/i/no-such-token/status").get_data(as_text=True)
    assert 'href="/admin/"' not in candidate and 'href="/m/"' not in candidate


def test_workbench_names_a_bad_or_crossed_filter_in_words(client, job):
    """A value that is not a number or a date is named by the field's label, not its query name; a range whose
    start is past its end (dates or scores, which leaves nothing to list) is said, instead of an empty list."""
    sign_in_as(client, "hr_lina")
    page = client.get("/admin/applications?score_min=abc&since=2026-13-45&page=x").get_data(as_text=True)
    assert "已忽略无效的筛选值: 筛选分(最低)、页码、投递日期(从)" in page
    crossed = client.get("/admin/applications?since=2026-12-01&until=2026-01-01&score_min=80&score_max=20")
    text = crossed.get_data(as_text=True)
    assert "投递日期的开始(2026-12-01)晚于结束(2026-01-01),请调换" in text
    assert "筛选分的最低(80)高于最高(20),请调换" in text


def test_workbench_ignores_a_job_id_or_date_the_database_cannot_hold_instead_of_a_500(client, job):
    """A job id past the database's integers and the date inputs' years 0001 and 9999 (which leave the calendar in
    UTC) are named like any other bad value, on the page and in the exports."""
    sign_in_as(client, "hr_lina")
    for query, label in (("job=99999999999999999999", "岗位"), ("since=0001-01-01", "投递日期(从)"),
                         ("until=9999-12-31", "投递日期(到)")):
        page = client.get(f"/admin/applications?{query}")
        assert page.status_code == 200, query
        assert f"已忽略无效的筛选值: {label}" in page.get_data(as_text=True)
        for fmt in ("csv", "xlsx"):
            assert client.get(f"/admin/applications/export.{fmt}?{query}").status_code == 200, (query, fmt)


def test_a_refused_bulk_action_keeps_the_ticks_the_action_and_the_message(client, job):
    """淘汰 without the message the candidates will read is refused: the rows HR ticked, the action and what was
    typed come back as they were, once, rather than a page to tick again."""
    from app.core.models import Candidate
    sign_in_as(client, "hr_lina")
    apps = [Application.create(candidate=Candidate.create(name=f"候选人{i}", phone=f"1380000{i:04d}"), job=job)
            for i in range(3)]
    form = {"ids": [apps[0].id, apps[2].id], "action": "reject", "message": "  ", "back": "/admin/applications"}
    page = client.post("/admin/applications/bulk", data=form, follow_redirects=True).get_data(as_text=True)
    assert "请填写给候选人的说明" in page
    ticked = set(re.findall(r'name="ids" value="(\d+)"[^>]*checked', page))
    assert ticked == {str(apps[0].id), str(apps[2].id)}
    assert '<option value="reject" selected>' in page
    again = client.get("/admin/applications").get_data(as_text=True)
    assert not re.findall(r'name="ids" value="\d+"[^>]*checked', again)   # once


def test_every_field_of_a_dimension_and_a_question_is_named_on_the_page(client, app):
    """On a phone the editor's rows stack into one column: each field carries its name (权重, 思考秒数 …), or a
    filled-in form reads as a column of unnamed values (20, 30, 120, 1)."""
    sign_in_as(client, "hr_lina")
    page = client.get("/admin/jobs/new").get_data(as_text=True)
    for name, field in (("维度名称", "dim_name"), ("权重", "dim_weight"), ("说明", "dim_description"),
                        ("题目", "q_text"), ("考察维度", "q_dims"), ("思考秒数", "q_think"), ("作答秒数", "q_answer"),
                        ("可重录次数", "q_retakes")):
        assert re.search(rf'<label class="cell"><span>{name}</span><(input|textarea) name="{field}"', page), field


def test_the_yaml_download_names_its_charset_once(client, app):
    """导出 YAML answered `text/yaml; charset=utf-8; charset=utf-8` (the charset given in the mimetype and added again
    by the response); the body is the job's template."""
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    res = client.get(f"/admin/jobs/{job.id}/export.yaml")
    assert res.status_code == 200 and res.headers["Content-Type"] == "text/yaml; charset=utf-8"
    assert res.headers["Content-Disposition"] == f"attachment; filename=job-{job.id}.yaml"
    assert res.get_data(as_text=True) == export_template(job.id)


def test_the_workbench_csv_names_its_charset_once(client, app):
    """导出 CSV on the workbench answered `text/csv; charset=utf-8; charset=utf-8`; the XLSX keeps its type."""
    sign_in_as(client, "hr_lina")
    res = client.get("/admin/applications/export.csv")
    assert res.status_code == 200 and res.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert res.data.decode("utf-8-sig").startswith("编号,姓名,手机号")
    xlsx = client.get("/admin/applications/export.xlsx")
    assert xlsx.headers["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_closing_and_opening_a_job_says_what_happened(client, app):
    """关闭岗位 / 开放岗位 came back to the job page without a word; the page now says what the click did."""
    sign_in_as(client, "hr_lina")
    job = import_template(backend_template())
    closed = client.post(f"/admin/jobs/{job.id}/status", data={"status": "closed"}, follow_redirects=True)
    assert "岗位已关闭,招聘链接不再接受投递" in closed.get_data(as_text=True)
    assert Job.get_by_id(job.id).status == "closed"
    opened = client.post(f"/admin/jobs/{job.id}/status", data={"status": "open"}, follow_redirects=True)
    assert "岗位已开放,招聘链接可以投递" in opened.get_data(as_text=True)
    assert Job.get_by_id(job.id).status == "open"

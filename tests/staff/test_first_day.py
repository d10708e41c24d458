"""HR's first day on an empty install (no job, no application): every page says what to do next instead of an
empty table or an empty choice; a dimension no question asks about is pointed out and the blank editor asks every
dimension; the operator's first CLI commands say how to make the first job; a template not in UTF-8 is refused with
what to do (no traceback, nothing imported garbled)."""
import io

from app.core.db import database
from app.core.models import Job
from app.screening import job_versions
from tests.support.app import make_app
from tests.support.reports import sign_in_as


def _form(**changes):
    """The job editor's form for a small first job, as HR types it (no manager: the WeCom directory is not here)."""
    form = {"title": ["第一个岗位·后端工程师"], "department": ["技术部"], "family": [""], "location": ["上海"],
            "description": ["负责后端服务"], "requirements": ["本科"], "managers": [""],
            "dim_name": ["语言表达", "逻辑思维", "岗位匹配度"], "dim_weight": ["30", "30", "40"],
            "dim_description": ["", "", ""], "dim_keywords": ["", "", ""], "dim_rubric": ["", "", ""],
            "q_text": ["请介绍一个你做过的项目"], "q_dims": ["语言表达, 逻辑思维, 岗位匹配度"], "q_think": ["30"],
            "q_answer": ["120"], "q_retakes": ["1"], "q_a1": [""], "q_a3": [""], "q_a5": [""], "q_anchors": [""],
            "q_id": [""], "criteria": [""], "knockout_questions": [""], "auto_invite_at": [""],
            "remind_after_days": ["3"]}
    form.update(changes)
    return form


def _hr(client):
    sign_in_as(client, "hr_lina")
    return client


def test_hr_home_with_nothing_yet_says_to_create_the_first_job(client, app):
    page = _hr(client).get("/admin/").get_data(as_text=True)
    assert "暂无岗位" not in page and "新建岗位" in page.split('data-testid="no-jobs"')[1].split("</td>")[0]
    # no invitation form with an empty job list to pick from, and no test card without an application
    assert 'name="job_id"' not in page and "先新建一个岗位" in page
    assert 'name="application_id"' not in page and "有了第一条应聘记录后" in page
    assert "暂无应聘记录" not in page and "还没有应聘记录" in page


def test_hr_home_with_a_job_but_no_application_says_how_to_get_one(client, app):
    assert _hr(client).post("/admin/jobs/new", data=_form()).status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert 'name="job_id"' in page                      # the job can be invited to now
    empty = page.split('data-testid="no-applications"')[1].split("</td>")[0]
    assert "招聘链接" in empty and "邀请" in empty


def test_a_job_without_department_or_manager_reads_whole(client, app):
    """Before: a stray 「 · 」 under the title and 「用人经理 —」, silent on where the result cards go."""
    assert _hr(client).post("/admin/jobs/new", data=_form(department=[""], location=[""])).status_code == 302
    home = client.get("/admin/").get_data(as_text=True)
    assert '<div class="muted"> · </div>' not in home
    page = client.get(f"/admin/jobs/{Job.get().id}").get_data(as_text=True)
    assert "> · 版本" not in page and "用人经理 未设置(AI报告的结果卡片发给HR" in page


def test_workbench_with_no_application_at_all_says_what_to_do(client, app):
    page = _hr(client).get("/admin/applications").get_data(as_text=True)
    empty = page.split('data-testid="no-rows"')[1].split("</td>")[0]
    assert "还没有应聘记录" in empty and "新建岗位" in empty and "没有符合条件" not in empty


def test_analytics_with_no_data_says_where_data_comes_from(client, app):
    page = _hr(client).get("/admin/analytics/").get_data(as_text=True)
    assert 'data-testid="first-day"' in page and "新建岗位" in page
    # the tables scroll sideways at 390 px: each scrolling region can be reached by keyboard (axe's
    # scrollable-region-focusable, serious, on the phone)
    assert page.count('<div class="scroll"') == page.count('<div class="scroll" tabindex="0" role="region"') > 0
    calibration = client.get("/admin/analytics/calibration").get_data(as_text=True)
    assert '<select id="filter-job"' not in calibration and "还没有岗位" in calibration


def test_a_dimension_no_question_asks_about_is_pointed_out(client, app):
    """Weight 40 on 岗位匹配度 with no question probing it was saved without a word, and every total then left it
    out; the job page now says so and how to fix it."""
    res = _hr(client).post("/admin/jobs/new", data=_form(q_dims=["语言表达, 逻辑思维"]))
    assert res.status_code == 302
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    warning = page.split('data-testid="dimensions-not-asked">')[1].split("</div>")[0]
    assert "维度「岗位匹配度」(权重 40)没有题目考察" in warning and "考察维度" in warning
    assert "语言表达" not in warning
    ok = client.post("/admin/jobs/new", data=_form())
    assert "dimensions-not-asked" not in client.get(ok.headers["Location"]).get_data(as_text=True)


def test_the_yaml_import_says_so_too(app, tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text("""title: 后端
dimensions:
  - {name: 表达, weight: 50}
  - {name: 匹配, weight: 50}
questions:
  - {text: 介绍一个项目, dimensions: [表达]}
""", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["jobs", "import", str(path)])
    assert result.exit_code == 0 and "维度「匹配」(权重 50)没有题目考察" in result.output
    assert "表达」" not in result.output


def test_first_cli_commands_say_how_to_make_the_first_job(app):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["jobs", "list"])
    assert listed.exit_code == 0 and "还没有岗位" in listed.output and "jobs import" in listed.output
    invited = runner.invoke(args=["invite", "--job", "1", "--name", "陈静", "--phone", "13700002222"])
    assert invited.exit_code == 1 and "岗位 1 不存在" in invited.output and "还没有岗位" in invited.output
    assert "Traceback" not in invited.output


def test_the_blank_editor_asks_every_dimension_in_its_first_question(client, app):
    """Before: the blank job's three dimensions (30/30/40) with one question asking only 语言表达, so HR who just
    typed a question saved a job whose 逻辑思维 and 岗位匹配度 were never scored."""
    page = _hr(client).get("/admin/jobs/new").get_data(as_text=True)
    assert 'title="考察维度(逗号分隔)" value="语言表达, 逻辑思维, 岗位匹配度"' in page


def test_my_rounds_with_none_yet_says_how_they_arrive(client, app):
    page = _hr(client).get("/m/my-rounds").get_data(as_text=True)
    empty = page.split('data-testid="no-rounds">')[1].split("</p>")[0]
    assert "HR 把你排进面试小组" in empty


GBK_TEMPLATE = """title: 后端工程师
dimensions:
  - {name: 表达, weight: 100}
questions:
  - {text: 介绍一个项目, dimensions: [表达]}
""".encode("gbk")   # how a Windows editor in China often saves it


def test_a_template_not_in_utf8_is_refused_by_the_cli_without_a_traceback(app, tmp_path):
    """Before: `jobs import` of a GBK file ended in a UnicodeDecodeError traceback."""
    runner = app.test_cli_runner()
    path = tmp_path / "job.yaml"
    path.write_bytes(GBK_TEMPLATE)
    result = runner.invoke(args=["jobs", "import", str(path)])
    assert result.exit_code == 1 and "文件不是 UTF-8 编码" in result.output and result.exception is not None
    assert not isinstance(result.exception, UnicodeDecodeError) and Job.select().count() == 0
    path.write_bytes(b"\xef\xbb\xbf" + GBK_TEMPLATE.decode("gbk").encode("utf-8"))   # UTF-8 with a BOM is fine
    assert runner.invoke(args=["jobs", "import", str(path)]).exit_code == 0 and Job.get().title == "后端工程师"


def test_a_template_not_in_utf8_is_refused_on_the_page_not_imported_garbled(client, app):
    """Before: HR's 导入 decoded a GBK file with replacement characters and created a job titled 「��˹���ʦ」."""
    _hr(client)
    for raw, says in ((GBK_TEMPLATE, "文件不是 UTF-8 编码"), (b"", "文件是空的")):
        upload = {"template": (io.BytesIO(raw), "job.yaml")}
        page = client.post("/admin/jobs/import", data=upload, follow_redirects=True).get_data(as_text=True)
        assert says in page and Job.select().count() == 0, says


def test_commands_on_a_database_never_migrated_say_to_run_db_upgrade(tmp_path):
    """Before: `jobs list`, `invite` ... on a fresh database ended in peewee's "no such table: job" traceback."""
    app = make_app(tmp_path, migrate=False)
    runner = app.test_cli_runner()
    for args in (["jobs", "list"], ["invite", "--job", "1", "--name", "陈静", "--phone", "13700002222"],
                 ["analytics", "refresh"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1 and "请先运行 flask --app wsgi db upgrade" in result.output, args
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["jobs", "list"]).exit_code == 0


def test_listing_commands_with_nothing_to_list_say_so(tmp_path):
    """Before: `wecom events` and `analytics flags` printed nothing at all on a new install."""
    runner = make_app(tmp_path).test_cli_runner()
    events = runner.invoke(args=["wecom", "events"])
    assert events.exit_code == 0 and "还没有回调事件" in events.output and "/wecom/callback" in events.output
    assert "没有状态为 failed 的回调事件" in runner.invoke(args=["wecom", "events", "--status", "failed"]).output
    flags = runner.invoke(args=["analytics", "flags"])
    assert flags.exit_code == 0 and "最近 180 天没有统计上显著的瓶颈" in flags.output


def test_hr_home_with_only_closed_jobs_says_how_to_open_one(tmp_path):
    app = make_app(tmp_path)
    with app.app_context(), database.connection_context():
        client = app.test_client()
        assert _hr(client).post("/admin/jobs/new", data=_form()).status_code == 302
        job_versions.set_status(Job.get().id, "closed")
        page = client.get("/admin/").get_data(as_text=True)
    said = page.split('data-testid="invite-needs-job">')[1].split("</p>")[0]
    assert "点「开放岗位」" in said and 'name="job_id"' not in page


def test_a_test_card_to_an_unknown_member_is_an_error_in_hrs_words(sandbox, redis_conn, tmp_path):
    """发送测试卡片 to a userid WeCom does not know flashed 「WeCom error 81013: user & party & tag all invalid」 as
    information; it is an error that says what is wrong in Chinese."""
    assert _send_test_card(sandbox, tmp_path, "no_such_member") == [
        (" flash_error", "alert", "企业微信里没有这个成员(81013),请检查账号")]


def test_a_file_that_is_not_a_job_template_is_refused_in_hrs_words(client, app):
    """A YAML file whose top level is a list or plain text said 「template: 顶层应为映射」 (jargon); it says the file is
    not a job template and how one starts."""
    _hr(client)
    for raw in ("- 后端工程师\n- 销售代表\n".encode(), "后端开发工程师 岗位说明".encode()):
        upload = {"template": (io.BytesIO(raw), "job.yaml")}
        page = client.post("/admin/jobs/import", data=upload, follow_redirects=True).get_data(as_text=True)
        assert "文件内容不是岗位模板(应以 title: 等字段开头)" in page and "映射" not in page
        assert Job.select().count() == 0


def test_a_test_card_sent_says_to_whom_by_name_not_account(sandbox, redis_conn, tmp_path):
    """发送测试卡片 flashed 「测试卡片已发送给 zhangwei」: the member's WeCom account, which no other staff page shows
    (they name people, users.actor_name). It now says the member's name."""
    [(_, _, said)] = _send_test_card(sandbox, tmp_path, "zhangwei")
    assert said.startswith("测试卡片已发送给 张伟(task_id ") and "zhangwei" not in said


def _send_test_card(sandbox, tmp_path, userid):
    """HR sends 发送测试卡片 to `userid` (the WeCom sandbox): the flashed messages, (class, role, text) each."""
    import re

    from tests.support.app import import_job
    from tests.support.interviews import invite
    from tests.support.wecom import CORP
    app = make_app(tmp_path, WECOM_API_BASE=f"{sandbox.url}/cgi-bin/", HR_USERIDS=["hr_lina"], **CORP)
    with app.app_context(), database.connection_context():
        interview, _ = invite(import_job("backend-engineer.yaml"))
        client = _hr(app.test_client())
        page = client.post("/admin/test-card", data={"application_id": interview.application_id, "userid": userid},
                           follow_redirects=True).get_data(as_text=True)
    return re.findall(r'<div class="flash([^"]*)" role="(\w+)">([^<]*)</div>', page)

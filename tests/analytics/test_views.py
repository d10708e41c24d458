"""The analytics pages as HR sees them on demo data: every section with its table and downloads, the
calibration page with its recommendation and approval, performance upload preview and commit."""
import io
import json

import pytest
from openpyxl import load_workbook

from app.analytics import demo
from app.core.models import Dimension, Job
from tests.support.reports import sign_in_as


@pytest.fixture
def hr(client):
    sign_in_as(client, "hr_lina", "李娜")
    return client


@pytest.fixture
def demo_db(app, runner):
    result = runner.invoke(args=["analytics", "demo-data", "--applications", "3000", "--seed", "11", "--weeks", "3"])
    assert result.exit_code == 0, result.output
    assert "flag: [演示数据] 后端开发工程师 · 演示 · 上海 的AI面试淘汰率" in result.output
    again = runner.invoke(args=["analytics", "demo-data", "--once"])        # what scripts/up.sh runs each start
    assert again.exit_code == 0 and "already loaded" in again.output
    return app


def test_a_range_without_applications_says_so_instead_of_empty_charts(app, hr):
    """No application in the range (here none at all): each section with a chart says there is nothing to show
    rather than drawing empty axes; the tables and downloads stay."""
    for view, sections in {"funnel": ("funnel", "time_in_stage"), "scores": ("scores",),
                           "fairness": ("impact",)}.items():
        page = hr.get(f"/admin/analytics/?view={view}&start=2030-01-01").get_data(as_text=True)
        assert 'id="chart-' not in page, view
        for name in sections:
            section = page.split(f'data-testid="section-{name}"')[1].split("</section>")[0]
            assert "所选范围内没有数据" in section and "CSV" in section, name


def test_dashboard_shows_every_section_explained_with_downloads(demo_db, hr):
    views = {"funnel": ("flags", "funnel", "participation", "time_in_stage", "offers"),
             "scores": ("scores", "agreement", "interviewers"), "fairness": ("impact", "thresholds", "trend")}
    pages = {}
    for view, sections in views.items():
        pages[view] = page = hr.get(f"/admin/analytics/?view={view}").get_data(as_text=True)
        assert "演示用的合成数据" in page and "echarts.min.js" in page
        for section in sections:
            assert f'data-testid="section-{section}"' in page
    assert 'data-testid="section-funnel"' in hr.get("/admin/analytics/").get_data(as_text=True)  # the default view
    assert "后端开发工程师 · 演示 · 上海 的AI面试淘汰率" in pages["funnel"]
    assert "高于同类岗位（技术研发） 99.8% 控制上限" in pages["funnel"]
    assert 'id="chart-funnel"' in pages["funnel"] and "四分之五规则" in pages["fairness"]
    assert 'id="chart-agreement"' in pages["scores"] and "孙老师（演示）" in pages["scores"]  # demo scorecards
    scores = json.loads(pages["scores"].split('id="chart-scores">')[1].split("</script>")[0])
    assert scores["xAxis"]["axisLabel"] == {"rotate": 40, "interval": 0}  # ten bands stay readable on a phone
    assert hr.get("/admin/analytics/?view=nope").status_code == 400

    sales = Job.get(Job.title == demo.PREFIX + demo.IMPACT_JOB).id
    page = hr.get(f"/admin/analytics/?view=fairness&job={sales}").get_data(as_text=True)
    impact = page.split('data-testid="section-impact"')[1].split("</section>")[0]
    row = impact.split("<td>复试 → 发Offer</td><td>女</td>")[1].split("</tr>")[0]
    assert '<td class="bad">是</td>' in row                      # the planted four-fifths case

    csv = hr.get(f"/admin/analytics/export/funnel.csv?job={sales}")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data().decode("utf-8-sig").splitlines()
    assert lines[0] == "阶段,到达人数,其中进行中,已有结果,进入下一步,通过率" and lines[1].startswith("已投递,")
    xlsx = hr.get(f"/admin/analytics/export/impact.xlsx?job={sales}")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert [c.value for c in sheet[1]][:3] == ["环节", "群体", "入选/人数"]
    assert sheet.max_row > 5


def test_bad_filters_and_non_hr_get_clear_errors(demo_db, client):
    Job.update(manager_userids=["wang_manager"]).execute()
    sign_in_as(client, "wang_manager")          # a hiring manager, not HR
    assert client.get("/admin/analytics/").status_code == 403
    sign_in_as(client, "hr_lina")
    bad = client.get("/admin/analytics/?start=2026-13-01")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.get_data(as_text=True)
    # A refusal is the dashboard's filter form as typed beside the reason, not a bare error page.
    backwards = client.get("/admin/analytics/?start=2026-12-01&end=2026-11-01&channel=referral")
    page = backwards.get_data(as_text=True)
    assert backwards.status_code == 400 and 'data-testid="filter-error"' in page and "开始日期晚于结束日期" in page
    assert 'name="start" value="2026-12-01"' in page and 'value="referral" selected' in page
    negative = client.get("/admin/analytics/?days=-5").get_data(as_text=True)
    assert "完成期限(天)应为 1-60 之间的整数" in negative and 'name="days" min="1" max="60" value="-5"' in negative
    # Each refusal names its own field (a bad job or days said 「日期用 YYYY-MM-DD」); a job id past the database's
    # integers is refused here, not a 500 in the query.
    for query, words in (("days=abc", "完成期限(天)应为 1-60"), ("job=abc", "岗位参数不对"),
                         ("job=99999999999999999999", "岗位参数不对"), ("end=2026-02-30", "日期格式不对")):
        res = client.get(f"/admin/analytics/?{query}")
        assert res.status_code == 400 and words in res.get_data(as_text=True), query
    assert client.get("/admin/analytics/export/nope.csv").status_code == 400
    assert client.get("/admin/analytics/export/funnel.pdf").status_code == 400
    assert client.get("/admin/analytics/?attr=gender,age_band").status_code == 200


def test_calibration_page_recommends_and_approval_updates_the_weights(demo_db, hr):
    job = Job.get(Job.title == demo.PREFIX + "前端开发工程师")
    page = hr.get(f"/admin/analytics/calibration?job={job.id}").get_data(as_text=True)
    assert "范围受限" in page and "建议的新权重" in page and 'id="chart-corr"' in page
    form = {}
    for chunk in page.split('type="hidden" name="w_')[1:]:
        name, rest = chunk.split('" value="', 1)
        form[f"w_{name}"] = rest.split('"', 1)[0]
    assert sum(int(v) for v in form.values()) == 100
    resp = hr.post(f"/admin/analytics/calibration/{job.id}/approve", data=form, follow_redirects=True)
    assert "已批准" in resp.get_data(as_text=True)
    weights = {d.name: d.weight for d in Dimension.select().where(Dimension.job == job)}
    assert weights == {k[2:]: int(v) for k, v in form.items()}
    assert '<td data-testid="weight-version">v2</td>' in resp.get_data(as_text=True)   # the new competency model
    versions = hr.get(f"/admin/jobs/{job.id}").get_data(as_text=True)             # the job page lists versions
    assert "按绩效校准调整权重" in versions
    backend = Job.get(Job.title == demo.PREFIX + demo.BOTTLENECK_JOB)
    page = hr.get(f"/admin/analytics/calibration?job={backend.id}").get_data(as_text=True)
    if 'data-testid="needed"' in page:  # the bottleneck leaves backend with fewer hires
        assert "approve" not in page.split('data-testid="needed"')[1]


def test_performance_upload_preview_then_commit(demo_db, hr):
    from app.core.models import Application
    hire = Application.select().where(Application.stage == "hired").first()
    data = {"file": (io.BytesIO(f"应聘编号,周期,评分\n{hire.id},2027H1,4\n".encode()), "p.csv")}
    resp = hr.post("/admin/analytics/performance", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    preview = hr.get(resp.headers["Location"]).get_data(as_text=True)
    assert "匹配成功 <b class=\"ok\">1</b>" in preview and 'data-testid="commit"' in preview
    done = hr.post(resp.headers["Location"] + "/commit", follow_redirects=True).get_data(as_text=True)
    assert "已导入 1 条绩效记录" in done
    bad = hr.post("/admin/analytics/performance", data={"file": (io.BytesIO(b"x"), "p.txt")},
                  content_type="multipart/form-data")
    assert bad.status_code == 400 and "只支持" in bad.get_data(as_text=True)


def test_channel_filter_and_the_planted_referral_effect(demo_db, hr):
    from app.analytics.funnel import Cohort, funnel_by_channel
    page = hr.get("/admin/analytics/?view=funnel&channel=referral").get_data(as_text=True)
    assert 'data-testid="section-channels"' in page and '<option value="referral" selected>' in page
    channels = page.split('data-testid="section-channels"')[1].split("</section>")[0]
    assert "<td>内推</td>" in channels and "<td>朋友圈</td>" not in channels   # the filter applies to the section
    assert hr.get("/admin/analytics/?channel=nope").status_code == 400
    screened = {c: rows[1]["reached"] / rows[0]["reached"] for c, rows in funnel_by_channel(Cohort()).items()}
    assert set(screened) == set(demo.CHANNEL_MIX)
    assert screened["referral"] > max(v for c, v in screened.items() if c != "referral") + 0.05, screened


def test_the_calibration_page_first_lists_the_jobs_with_performance_data(demo_db, hr):
    from app.analytics.models import PerformanceRecord
    from app.core.job_labels import job_label
    from app.core.models import Application
    page = hr.get("/admin/analytics/calibration").get_data(as_text=True)
    overview = " ".join(page.split('data-testid="calibration-overview"')[1].split("</section>")[0].split())
    # no job is chosen yet, so the job list does not pretend one is (it showed the first job as selected)
    assert '<option value="" selected disabled>请选择岗位</option>' in page
    for job in Job.select().where(Job.title.startswith(demo.PREFIX)):
        n = PerformanceRecord.select().join(Application).where(Application.job == job.id).count()
        if n:
            # named as the job pickers name it (title · department · city), not by a title two jobs may share
            assert f'{job_label(job)}</a> <span class="muted">· {n} 名有绩效记录的已入职员工' in overview
    PerformanceRecord.delete().execute()
    assert "还没有导入任何绩效数据" in hr.get("/admin/analytics/calibration").get_data(as_text=True)


def test_dates_at_the_ends_of_the_calendar_are_refused_with_a_message_not_a_500(app, hr):
    # The date inputs accept years 0001 and 9999; turning them into UTC (or the day after) left the calendar.
    for query in ("start=0001-01-01", "end=9999-12-31", "start=0001-01-01&end=9999-12-31"):
        res = hr.get(f"/admin/analytics/?{query}")
        assert res.status_code == 400, query
        assert "日期超出范围" in res.get_data(as_text=True)
        assert hr.get(f"/admin/analytics/export/funnel.csv?{query}").status_code == 400


def test_a_csv_download_names_its_charset_once(app, hr):
    """The analytics CSV answered `text/csv; charset=utf-8; charset=utf-8` (the charset given in the mimetype and
    added again by the response)."""
    res = hr.get("/admin/analytics/export/funnel.csv?start=2030-01-01")
    assert res.status_code == 200 and res.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert res.get_data().decode("utf-8-sig").startswith("阶段,")

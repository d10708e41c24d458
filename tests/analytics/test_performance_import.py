"""Post-hire performance import: a preview of what matched, clear row errors, all or nothing."""
import io

import pytest
from openpyxl import Workbook

from app.analytics import performance
from app.analytics.models import PerformanceRecord
from app.core.errors import BadRequest
from app.core.models import Application, Candidate, Job


def _hire(job, phone, stage="hired"):
    return Application.create(candidate=Candidate.create(name="张三", phone=phone), job=job, stage=stage)


@pytest.fixture
def hires(app):
    job = Job.create(title="后端开发工程师")
    return _hire(job, "13800000001"), _hire(job, "13800000002"), _hire(job, "13800000003", stage="second_round")


def test_csv_preview_matches_by_application_and_phone_and_commits(hires):
    a, b, _ = hires
    data = f"应聘编号,手机号,周期,评分,销售额\n{a.id},,2026H1,4.5,120\n,13800000002,2026H1,3\n".encode()
    item = performance.preview("perf.csv", data, actor="hr_lina")
    assert [(r["application_id"], r["error"]) for r in item.rows] == [(a.id, ""), (b.id, "")]
    assert item.rows[0]["kpis"] == {"销售额": 120.0}
    assert PerformanceRecord.select().count() == 0          # a preview imports nothing
    assert performance.commit(item.id) == 2
    assert {(r.application_id, r.rating) for r in PerformanceRecord.select()} == {(a.id, 4.5), (b.id, 3.0)}
    with pytest.raises(Exception, match="已处理"):
        performance.commit(item.id)


def test_bad_rows_are_explained_and_nothing_is_half_imported(hires):
    a, _, not_hired = hires
    data = (f"application_id,period,rating\n{a.id},2026H1,4\n{not_hired.id},2026H1,3\n999999,2026H1,3\n"
            f"{a.id},2026H1,5\nabc,2026H1,2\n{a.id},,2\n{a.id},2026H2,很好\n").encode()
    item = performance.preview("perf.csv", data, actor="hr_lina")
    errors = [r["error"] for r in item.rows]
    assert errors[0] == ""
    assert "尚未入职" in errors[1] and "找不到应聘编号 999999" in errors[2] and "重复" in errors[3]
    assert "不是数字" in errors[4] and "缺少周期" in errors[5] and "评分不是数字" in errors[6]
    with pytest.raises(BadRequest, match="没有导入任何数据"):
        performance.commit(item.id)
    assert PerformanceRecord.select().count() == 0


def test_xlsx_upload_and_bad_files(hires):
    a, _, _ = hires
    wb = Workbook()
    wb.active.append(["application_id", "period", "rating"])
    wb.active.append([a.id, "2026H1", 4])
    buf = io.BytesIO()
    wb.save(buf)
    item = performance.preview("perf.xlsx", buf.getvalue(), actor="hr_lina")
    assert item.rows[0]["application_id"] == a.id and item.rows[0]["rating"] == 4.0
    with pytest.raises(BadRequest, match="无法读取 XLSX"):
        performance.preview("perf.xlsx", b"not a zip", actor="hr_lina")
    with pytest.raises(BadRequest, match="只支持"):
        performance.preview("perf.pdf", b"%PDF", actor="hr_lina")
    with pytest.raises(BadRequest, match="缺少「评分 rating」列"):
        performance.preview("perf.csv", b"application_id,period\n1,2026H1\n", actor="hr_lina")


def test_the_preview_page_shows_kpis_as_people_read_them(hires, client):
    from tests.support.reports import sign_in_as
    a, _, _ = hires
    data = f"应聘编号,周期,评分,代码质量,交付准时率\n{a.id},2026H1,4,90,0.95\n".encode()
    item = performance.preview("perf.csv", data, actor="hr_lina")
    sign_in_as(client, "hr_lina")
    page = client.get(f"/admin/analytics/performance/{item.id}").get_data(as_text=True)
    kpis = page.split('<td>2026H1</td>')[1].split("</tr>")[0]
    assert "代码质量 90" in kpis and "交付准时率 0.95" in kpis and ";" in kpis
    assert "\\u4ee3" not in page and "{&#34;" not in page and '{"' not in page


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_fill_in_template_reads_back_once_filled(hires, client, fmt):
    """HR downloads the template from the import page, writes a hire's number over the example and uploads it."""
    from openpyxl import load_workbook

    from tests.support.reports import sign_in_as
    a, _, _ = hires
    sign_in_as(client, "hr_lina")
    assert f"/admin/analytics/performance/template.{fmt}" in client.get("/admin/analytics/performance").get_data(
        as_text=True)
    resp = client.get(f"/admin/analytics/performance/template.{fmt}")
    assert resp.status_code == 200 and f"performance-template.{fmt}" in resp.headers["Content-Disposition"]
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(resp.data))
        book.active["A2"] = a.id
        out = io.BytesIO()
        book.save(out)
        data = out.getvalue()
    else:
        data = resp.data.decode("utf-8-sig").replace("1024", str(a.id)).encode()
    item = performance.preview(f"filled.{fmt}", data, actor="hr_lina")
    assert [(r["application_id"], r["period"], r["rating"], r["error"]) for r in item.rows] == [
        (a.id, "2026H1", 85.0, "")]
    assert item.rows[0]["kpis"] == {"销售额(万元)": 120.0}
    assert client.get("/admin/analytics/performance/template.pdf").status_code == 400


def test_a_phone_typed_in_another_format_matches_and_its_rows_go_with_the_candidates_data(hires):
    """HR's file may hold "+86 138-0000-0002" or full-width digits: read as the stored phone (app/core/phones.py),
    the row matches the hire, and the candidate's export lists it and erasure removes it (rows kept by reference)."""
    from app.analytics import personal_data
    _, b, _ = hires
    data = "手机号,周期,评分\n+86 138-0000-0002,2026H1,3\n".encode() + "１３８０００００００２,2026H2,4\n".encode()
    item = performance.preview("perf.csv", data, actor="hr_lina")
    assert [(r["application_id"], r["error"]) for r in item.rows] == [(b.id, ""), (b.id, "")]
    item.rows = [dict(r, application_id=None, error="x") for r in item.rows]   # rows HR's file could not place
    item.save()
    exported = personal_data.export([b.id])[b.id]
    rows = next(s for s in exported if s["key"] == "performance_file_rows")["records"]
    assert [r["period"] for r in rows] == ["2026H1", "2026H2"]
    assert personal_data.erase([b.id])["counts"]["performance_import_rows"] == 2

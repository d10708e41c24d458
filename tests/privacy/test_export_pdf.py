"""The data export as a PDF (the candidate's link and HR's page): the export page's text on A4 in the CJK font,
nobody else's data, audited; no font on the server is a clear 410 that logs no export."""
import io

from pypdf import PdfReader

from app.core import pdf as pdf_doc
from app.core.access_log import AccessLog
from app.privacy import export_pdf
from tests.privacy.helpers import candidate_with_data
from tests.support.reports import sign_in_as


def _text(res):
    assert res.status_code == 200, res.data[:300]
    assert res.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(res.data)).pages)


def _actions(candidate_id):
    return [(r.actor, r.action) for r in AccessLog.select().where(AccessLog.candidate == candidate_id)]


def test_the_candidates_pdf_reads_as_the_export_page_and_only_their_own(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    res = client.get(f"/i/{mine.token}/my-data.pdf")
    text = _text(res)
    assert res.headers["Content-Disposition"].startswith("inline;")   # opens in WeChat's viewer
    for expected in ("我的数据", "李明", "13800001234", "LIMING 简历", "LIMING 慢查询日志", "LIMING 候选人的留言",
                     "进度记录", "查看记录"):
        assert expected in text.replace("\n", ""), expected
    assert "WANGFANG" not in text and "王芳" not in text
    assert ("candidate", "export_pdf") in _actions(mine.candidate_id)


def test_hr_exports_a_pdf_and_a_manager_may_not(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    url = f"/admin/privacy/candidates/{mine.candidate_id}/export.pdf"
    sign_in_as(client, "zhangwei")
    assert client.get(url).status_code == 403
    sign_in_as(client, "hr_lina")
    assert "LIMING 简历" in _text(client.get(url))
    assert ("hr_lina", "export_pdf") in _actions(mine.candidate_id)
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    assert 'data-testid="hr-export-pdf"' in page


def test_no_cjk_font_is_a_clear_410_and_no_export_is_logged(client, demo_job, monkeypatch, app):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    monkeypatch.setattr(pdf_doc, "FONT_CANDIDATES", ())
    monkeypatch.setitem(app.config, "PDF_CJK_FONT", "")
    res = client.get(f"/i/{mine.token}/my-data.pdf")
    assert res.status_code == 410 and "中文字体" in res.get_data(as_text=True)
    assert ("candidate", "export_pdf") not in _actions(mine.candidate_id)


def test_blocks_keep_labels_nesting_and_line_breaks():
    html = """<html><head><style>h1 {}</style><title>t</title></head><body>
    <h1>我的数据</h1><div><b>岗位匹配度</b> 81 分</div><p class="muted">说明 <a href="x">链接</a></p>
    <table><tr><th>姓名</th><td>李明</td></tr>
      <tr><th>学历</th><td><table class="inner"><tr><th>学校</th><td>某大学</td></tr></table></td></tr></table>
    <p class="quote">第一行
第二行</p><ul><li>甲<br>乙</li></ul></body></html>"""
    assert export_pdf.blocks(html) == [
        ("h1", 0, "我的数据"), ("text", 0, "岗位匹配度 81 分"), ("gap", 0, ""), ("muted", 0, "说明 链接"),
        ("text", 0, "姓名:李明"), ("text", 0, "学历:"), ("text", 1, "学校:某大学"), ("text", 0, "第一行\n第二行"),
        ("text", 0, "甲\n乙"), ("gap", 0, "")]

"""The applications workbench on HR's phone (390 px): each application becomes a card (candidate, score, reasons,
AI interview, stage, channel, each named) instead of a seven-column table squeezed to the screen's width, and the
page does not scroll sideways; at 1280 px it stays a table. axe finds nothing serious at either width.
Screenshots under test-artifacts/workbench/."""
import pytest

from app.screening import intake
from app.screening.job_templates import import_template
from app.screening.models import Screening
from tests.browser.test_accessibility import Audit
from tests.support.browser import shot, signed_in_page
from tests.support.funnel import backend_template, pdf_resume, run_workers

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def _screened(link, people):
    for name, phone, years, skills in people:
        intake.apply(link.code, name, phone, pdf_resume(name=name, phone=phone, years=years, skills=skills),
                     "cv.pdf", {"q1": "能"})


@pytest.mark.parametrize("width", [390, 1280])
def test_the_workbench_reads_on_a_phone_and_stays_a_table_on_a_desk(live_app, phone, redis_conn, width):
    app, base = live_app
    link = intake.create_link(import_template(backend_template()).id, "wechat_group")
    _screened(link, [("张伟", "13800001234", 5, ("Python", "PG", "Kafka")),
                     ("李娜", "13900002222", 1, ("Photoshop",))])
    hr = signed_in_page(phone, app, base, "hr_lina", width=width, height=844)
    run_workers(redis_conn)                  # parse and screen them
    assert Screening.select().count() == 2
    hr.goto(f"{base}/admin/applications")
    assert hr.locator("table.wb .score").count() == 2
    overflow = hr.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    row = hr.locator("tr[data-application]").first
    cells = row.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    if width == 390:
        # a card: the checkbox beside the name, then the score and the reasons under it, as wide as the card, then
        # the three short parts (AI面试, 阶段, 渠道) side by side
        assert hr.evaluate("getComputedStyle(document.querySelector('table.wb tr[data-application]')).display") \
            != "table-row"
        assert round(boxes[0]["y"]) == round(boxes[1]["y"]) and boxes[1]["width"] >= 250, boxes
        assert all(b["width"] >= 300 for b in boxes[2:4]), boxes
        ys = [round(b["y"]) for b in boxes[1:5]]
        assert ys == sorted(set(ys)) and {round(b["y"]) for b in boxes[4:]} == {ys[-1]}, boxes
        text = row.inner_text()
        for said in ("筛选分", "理由", "AI面试", "阶段", "渠道"):
            assert said in text, text
        assert hr.get_by_label("全选").is_visible()
    else:
        # a table: the cells side by side on one line
        assert len({round(b["y"]) for b in boxes}) == 1 and boxes[1]["x"] < boxes[2]["x"] < boxes[3]["x"], boxes
        assert "筛选分" not in row.inner_text()
    shot(hr, f"workbench-{width}", "workbench")
    audit = Audit()
    audit(hr, f"workbench-{width}")
    assert not audit.blocking(), audit.blocking()

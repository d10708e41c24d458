"""The job page on a 390 px phone: the postings table keeps each channel's name on one line."""
import pytest

from app.screening import intake
from tests.support.app import import_job
from tests.support.browser import shot, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def test_the_postings_table_keeps_channel_names_on_one_line_at_390px(live_app, phone):
    """At 390 px the link and its QR took the width and 「微信群」 stood one character a line (「投递」 too)."""
    app, base = live_app
    job = import_job("backend-engineer.yaml")
    for channel in ("wechat_group", "moments", "referral"):
        intake.create_link(job.id, channel, "hr_lina")
    hr = signed_in_page(phone, app, base, "hr_lina", width=390, height=844)
    hr.goto(f"{base}/admin/jobs/{job.id}#postings")
    lines = hr.eval_on_selector_all("#postings table.links tr > :nth-child(-n+3):not([colspan])", """cells => cells.map(
        c => { const r = document.createRange(); r.selectNodeContents(c);
               const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
               return [c.textContent.trim(), tops.size]; })""")
    short = [(text, n) for text, n in lines if not text.startswith("http")]
    assert ("微信群", 1) in short and ("投递", 1) in short, short
    assert all(n == 1 for _, n in short), short
    assert hr.evaluate("document.documentElement.scrollWidth") <= 390
    shot(hr, "job-postings-390")
    hr.context.close()

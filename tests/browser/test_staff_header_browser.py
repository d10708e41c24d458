"""The staff pages' top bar in Chromium at 390 px and 1280 px: a long job title (the job page's heading is
「岗位 · <title>」) wraps inside the bar instead of widening the page (it did not wrap, and a phone scrolled
sideways); a short one keeps the signed-in links beside it on a desk. Screenshots under test-artifacts/browser/."""
import pytest

from app.screening import job_versions
from tests.support.app import import_job
from tests.support.browser import chromium_page, shot, sign_in_page

pytestmark = [pytest.mark.browser]
LONG_TITLE = "高级后端开发工程师(支付结算与清分对账方向,上海浦东张江,可远程)"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_long_job_title_wraps_in_the_top_bar(live_app, width):
    app, base_url = live_app
    with app.app_context():
        job = import_job("backend-engineer.yaml")
        tpl = job_versions.current_template(job)
        tpl["title"] = LONG_TITLE if width == 390 else LONG_TITLE * 3
        job_versions.update_job(job.id, tpl, "hr_lina", "改岗位名称",
                                question_ids=[q.id for q in job.ordered_questions()])
    with chromium_page(viewport={"width": width, "height": 900}, is_mobile=width < 500) as page:
        sign_in_page(page, app, base_url, "hr_lina")
        page.goto(f"{base_url}/admin/jobs/{job.id}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
        heading = page.locator(".top h1").bounding_box()
        assert heading["x"] + heading["width"] <= width + 1 and heading["height"] > 30, heading   # on two lines
        shot(page, f"top-bar-long-title-{width}")
        if width == 1280:   # a short title: the links stay on the heading's line
            page.goto(f"{base_url}/admin/")
            heading, links = page.locator(".top h1").bounding_box(), page.locator(".top .who").bounding_box()
            assert abs((heading["y"] + heading["height"] / 2) - (links["y"] + links["height"] / 2)) < 10

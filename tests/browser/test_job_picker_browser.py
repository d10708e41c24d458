"""The workbench's (and the analytics page's) job filter in Chromium at 1280 px and 390 px: four 「后端工程师」 read
apart (department, city, 已关闭, a copy's number), and the longer option text does not widen the page on a phone.
Screenshots under test-artifacts/browser/."""
import pytest

from app.core.models import Application, Candidate, Job
from tests.support.browser import shot, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.mark.parametrize("width", [1280, 390])
def test_same_titled_jobs_read_apart_in_the_workbench_filter(live_app, phone, width):
    app, base = live_app
    with app.app_context():
        jobs = [Job.create(title="后端工程师", department="技术部", location="上海"),
                Job.create(title="后端工程师", department="平台部", location="北京"),
                Job.create(title="后端工程师", department="技术部", location="上海", status="closed"),
                Job.create(title="后端工程师", department="技术部", location="上海")]
        Application.create(candidate=Candidate.create(name="王磊", phone="13800005555"), job=jobs[1])
    hr = signed_in_page(phone, app, base, "hr_lina", width=width, height=844)
    hr.goto(f"{base}/admin/applications")
    texts = hr.locator("#filter-job option").all_inner_texts()
    assert texts[0] == "全部岗位" and len(set(texts[1:])) == 4, texts
    hr.select_option("#filter-job", str(jobs[2].id))
    assert "已关闭" in hr.locator("#filter-job option:checked").inner_text()
    overflow = hr.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    shot(hr, f"workbench-job-filter-{width}")
    # the options as the open list shows them (a native popup is not in a screenshot): the same <select>, listed
    hr.evaluate("document.getElementById('filter-job').size = 5")
    hr.locator("#filter-job").screenshot(path=str(shot.__globals__["ARTIFACTS"] / "browser"
                                                  / f"workbench-job-options-{width}.png"))
    hr.goto(f"{base}/admin/analytics/?job={jobs[2].id}")                # the analytics filter names it alike
    assert "已关闭" in hr.locator("#filter-job option:checked").inner_text()
    overflow = hr.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the analytics page scrolls sideways by {overflow}px"
    hr.locator("form.filters").screenshot(path=str(shot.__globals__["ARTIFACTS"] / "browser"
                                                   / f"analytics-job-filter-{width}.png"))
    hr.context.close()

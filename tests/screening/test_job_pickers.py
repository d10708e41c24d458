"""Every job picker on the staff pages (the workbench's filter, the invitation form, the analytics filters) and the
workbench's rows and export name a job by its title, department, city and, unless open, status, with its number
when two still read alike (a copy): by the title alone two 「后端工程师」 looked the same."""
import csv
import io
import re

from app.core.models import Application, Candidate, Job
from tests.support.reports import sign_in_as


def _jobs():
    """Four 「后端工程师」: two departments and cities, one closed, and a copy of the first."""
    first = Job.create(title="后端工程师", department="技术部", location="上海")
    other = Job.create(title="后端工程师", department="平台部", location="北京")
    closed = Job.create(title="后端工程师", department="技术部", location="上海", status="closed")
    copy = Job.create(title="后端工程师", department="技术部", location="上海")
    return first, other, closed, copy


def _options(html, select):
    """{job id: option text} of the page's <select> whose opening tag contains `select`."""
    start = html.index(select)
    inner = html[start:html.index("</select>", start)]
    return {int(v): text for v, text in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', inner)}


def test_a_job_is_labelled_by_title_department_city_status_and_a_copy_by_its_number(app):
    from app.core.job_labels import job_labels
    first, other, closed, copy = _jobs()
    assert job_labels([first, other, closed, copy]) == {
        first.id: f"后端工程师 · 技术部 · 上海 · #{first.id}", other.id: "后端工程师 · 平台部 · 北京",
        closed.id: "后端工程师 · 技术部 · 上海 · 已关闭", copy.id: f"后端工程师 · 技术部 · 上海 · #{copy.id}"}
    assert job_labels([first, other]) == {first.id: "后端工程师 · 技术部 · 上海",   # no number when not needed
                                          other.id: "后端工程师 · 平台部 · 北京"}


def test_the_workbench_filter_rows_and_export_tell_same_titled_jobs_apart(client, app):
    first, other, closed, copy = _jobs()
    Application.create(candidate=Candidate.create(name="王磊", phone="13800005555"), job=other)
    sign_in_as(client, "hr_lina")
    page = client.get("/admin/applications").get_data(as_text=True)
    options = _options(page, 'id="filter-job"')
    assert set(options) == {first.id, other.id, closed.id, copy.id}
    assert len(set(options.values())) == 4, options
    assert options[other.id] == "后端工程师 · 平台部 · 北京" and "已关闭" in options[closed.id]
    assert '<div class="muted">后端工程师 · 平台部 · 北京</div>' in page        # the row names it as the filter
    exported = client.get("/admin/applications/export.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[1][rows[0].index("岗位")] == "后端工程师 · 平台部 · 北京"


def test_the_invitation_form_tells_same_titled_open_jobs_apart(client, app):
    first, other, closed, copy = _jobs()
    sign_in_as(client, "hr_lina")
    options = _options(client.get("/admin/").get_data(as_text=True), 'name="job_id"')
    assert set(options) == {first.id, other.id, copy.id}                      # a closed job takes no invitation
    assert len(set(options.values())) == 3, options
    assert options[other.id] == "后端工程师 · 平台部 · 北京"


def test_the_analytics_job_filters_tell_same_titled_jobs_apart(client, app):
    first, other, closed, copy = _jobs()
    sign_in_as(client, "hr_lina")
    for url in ("/admin/analytics/", "/admin/analytics/calibration"):
        options = _options(client.get(url).get_data(as_text=True), 'id="filter-job"')
        assert set(options) == {first.id, other.id, closed.id, copy.id}, url
        assert len(set(options.values())) == 4, (url, options)

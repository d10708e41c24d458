"""HR's 「对比」 of two job versions: the page from the version list, what each version scored (SQLite and
PostgreSQL), HR only, and a clear 404 for a version the job does not have."""
import re

from app.interview.invitations import invite_candidate
from app.interview.models import Report
from app.screening import job_pages, job_versions
from app.screening.models import JobVersion, Screening
from tests.support.app import import_job
from tests.support.reports import sign_in_as


def three_versions():
    """The shipped backend job saved twice more: v2 changes weights, a question's timing and the requirements;
    v3 puts them back as v1 had them (saving v2 unchanged makes no version)."""
    job = import_job("backend-engineer.yaml")
    first = job_versions.current_template(job)
    tpl = job_versions.current_template(job)
    tpl["dimensions"][1]["weight"], tpl["dimensions"][2]["weight"] = 40, 40
    tpl["questions"][1]["think_seconds"] = 60
    tpl["requirements"] = tpl["requirements"].replace("3年以上", "5年以上")
    ids = [q.id for q in job.ordered_questions()]
    job_versions.update_job(job.id, tpl, "hr_lina", "提高逻辑思维权重", question_ids=ids)
    assert job_versions.update_job(job.id, tpl, "hr_lina", "原样保存", question_ids=ids) is None
    job_versions.update_job(job.id, first, "hr_lina", "改回", question_ids=ids)
    return job


def scored_with(job, version, name, phone):
    """An application of the job whose AI report and resume screening were made with `version`."""
    interview, _ = invite_candidate(job.id, name, phone)
    Report.create(interview=interview, total=70, model_version="t", dimensions={}, job_version=version)
    row = JobVersion.get((JobVersion.job == job.id) & (JobVersion.number == version))
    Screening.create(application=interview.application_id, job_version=row, score=60, screener_version="t")


def test_what_each_version_scored_on_both_databases(any_db_app):
    job = three_versions()
    scored_with(job, 1, "李明", "13800001234")
    scored_with(job, 1, "王芳", "13800002345")
    scored_with(job, 2, "赵强", "13800003456")
    other = import_job("sales-representative.yaml")   # another job's version 1 counts for that job only
    scored_with(other, 1, "孙丽", "13800004567")
    assert job_pages.version_usage(job.id) == {1: {"reports": 2, "screenings": 2}, 2: {"reports": 1, "screenings": 1}}
    page = job_pages.comparison(job, 2, 1)   # either order: older to newer
    assert (page["old"].number, page["new"].number, page["latest"]) == (1, 2, 3)
    assert page["usage"] == {1: {"reports": 2, "screenings": 2}, 2: {"reports": 1, "screenings": 1}}
    weights = [d["details"][0] for d in page["diff"]["dimensions"]]
    assert [(w["old"], w["new"]) for w in weights] == [("30%", "40%"), ("50%", "40%")]
    assert job_pages.comparison(job, 1, 3)["diff"]["changed"] is False
    assert job_pages.comparison(job, 3, 3)["usage"] == {3: {"reports": 0, "screenings": 0}}


def test_hr_opens_the_comparison_from_the_version_list(client, app):
    sign_in_as(client, "hr_lina")
    job = three_versions()
    scored_with(job, 1, "李明", "13800001234")
    overview = client.get(f"/admin/jobs/{job.id}").get_data(as_text=True)
    links = re.findall(r'href="(/admin/jobs/\d+/versions/\d+/compare/\d+)" data-testid="compare-(\w+)"', overview)
    assert links == [(f"/admin/jobs/{job.id}/versions/2/compare/3", "previous"),
                     (f"/admin/jobs/{job.id}/versions/1/compare/2", "previous"),
                     (f"/admin/jobs/{job.id}/versions/2/compare/3", "current"),
                     (f"/admin/jobs/{job.id}/versions/1/compare/3", "current")]
    assert "1 份报告<br>1 份筛选" in overview

    page = client.get(f"/admin/jobs/{job.id}/versions/1/compare/2").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "<title>后端开发工程师 v1 → v2</title>" in page
    assert "1 份报告按此版本评分 · 1 份简历按此版本筛选" in text
    assert "0 份报告按此版本评分" in text
    assert "维度「逻辑思维」 权重 30% → 40%" in text and "维度「岗位匹配度」 权重 50% → 40%" in text
    assert "思考时间 45 秒 → 60 秒" in text and "第 2 题" in text
    assert "任职要求 (新增 1 行,删除 1 行)" in text
    assert "<del>1. 本科及以上学历,计算机相关专业,<mark>3</mark>年以上后端开发经验;</del>" in page
    assert "<ins>1. 本科及以上学历,计算机相关专业,<mark>5</mark>年以上后端开发经验;</ins>" in page
    assert "没有变化" not in text

    same = client.get(f"/admin/jobs/{job.id}/versions/1/compare/3").get_data(as_text=True)
    assert 'id="no-change"' in same and "没有变化" in same and "当前版本" in same
    assert "没有变化" in client.get(f"/admin/jobs/{job.id}/versions/3/compare/1").get_data(as_text=True)
    version_page = client.get(f"/admin/jobs/{job.id}/versions/2").get_data(as_text=True)
    assert f'href="/admin/jobs/{job.id}/versions/1/compare/2">与上一版对比' in version_page
    assert f'href="/admin/jobs/{job.id}/versions/2/compare/3">与当前版对比' in version_page


def test_a_version_the_job_does_not_have_is_a_clear_404(client, app):
    sign_in_as(client, "hr_lina")
    job = three_versions()
    for url in (f"/admin/jobs/{job.id}/versions/1/compare/9", f"/admin/jobs/{job.id}/versions/9/compare/1"):
        missing = client.get(url)
        assert missing.status_code == 404
        body = missing.get_data(as_text=True)   # the error page's title is the Chinese before the first space
        assert "<title>这个岗位没有第9版" in body and "No version 9 of this job" in body
    version_page = client.get(f"/admin/jobs/{job.id}/versions/9")   # the single version's page says the same
    assert version_page.status_code == 404 and "No version 9 of this job" in version_page.get_data(as_text=True)
    other = import_job("sales-representative.yaml")   # its version 1 exists, but not as this job's version 3
    assert client.get(f"/admin/jobs/{other.id}/versions/1/compare/3").status_code == 404
    no_job = client.get("/admin/jobs/99999/versions/1/compare/2")
    assert no_job.status_code == 404 and "岗位不存在" in no_job.get_data(as_text=True)
    as_json = client.get(f"/admin/jobs/{job.id}/versions/1/compare/9", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.get_json()["error"]["code"] == "version_not_found"


def test_only_hr_compares_versions_refused_as_on_the_other_job_pages(client, app):
    job = three_versions()
    compare, job_page = f"/admin/jobs/{job.id}/versions/1/compare/2", f"/admin/jobs/{job.id}"
    signed_out, other_page = client.get(compare), client.get(job_page)
    assert signed_out.status_code == other_page.status_code == 302
    assert signed_out.headers["Location"].startswith("/auth/login?next=") and "compare" in signed_out.headers[
        "Location"]
    sign_in_as(client, "zhangwei")   # the job's own manager, still not HR
    refused, other_refused = client.get(compare), client.get(job_page)
    assert refused.status_code == other_refused.status_code == 403
    assert "仅HR可访问" in refused.get_data(as_text=True)
    assert refused.get_data(as_text=True) == other_refused.get_data(as_text=True)
    assert "权重" not in refused.get_data(as_text=True)

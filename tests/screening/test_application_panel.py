"""The staff application page shows how an applicant came in, their resume (the original file opens, every view
logged), the screening with its reasons, and HR's screening actions; a manager of another job gets nothing."""
from app.core.access_log import AccessLog, Action
from app.core.models import Application
from app.core.storage import get_storage
from app.screening import intake
from app.screening.models import Resume
from tests.support.app import import_job
from tests.support.funnel import pdf_resume, run_workers
from tests.support.reports import sign_in_as


def _apply(link, redis_conn):
    data = pdf_resume(name="张伟", phone="13800001234")
    application, _, _ = intake.apply(link.code, "张伟", "13800001234", data, "张伟-简历.pdf", {"q1": "能"})
    run_workers(redis_conn)
    return application, data


def test_hr_reads_the_resume_and_the_reasons_on_the_application_page(app, client, link, redis_conn):
    application, data = _apply(link, redis_conn)
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "简历与筛选" in page and "微信群 · 投递于" in page
    assert "张伟-简历.pdf" in page and "已读取" in page and 'data-testid="resume-file"' in page
    assert "能否接受在上海办公?" in page and "<td>能</td>" in page
    assert 'data-testid="screening-score"' in page and "必须项满足 4/4" in page
    assert "✓ <span" in page and 'data-testid="evidence"' in page
    assert 'data-testid="screening-actions"' in page
    timeline = page[page.index('data-testid="timeline"'):]
    assert "<b>投递</b>" in timeline and "候选人 · 微信群" in timeline and "暂无" not in timeline[:400]

    res = client.get(f"/m/applications/{application.id}/resume")
    assert res.status_code == 200 and res.data == data
    assert res.headers["Content-Type"] == "application/pdf"
    assert res.headers["Content-Disposition"].startswith("attachment")
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    [logged] = AccessLog.select().where(AccessLog.action == Action.VIEW_RESUME)
    assert logged.actor == "hr_lina" and logged.application_id == application.id


def test_managers_see_their_jobs_resumes_without_hr_actions(app, client, link, redis_conn):
    application, data = _apply(link, redis_conn)
    sign_in_as(client, "zhangwei")                    # the backend job's manager
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "简历与筛选" in page and 'data-testid="screening-actions"' not in page
    assert client.get(f"/m/applications/{application.id}/resume").data == data

    import_job("sales-representative.yaml")            # wangfang manages only this one
    other = app.test_client()
    sign_in_as(other, "wangfang")
    assert other.get(f"/m/applications/{application.id}/resume").status_code == 404
    assert app.test_client().get(f"/m/applications/{application.id}/resume").status_code == 302   # sign in first
    assert AccessLog.select().where(AccessLog.action == Action.VIEW_RESUME).count() == 1


def test_hr_acts_from_the_page_and_a_purged_file_says_so(app, client, link, redis_conn):
    application, _ = _apply(link, redis_conn)
    sign_in_as(client, "hr_lina")
    back = f"/m/applications/{application.id}#screening"
    res = client.post("/admin/applications/bulk", data={"ids": str(application.id), "action": "reject",
                                                         "message": "感谢关注,本岗位已招满", "back": back})
    assert res.status_code == 302 and res.headers["Location"].endswith(back)
    assert Application.get_by_id(application.id).stage == "rejected"
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "淘汰:成功 1 人" in page and 'data-testid="screening-actions"' not in page

    get_storage().delete(Resume.get(Resume.application == application.id).file_key)
    res = client.get(f"/m/applications/{application.id}/resume")
    assert res.status_code == 410 and "简历文件已按保留期限删除" in res.get_data(as_text=True)

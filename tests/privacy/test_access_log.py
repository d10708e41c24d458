"""Every staff view of a report, a recording, a poster or a candidate's file leaves one access-log row (who, when,
what); a refused view leaves none; HR reads the log per candidate."""
from app.core.access_log import AccessLog
from tests.privacy.helpers import candidate_with_data
from tests.support.reports import sign_in_as


def _rows(candidate_id):
    return [(r.actor, r.action, r.target) for r in
            AccessLog.select().where(AccessLog.candidate == candidate_id).order_by(AccessLog.id)]


def test_report_media_poster_and_attachment_views_are_logged(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "zhangwei")  # the job's manager
    answer, att = mine.answer.id, mine.attachment.id
    assert client.get(f"/m/reports/{mine.report.id}").status_code == 200
    assert client.get(f"/m/reports/media/{answer}").status_code == 200
    # The player's seeking requests belong to the same view.
    assert client.get(f"/m/reports/media/{answer}", headers={"Range": "bytes=1-"}).status_code == 206
    assert client.get(f"/m/reports/media/{answer}/poster.jpg").status_code == 200
    assert client.get(f"/m/applications/{mine.application_id}/attachments/{att}").status_code == 200
    assert _rows(mine.candidate_id) == [("zhangwei", "view_report", f"report:{mine.report.id}"),
                                        ("zhangwei", "view_media", f"answer:{answer}"),
                                        ("zhangwei", "view_poster", f"answer:{answer}"),
                                        ("zhangwei", "view_attachment", f"attachment:{att}")]
    row = AccessLog.select().where(AccessLog.action == "view_report").get()
    assert row.application_id == mine.application_id and row.created_at is not None


def test_a_refused_view_is_not_logged(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    from app.core.models import Job
    Job.create(title="前端工程师", manager_userids=["chenjie"])
    sign_in_as(client, "chenjie")  # a manager of another job
    assert client.get(f"/m/reports/{mine.report.id}").status_code == 404
    assert client.get(f"/m/reports/media/{mine.answer.id}").status_code == 404
    assert client.get(f"/m/applications/{mine.application_id}/attachments/{mine.attachment.id}").status_code == 404
    assert _rows(mine.candidate_id) == []


def test_hr_sees_the_log_per_candidate(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    other = candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    sign_in_as(client, "zhangwei")
    client.get(f"/m/reports/{mine.report.id}")
    client.get(f"/m/reports/{other.report.id}")
    sign_in_as(client, "hr_lina")
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    assert page.count('data-testid="access-row"') == 1
    assert f"report:{mine.report.id}" in page and "zhangwei" in page and "查看报告" in page
    app_page = client.get(f"/m/applications/{mine.application_id}").get_data(as_text=True)
    assert f"/admin/privacy/candidates/{mine.candidate_id}" in app_page  # HR's way in from the application
    sign_in_as(client, "zhangwei")
    assert client.get(f"/admin/privacy/candidates/{mine.candidate_id}").status_code == 403

"""Every staff view of a report, a play of a recording or a view of a candidate's file leaves one access-log row
(who, when, what); opening the report page plays nothing; a refused view leaves none; HR reads the log per
candidate, each record named in words with a link to where it is shown."""
import re

from app.core.access_log import AccessLog
from app.privacy import deletion
from tests.privacy.helpers import candidate_with_data
from tests.support.reports import sign_in_as


def _rows(candidate_id):
    return [(r.actor, r.action, r.target) for r in
            AccessLog.select().where(AccessLog.candidate == candidate_id).order_by(AccessLog.id)]


def test_report_media_and_attachment_views_are_logged(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "zhangwei")  # the job's manager
    answer, att = mine.answer.id, mine.attachment.id
    assert client.get(f"/m/reports/{mine.report.id}").status_code == 200
    assert client.get(f"/m/reports/media/{answer}").status_code == 200
    # The player's seeking requests belong to the same play.
    assert client.get(f"/m/reports/media/{answer}", headers={"Range": "bytes=1-"}).status_code == 206
    assert client.get(f"/m/applications/{mine.application_id}/attachments/{att}").status_code == 200
    assert _rows(mine.candidate_id) == [("zhangwei", "view_report", f"report:{mine.report.id}"),
                                        ("zhangwei", "view_media", f"answer:{answer}"),
                                        ("zhangwei", "view_attachment", f"attachment:{att}")]
    row = AccessLog.select().where(AccessLog.action == "view_report").get()
    assert row.application_id == mine.application_id and row.created_at is not None


def test_opening_the_report_logs_no_play_and_a_play_is_logged_once(client, demo_job):
    """Candidates read this log: opening the report page is one "查看报告" row, not a play of every answer. The
    players fetch nothing until play is pressed; the poster is part of the page; a play is the request from byte 0
    (not Safari's two-byte probe), its seeking requests are the same play."""
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "zhangwei")
    answer = mine.answer.id
    page = client.get(f"/m/reports/{mine.report.id}").get_data(as_text=True)
    assert '<video controls preload="none"' in page and 'preload="metadata"' not in page
    assert client.get(f"/m/reports/media/{answer}/poster.jpg").status_code == 200
    assert client.get(f"/m/reports/media/{answer}", headers={"Range": "bytes=0-1"}).status_code == 206   # probe
    assert _rows(mine.candidate_id) == [("zhangwei", "view_report", f"report:{mine.report.id}")]
    assert client.get(f"/m/reports/media/{answer}", headers={"Range": "bytes=0-"}).status_code == 206   # play
    assert client.get(f"/m/reports/media/{answer}", headers={"Range": "bytes=1-"}).status_code == 206   # seek
    assert _rows(mine.candidate_id)[1:] == [("zhangwei", "view_media", f"answer:{answer}")]


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
    assert "zhangwei" in page and "查看报告" in page
    app_page = client.get(f"/m/applications/{mine.application_id}").get_data(as_text=True)
    assert f"/admin/privacy/candidates/{mine.candidate_id}" in app_page  # HR's way in from the application
    sign_in_as(client, "zhangwei")
    assert client.get(f"/admin/privacy/candidates/{mine.candidate_id}").status_code == 403


def test_hr_reads_what_each_row_was_in_words_with_a_link(client, demo_job):
    """Not "report:12" / "answer:40": what the record was, and a link to the page that shows it (the report, the
    application), the link leaving no row of its own; a deleted record's words say so and link nowhere."""
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "zhangwei", "张伟")
    client.get(f"/m/reports/{mine.report.id}")
    client.get(f"/m/reports/media/{mine.answer.id}")
    client.get(f"/m/applications/{mine.application_id}/attachments/{mine.attachment.id}")
    sign_in_as(client, "hr_lina", "李娜")
    client.get(f"/admin/privacy/candidates/{mine.candidate_id}/export.json")
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    cells = dict(re.findall(r'data-action="(\w+)"><td>.*?</td><td>(.*?)</td>', page))
    what = dict(re.findall(r'data-action="(\w+)">(?:<td>.*?</td>){3}<td>(.*?)</td></tr>', page))
    assert not re.search(r"\b(report|answer|attachment|candidate):\d", page)
    assert cells["view_report"] == "张伟" and cells["export_json"] == "李娜"
    report_link = f'<a href="/m/reports/{mine.report.id}">'
    assert what["view_report"] == f"{report_link}「后端开发工程师」AI 面试评估报告</a>"
    assert what["view_media"] == f"{report_link}第 1 题的回答录像(第 1 次作答)</a>"
    assert what["view_attachment"] == f'<a href="/m/applications/{mine.application_id}">候选人发送的附件</a>'
    assert what["export_json"] == "该候选人的全部数据"
    request = deletion.request_deletion(mine.candidate_id, "hr_lina")
    deletion.confirm(request.id, "hr_lina")
    deletion.execute_deletion(request.id)
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    what = dict(re.findall(r'data-action="(\w+)">(?:<td>.*?</td>){3}<td>(.*?)</td></tr>', page))
    assert what["view_report"] == "「后端开发工程师」AI 面试评估报告(已删除)"
    assert what["view_media"] == "面试回答(已删除)" and what["deleted"] == f"删除申请 #{request.id}"

"""Retention: recordings and face photos go after RETENTION_DAYS; the hiring record stays."""
import datetime as dt

from app.core.base import utcnow
from app.core.storage import get_storage
from app.interview.models import Answer, Interview
from app.privacy.retention import purge_expired_media
from tests.support.reports import sign_in_as


def test_purge_deletes_old_media_and_keeps_transcripts(app, client, report, runner):
    interview = report.interview
    storage = get_storage()
    storage.save("faces/1/reference.jpg", b"\xff\xd8 face")
    Interview.update(reference_image="faces/1/reference.jpg", status="completed",
                     completed_at=utcnow() - dt.timedelta(days=10)).where(Interview.id == interview.id).execute()
    answer = Answer.get(Answer.interview == interview.id)

    assert purge_expired_media(days=30) == (0, 0)  # not old enough: nothing happens
    assert storage.exists(answer.media_key)
    dry = runner.invoke(args=["retention", "purge", "--days", "7", "--dry-run"])
    assert "would purge media of 1 interviews" in dry.output and storage.exists(answer.media_key)

    result = runner.invoke(args=["retention", "purge", "--days", "7"])
    assert result.exit_code == 0 and "purged media of 1 interviews (2 files deleted)" in result.output
    assert not storage.exists(answer.media_key) and not storage.exists("faces/1/reference.jpg")
    answer = Answer.get_by_id(answer.id)
    assert answer.media_purged_at and answer.transcript["text"]
    assert Interview.get_by_id(interview.id).reference_image == ""

    sign_in_as(client, "zhangwei")
    page = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "录音录像已按保留期限删除" in page and "76.5" in page
    assert client.get(f"/m/reports/media/{answer.id}").status_code == 410
    assert purge_expired_media(days=7) == (0, 0)  # a second run does not look at it again


def test_purge_removes_chunks_of_uploads_that_can_never_complete(app, demo_job):
    from app.interview import flow as interview_flow
    from app.interview import uploads
    from app.interview.invitations import invite_candidate
    from app.interview.models import Upload
    from app.privacy.retention import purge_abandoned_uploads
    interview, token = invite_candidate(demo_job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    interview_flow.verify_identity(interview.id, "李明", "1234")
    interview_flow.mark_device_checked(interview.id)
    upload = uploads.init_upload(token, demo_job.ordered_questions()[0].id, 1, "audio/webm", 10)
    uploads.put_chunk(token, upload.id, 0, b"0123456789")
    assert purge_abandoned_uploads() == 0  # the interview is still open: the candidate may resume
    assert get_storage().keys(uploads.chunk_prefix(upload.id))
    Interview.update(status="revoked").where(Interview.id == interview.id).execute()
    assert purge_abandoned_uploads() == 1
    assert not get_storage().keys(uploads.chunk_prefix(upload.id)) and Upload.get_by_id(upload.id).status == "abandoned"


def test_old_wecom_callbacks_lose_their_content_but_not_their_row(app, runner):
    from app.core.models import EventStatus, WeComEvent
    from app.privacy.retention import blank_old_callbacks
    xml = "<xml><Comments><CommentContent>李明的薪资偏高</CommentContent></Comments></xml>"
    old = utcnow() - dt.timedelta(days=31)
    rows = {status: WeComEvent.create(dedupe_key=f"evt:{status}", msg_type="event",
                                      event_type="sys_approval_change", raw_xml=xml,
                                      payload={"message": {"Comments": "李明的薪资偏高"}}, status=status,
                                      created_at=old)
            for status in (EventStatus.HANDLED, EventStatus.FAILED, EventStatus.RECEIVED)}
    fresh = WeComEvent.create(dedupe_key="evt:fresh", msg_type="event", event_type="sys_approval_change",
                              raw_xml=xml, payload={"message": {}}, status=EventStatus.HANDLED)

    result = runner.invoke(args=["retention", "purge"])
    assert result.exit_code == 0 and "blanked 2 WeCom callbacks past WECOM_EVENT_DAYS" in result.output
    for status, row in rows.items():
        row = WeComEvent.get_by_id(row.id)
        blanked = status != EventStatus.RECEIVED  # one its handler has not read yet keeps its content
        assert (row.raw_xml == "" and row.payload == {}) is blanked, status
        assert row.status == status and row.dedupe_key == f"evt:{status}"  # the audit row and its key stay
    assert WeComEvent.get_by_id(fresh.id).raw_xml == xml
    assert blank_old_callbacks() == 0  # nothing left to blank

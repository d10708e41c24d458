"""Deletion: the candidate asks, HR confirms (or keeps with a legal reason) before the deadline, the job removes
files and personal fields and leaves an anonymised stage trail; reruns are harmless; everything is audited."""
import datetime as dt

from rq import Queue

from app.conversation.models import Attachment, Message
from app.core.access_log import AccessLog
from app.core.models import Application, Candidate, Note, StageEvent
from app.core.storage import get_storage
from app.interview.models import Answer, ConsentRecord, Interview, Rating, Report
from app.privacy import deletion
from app.privacy.models import DeletionRequest
from tests.privacy.helpers import candidate_with_data
from tests.support.app import import_job
from tests.support.reports import sign_in_as


def test_candidate_request_then_hr_confirms_and_the_job_deletes(client, demo_job, redis_conn):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    other = candidate_with_data(demo_job, "王芳", "13900005678", "WANGFANG")
    res = client.post(f"/i/{mine.token}/my-data/delete")
    assert res.status_code == 302 and res.headers["Location"].endswith("/status#my-data")
    client.post(f"/i/{mine.token}/my-data/delete")  # a second tap adds nothing
    request = DeletionRequest.get()
    assert (request.status, request.requested_by, request.candidate_id) == ("pending", "candidate", mine.candidate_id)
    assert request.deadline - request.created_at == dt.timedelta(days=15)
    status_page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert 'data-status="pending"' in status_page and "HR 将在" in status_page

    sign_in_as(client, "zhangwei")  # a manager may not decide
    assert client.post(f"/admin/privacy/requests/{request.id}/confirm").status_code == 403
    sign_in_as(client, "hr_lina")
    page = client.get("/admin/privacy/").get_data(as_text=True)
    assert "李明" in page and f'data-request="{request.id}"' in page
    assert 'name="confirm" value="yes" required' in page      # irreversible: ticked first, not one stray click
    stray = client.post(f"/admin/privacy/requests/{request.id}/confirm", follow_redirects=True)
    assert "请先勾选「我确认删除」再删除,数据未删除" in stray.get_data(as_text=True)
    assert DeletionRequest.get_by_id(request.id).status == "pending"
    assert Queue("fast", connection=redis_conn).fetch_job(f"privacy-deletion-{request.id}") is None
    client.post(f"/admin/privacy/requests/{request.id}/confirm", data={"confirm": "yes"})
    assert DeletionRequest.get_by_id(request.id).status == "confirmed"
    assert Queue("fast", connection=redis_conn).fetch_job(f"privacy-deletion-{request.id}") is not None

    summary = deletion.execute_deletion(request.id)
    storage = get_storage()
    for name, key in mine.keys.items():
        assert not storage.exists(key), name
    for key in other.keys.values():
        assert storage.exists(key)
    assert summary["files"] == len(mine.keys) and summary["answers"] == 1 and summary["messages"] == 2
    candidate = Candidate.get_by_id(mine.candidate_id)
    assert (candidate.name, candidate.phone, candidate.email, candidate.resume_text) == ("已删除", "", "", "")
    interview_ids = [mine.interview.id]
    assert not Answer.select().where(Answer.interview.in_(interview_ids)).exists()
    assert not Rating.select().where(Rating.answer == mine.answer.id).exists()
    assert not Report.select().where(Report.interview.in_(interview_ids)).exists()
    assert not Message.select().where(Message.application == mine.application_id).exists()
    assert not Attachment.select().where(Attachment.application == mine.application_id).exists()
    assert not Note.select().where(Note.application == mine.application_id).exists()
    assert Interview.get_by_id(mine.interview.id).reference_image == ""
    # What stays: the consent evidence and the stage trail without reasons; the application is withdrawn.
    assert ConsentRecord.select().where(ConsentRecord.interview == mine.interview.id).count() == 2
    trail = list(StageEvent.select().where(StageEvent.application == mine.application_id).order_by(StageEvent.id))
    assert [e.to_stage for e in trail] == ["ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "withdrawn"]
    assert all(e.reason == "" for e in trail)
    assert Application.get_by_id(mine.application_id).stage == "withdrawn"
    # The other candidate is untouched.
    assert Candidate.get_by_id(other.candidate_id).name == "王芳"
    assert Answer.select().where(Answer.interview == other.interview.id).count() == 1
    assert Message.select().where(Message.application == other.application_id).count() == 2

    # A rerun (a retried or duplicated job) changes nothing and returns the stored summary.
    assert deletion.execute_deletion(request.id) == summary
    actions = [(r.actor, r.action) for r in AccessLog.select().where(AccessLog.candidate == mine.candidate_id)
               .order_by(AccessLog.id)]
    assert actions == [("candidate", "request_deletion"), ("hr_lina", "confirm_deletion"), ("system", "deleted")]

    # The status page still opens and says what happened; the export shows the anonymised remains.
    status_page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert 'data-testid="deleted-state"' in status_page and "LIMING" not in status_page
    remains = client.get(f"/i/{mine.token}/my-data.json").get_json()
    assert remains["candidate"]["name"] == "已删除" and "LIMING" not in str(remains)
    assert remains["applications"][0]["interviews"][0]["answers"] == []


def test_a_half_done_deletion_is_finished_by_a_rerun(client, demo_job):
    """A worker killed after deleting some files: the rerun skips what is gone and completes the rest."""
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    request = deletion.confirm(deletion.request_deletion(mine.candidate_id, "candidate").id, "hr_lina")
    get_storage().delete(mine.keys["media"])
    get_storage().delete(mine.keys["attachment"])
    summary = deletion.execute_deletion(request.id)
    assert summary["files"] == len(mine.keys) - 2
    assert not any(get_storage().exists(k) for k in mine.keys.values())
    assert DeletionRequest.get_by_id(request.id).status == "done"


def test_hr_keeps_the_data_with_a_legal_reason(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    client.post(f"/i/{mine.token}/my-data/delete")
    request = DeletionRequest.get()
    sign_in_as(client, "hr_lina")
    client.post(f"/admin/privacy/requests/{request.id}/keep", data={"reason": " "})
    assert DeletionRequest.get_by_id(request.id).status == "pending"  # a reason is required
    page = client.post(f"/admin/privacy/requests/{request.id}/keep", data={"reason": "仲裁"},
                       follow_redirects=True).get_data(as_text=True)
    assert DeletionRequest.get_by_id(request.id).status == "pending" and 'value="仲裁"' in page  # kept as typed
    reason = "劳动争议仲裁进行中,依法保留面试记录至结案"
    client.post(f"/admin/privacy/requests/{request.id}/keep", data={"reason": reason})
    kept = DeletionRequest.get_by_id(request.id)
    assert (kept.status, kept.decided_by, kept.reason) == ("kept", "hr_lina", reason)
    assert deletion.execute_deletion(request.id) is None  # a kept request deletes nothing
    assert all(get_storage().exists(k) for k in mine.keys.values())
    assert Candidate.get_by_id(mine.candidate_id).name == "李明"
    # Deciding twice is refused; the candidate sees the reason and may ask again.
    res = client.post(f"/admin/privacy/requests/{request.id}/confirm", data={"confirm": "yes"}, follow_redirects=True)
    assert "该申请已处理" in res.get_data(as_text=True)
    assert DeletionRequest.get_by_id(request.id).status == "kept"
    assert "依法保留" in client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    status_page = client.get(f"/i/{mine.token}/status").get_data(as_text=True)
    assert reason in status_page and f"/i/{mine.token}/my-data/delete" in status_page
    assert AccessLog.select().where(AccessLog.action == "keep_data").get().actor == "hr_lina"


def test_hr_deletes_from_the_candidate_page(client, demo_job):
    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    sign_in_as(client, "hr_lina")
    page = client.get(f"/admin/privacy/candidates/{mine.candidate_id}").get_data(as_text=True)
    assert "删除该候选人的数据" in page
    client.post(f"/admin/privacy/candidates/{mine.candidate_id}/delete")  # without the tick: nothing
    assert not DeletionRequest.select().exists()
    client.post(f"/admin/privacy/candidates/{mine.candidate_id}/delete", data={"confirm": "yes"})
    request = DeletionRequest.get()
    assert (request.status, request.requested_by, request.decided_by) == ("confirmed", "hr_lina", "hr_lina")
    deletion.execute_deletion(request.id)
    assert Candidate.get_by_id(mine.candidate_id).phone == ""


def test_deletion_on_both_databases(any_db_app):
    job = import_job("backend-engineer.yaml")
    mine = candidate_with_data(job, "李明", "13800001234", "LIMING")
    request = deletion.confirm(deletion.request_deletion(mine.candidate_id, "candidate").id, "hr_lina")
    summary = deletion.execute_deletion(request.id)
    assert summary["files"] == len(mine.keys) and summary["reports"] == 1
    assert Candidate.get_by_id(mine.candidate_id).name == "已删除"
    assert deletion.execute_deletion(request.id) == summary


def test_a_confirmed_deletion_whose_job_was_lost_is_run_by_the_sweep(client, demo_job, redis_conn):
    """Redis lost the job HR's confirmation enqueued (or its worker died): privacy's sweep enqueues it again once it
    is overdue, and a real worker deletes the data."""
    from app.core.base import utcnow
    from app.privacy.domain import DOMAIN
    from tests.support.wecom import run_fast_worker

    mine = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    request = deletion.request_deletion(mine.candidate_id, "candidate", mine.application_id)
    deletion.confirm(request.id, "hr_lina")
    queue = Queue("fast", connection=redis_conn)
    queue.empty()                                                   # the job is lost
    assert deletion.resume_stranded() == 0                          # just confirmed: not stranded yet
    later = utcnow() + deletion.STRANDED_AFTER + dt.timedelta(minutes=1)
    assert deletion.resume_stranded(now=later) == 1
    assert deletion.resume_stranded(now=later) == 1 and len(queue) == 1   # queued once, however often it sweeps
    run_fast_worker(redis_conn)
    assert DeletionRequest.get_by_id(request.id).status == "done"
    assert Candidate.get_by_id(mine.candidate_id).name == "已删除"
    assert deletion.resume_stranded(now=later) == 0
    assert deletion.resume_stranded in DOMAIN.sweeps

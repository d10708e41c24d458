"""Deletion requests (PIPL art. 47): the candidate (or HR) asks, HR confirms or keeps the data with a legal reason
before the deadline, and the EXECUTE_DELETION job removes the data.

What goes: recordings and their playback copies and posters, the face photo, transcripts, speech and face
analysis, scores, ratings, reports and their evidence, messages and attachments, notes, cards, upload chunks and
QR codes, the data packages (the export with its files) holding these applications, the candidate's name, phone,
email and resume text; and what the domain packages store (personal_data.DOMAINS:
resumes and their files, screenings, knockout answers, scorecards, bookings, offers, background-check and
onboarding items, sent notices, self-identification, performance; free text blanked on the intake, the round,
the check order and the process events), after which the application's analytics facts are rewritten. What
stays: the stage trail (from, to, when, who decided; reasons and HR's messages to the candidate cleared) and the
process trail (kinds, who, when; details cleared) for hiring statistics, the intake's channel, the consent
records (the evidence of what was agreed, they hold no personal fields), the access log and the request itself.

Scope (app/privacy/scope.py): a request filed from a candidate's link covers that link's application only, and the
record's own fields (name, phone, email, resume text) go with its last live application; HR's request covers the
whole record. `execute_deletion` is idempotent:
files already gone are skipped and every update can run twice, so a worker killed halfway is simply run again.
"""
import datetime as dt
import logging
import shutil

from app.core import access_log, jobs, personal_data, pipeline, sweeps
from app.core.access_log import Action
from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, found
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.models import Application, Candidate, Note, StageEvent
from app.core.queues import FAST
from app.core.storage import get_storage
from app.core.tx import transaction
from app.notifications import outreach
from app.privacy import archive, phone_gate, scope
from app.privacy.models import DeletionRequest, RequestStatus

log = logging.getLogger(__name__)

DELETED_NAME = "已删除"
MAX_REASON = 1000


def move_requests(source_id, target_id, application_id, emptied):
    """An application moved to another candidate record: its deletion requests (all of the source's when it is
    emptied) go with it (the core's `candidate_joined`)."""
    requests = DeletionRequest.candidate == source_id
    if not emptied:
        requests &= DeletionRequest.application == application_id
    DeletionRequest.update(candidate=target_id).where(requests).execute()


def deadline_days():
    return settings.get("PRIVACY_DEADLINE_DAYS", 15)


def latest_request(candidate_id):
    """The record's newest request of any scope (HR's candidate page)."""
    return (DeletionRequest.select().where(DeletionRequest.candidate == candidate_id)
            .order_by(DeletionRequest.created_at.desc(), DeletionRequest.id.desc()).first())


def record_request(candidate_id):
    """The newest request for the whole record (HR's)."""
    return (DeletionRequest.select().where((DeletionRequest.candidate == candidate_id)
                                           & DeletionRequest.application.is_null())
            .order_by(DeletionRequest.created_at.desc(), DeletionRequest.id.desc()).first())


def request_for(application):
    """The newest request that covers `application`: one filed from its own link, or HR's for the whole record."""
    covers = (DeletionRequest.application == application.id) | DeletionRequest.application.is_null()
    return (DeletionRequest.select().where((DeletionRequest.candidate == application.candidate_id) & covers)
            .order_by(DeletionRequest.created_at.desc(), DeletionRequest.id.desc()).first())


def candidate_state(application):
    """What the status page's "my data" section shows: the latest request covering this application and HR's
    deadline in days."""
    return {"deletion": request_for(application), "deadline_days": deadline_days(),
            "phone_gate": phone_gate.required(application)}


def deleted_request(application):
    """The finished deletion that covered `application`, or None. Every page of its link then shows only that
    (privacy/deleted.html), whatever stage or interview state the rows left behind still say."""
    request = request_for(application)
    return request if request is not None and request.status == RequestStatus.DONE else None


def erasing(application):
    """Whether a confirmed or finished deletion covers `application` (privacy's `Domain.erased`)."""
    request = request_for(application)
    return request is not None and request.status in (RequestStatus.CONFIRMED, RequestStatus.DONE)


def request_deletion(candidate_id, requested_by, application_id=None):
    """Open a deletion request (HR decides within PRIVACY_DEADLINE_DAYS): of one application when
    `application_id` is given (the candidate's link: app/privacy/scope.py), else of the whole record (HR). An
    open or finished request covering the same data is returned as it is, so a second tap adds nothing."""
    with transaction():
        if application_id is None:
            current = record_request(candidate_id)
        else:
            current = request_for(Application.get_by_id(application_id))
        if current is not None and current.status in (*RequestStatus.OPEN, RequestStatus.DONE):
            return current
        now = utcnow()
        request = DeletionRequest.create(candidate=candidate_id, application=application_id,
                                         requested_by=requested_by, created_at=now,
                                         deadline=now + dt.timedelta(days=deadline_days()))
        access_log.record(requested_by, Action.REQUEST_DELETION, candidate_id, application_id, f"request:{request.id}")
    return request


def _pending(request_id):
    request = found(DeletionRequest.get_or_none(DeletionRequest.id == request_id),
                    "删除申请不存在 Deletion request not found", code="request_not_found")
    return request


def _decide(request, fields):
    """pending -> fields["status"], as a conditional UPDATE (two HR members cannot both decide)."""
    changed = (DeletionRequest.update(decided_at=utcnow(), **fields)
               .where((DeletionRequest.id == request.id) & (DeletionRequest.status == RequestStatus.PENDING))
               .execute())
    if not changed:
        raise Conflict("该申请已处理 This request was already decided", code="request_decided")


def confirm(request_id, userid):
    """HR confirms: the deletion job runs once this commits."""
    request = _pending(request_id)
    with transaction():
        _decide(request, {"status": RequestStatus.CONFIRMED, "decided_by": userid})
        access_log.record(userid, Action.CONFIRM_DELETION, request.candidate_id, request.application_id,
                     f"request:{request.id}")
        jobs.enqueue_after_commit(EXECUTE_DELETION, request.id, recovery="privacy's sweep re-enqueues it")
    return DeletionRequest.get_by_id(request.id)


def keep(request_id, userid, reason):
    """HR keeps the data for a legal reason (e.g. a labour dispute in progress); the candidate sees the reason."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise BadRequest("请写明保留数据的法律依据(至少 4 个字) Give the legal reason to keep the data",
                         code="reason_required")
    if len(reason) > MAX_REASON:
        raise BadRequest(f"理由最多 {MAX_REASON} 字 The reason is too long", code="reason_too_long")
    request = _pending(request_id)
    with transaction():
        _decide(request, {"status": RequestStatus.KEPT, "decided_by": userid, "reason": reason})
        access_log.record(userid, Action.KEEP_DATA, request.candidate_id, request.application_id,
                          f"request:{request.id}")
    if request.application_id:  # the answer is on their page; an SMS / WeChat notice says it is there
        outreach.tell(request.application_id, "data_request_answered", {"request": "删除"},
                      idempotency_key=f"data-request:{request.id}")
    return DeletionRequest.get_by_id(request.id)


def delete_by_hr(candidate_id, userid):
    """HR deletes a candidate's data from the admin page: a request, confirmed at once."""
    request = request_deletion(candidate_id, userid)
    if request.status == RequestStatus.PENDING:
        request = confirm(request.id, userid)
    return request


def pending_requests():
    """Open requests, each with `others`: how many live applications of the same record it does not cover (a
    request from a candidate's link covers only that application; HR's page says so)."""
    rows = list(DeletionRequest.select(DeletionRequest, Candidate).join(Candidate)
                .where(DeletionRequest.status.in_(RequestStatus.OPEN))
                .order_by(DeletionRequest.deadline))
    for row in rows:
        covered = set(scope.of_request(row).application_ids)
        row.others = len(set(scope.live_application_ids(row.candidate_id)) - covered)
    return rows


def recent_decided(limit=50):
    return list(DeletionRequest.select(DeletionRequest, Candidate).join(Candidate)
                .where(DeletionRequest.status.not_in(RequestStatus.OPEN))
                .order_by(DeletionRequest.decided_at.desc()).limit(limit))


# --- the deletion itself (the EXECUTE_DELETION job) ---

def _remove_files(keys, paths):
    """Delete stored objects (`keys`) and local files or folders (`paths`: QR codes); return how many existed."""
    storage = get_storage()
    removed = 0
    for key in keys:
        if key and storage.exists(key):
            storage.delete(key)
            removed += 1
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _erase_domains(application_ids):
    """Run every domain's `erase` (its declared personal_data, inside the deletion's transaction, bottom to top);
    return (their counts merged, the storage keys and the local paths they hand back)."""
    counts, keys, paths = {}, [], []
    for module in personal_data.modules():
        erased = module.erase(application_ids)
        counts.update(erased["counts"])
        keys += erased["keys"]
        paths += erased.get("paths", [])
    return counts, keys, paths


def _withdraw_active(application_ids, actor):
    """An application still in progress cannot go on without the candidate's data: it is withdrawn."""
    for application in Application.select().where(Application.id.in_(application_ids)):
        if pipeline.can_move(application.stage, "withdrawn"):
            # No follow-ups: each domain's erase does what they would (the round cancelled, the cards greyed as
            # 候选人数据已删除), and no notice tells a person who asked for deletion that they withdrew.
            pipeline.advance_stage(application.id, "withdrawn", actor=actor, source="privacy", follow_up=False)


def execute_deletion(request_id):
    """Delete the data of a confirmed request; return its summary (the stored one when it already ran)."""
    request = DeletionRequest.get_or_none(DeletionRequest.id == request_id)
    if request is None or request.status not in (RequestStatus.CONFIRMED, RequestStatus.DONE):
        return None
    if request.status == RequestStatus.DONE:
        return request.summary
    candidate_id = request.candidate_id
    app_ids = list(scope.of_request(request).application_ids)
    # The record's own fields go with its last live application (a link's request covers only its application).
    keeps_record = bool(set(scope.live_application_ids(candidate_id)) - set(app_ids))
    _withdraw_active(app_ids, request.decided_by or "privacy")
    with transaction():
        # Each domain's data first, while the candidate's phone is still there (analytics matches import rows by
        # it); the analytics facts are rewritten last from what is left. Files go before the commit: a rollback
        # leaves rows whose files are gone, which the rerun skips.
        erased, keys, paths = _erase_domains(app_ids)
        summary = {"files": _remove_files(keys, paths), "archives": archive.remove(candidate_id, app_ids),
                   "notes": Note.delete().where(Note.application.in_(app_ids)).execute(), **erased}
        StageEvent.update(reason="", candidate_message="").where(StageEvent.application.in_(app_ids)).execute()
        Application.update(problem="").where(Application.id.in_(app_ids)).execute()
        if not keeps_record:
            Candidate.update(name=DELETED_NAME, phone="", email="", resume_text="").where(
                Candidate.id == candidate_id).execute()
        DeletionRequest.update(status=RequestStatus.DONE, completed_at=utcnow(), summary=summary).where(
            DeletionRequest.id == request.id).execute()
        access_log.record("system", Action.DELETED, candidate_id, request.application_id, f"request:{request.id}")
    log.info("privacy: deleted the data of candidate %s (request %s): %s", candidate_id, request.id, summary)
    return summary


EXECUTE_DELETION = JobSpec(execute_deletion, FAST, "privacy-deletion-{0}")
STRANDED_AFTER = dt.timedelta(minutes=10)


def resume_stranded(now=None):
    """Re-enqueue the deletion of every request HR confirmed more than STRANDED_AFTER ago that is not done (its job
    was lost: Redis down at the confirm, a worker killed mid-job, a failure); privacy's sweep. The key changes
    every ten minutes, so a failing deletion is tried again that often, not at every sweep."""
    now = now or utcnow()
    stranded = [r.id for r in DeletionRequest.select(DeletionRequest.id).where(
        (DeletionRequest.status == RequestStatus.CONFIRMED) & (DeletionRequest.decided_at < now - STRANDED_AFTER))]
    for request_id in stranded:
        jobs.enqueue(EXECUTE_DELETION, request_id, key=sweeps.key(600, now.timestamp()))
    return len(stranded)

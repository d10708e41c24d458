"""Joining an application to an existing candidate record: only with proof that one person holds both.

A posting files every application under a new candidate record (intake.apply): a phone number proves nothing.
`join_candidate` is the one way an application comes to share a record with another candidate's applications.
It takes a `Proof` that the same person holds both:

- `Proof.hr_merge(userid)`: an HR member compared the two records side by side (name, phone, applications,
  dates) on /admin/applications/<id>/same-phone and confirmed;
- `Proof.phone_code(phone)`: the applicant typed the code sent by SMS to that phone (issue 21). The code service,
  once it has checked a code, calls `join_candidate(application_id, candidate_id, Proof.phone_code(phone))` with
  the phone the code was sent to; nothing here changes for it.

What moves: the application's candidate (its interviews, messages, resumes, process and analytics rows hang off
the application and follow it), and its access-log rows and deletion requests. A record left without
applications is deleted, its remaining log rows moved first (it held only that application's copy of the name
and phone). Each join writes a `join_candidate` row to the access log of the record joined (who, which proof).
A candidate's token still opens only its own application afterwards (app/privacy/scope.py).
"""
from dataclasses import dataclass

from app.core import access_log, domains, staff
from app.core.access_log import AccessLog, Action
from app.core.errors import BadRequest, Conflict, Forbidden, NotFound
from app.core.models import Application, Candidate
from app.core.tx import transaction
from app.screening.models import Intake

HR_MERGE = "hr_merge"
PHONE_CODE = "phone_code"


@dataclass(frozen=True)
class Proof:
    """Why we may believe the holder of an application is the person of an existing record."""
    kind: str
    actor: str        # the HR member's userid, or "candidate" for a code typed by the applicant
    phone: str = ""   # phone_code: the phone the checked code was sent to

    @classmethod
    def hr_merge(cls, userid):
        return cls(HR_MERGE, userid)

    @classmethod
    def phone_code(cls, phone):
        return cls(PHONE_CODE, "candidate", phone)


def _check(proof, application, source, target):
    if proof.kind == HR_MERGE:
        staff.require_hr(proof.actor, "合并候选人记录")
    elif proof.kind == PHONE_CODE:
        if not proof.phone or proof.phone != target.phone:
            raise Forbidden("验证码未证明该手机号 The code did not prove this phone", code="phone_not_proven")
    else:
        raise BadRequest("未知的证明方式 Unknown proof", code="proof_unknown")
    if source.id == target.id:
        raise Conflict("已是同一候选人记录 Already the same record", code="same_record")
    if not target.phone or source.phone != target.phone:
        raise Conflict("两条记录的手机号不同,不能合并 The phones differ", code="phone_differs")
    if Application.select().where((Application.candidate == target.id)
                                  & (Application.job == application.job_id)).exists():
        raise Conflict("该候选人已有同一岗位的申请,不能合并;请先处理重复的申请(例如淘汰或撤回其中一份)"
                       " The record already has an application to this job", code="same_job")


def join_candidate(application_id, candidate_id, proof):
    """Move application `application_id` to candidate record `candidate_id`, given a `Proof`; return it."""
    application = Application.get_or_none(Application.id == application_id)
    target = Candidate.get_or_none(Candidate.id == candidate_id)
    if application is None or target is None:
        raise NotFound("申请或候选人记录不存在 Not found", code="not_found")
    source = application.candidate
    _check(proof, application, source, target)
    with transaction():
        moved = (Application.update(candidate=target.id)
                 .where((Application.id == application.id) & (Application.candidate == source.id)).execute())
        if not moved:
            raise Conflict("该申请刚刚被移动过,请刷新 The application just moved", code="application_moved")
        emptied = not Application.select().where(Application.candidate == source.id).exists()
        log_rows = AccessLog.candidate == source.id
        if not emptied:
            log_rows &= AccessLog.application_id == application.id
        AccessLog.update(candidate=target.id).where(log_rows).execute()
        domains.candidate_joined(source.id, target.id, application.id, emptied)
        if emptied:
            Candidate.delete().where(Candidate.id == source.id).execute()
        access_log.record(proof.actor, Action.JOIN_CANDIDATE, target.id, application.id,
                     f"{proof.kind}:candidate:{source.id}")
    return Application.get_by_id(application.id)


def record_summary(candidate):
    """(candidate, [(application, channel)]) for the side-by-side page; channel "hr_invite" without an intake."""
    applications = list(Application.select().where(Application.candidate == candidate.id).order_by(Application.id))
    channels = {i.application_id: i.channel for i in Intake.select(Intake.application, Intake.channel)
                .where(Intake.application.in_([a.id for a in applications]))} if applications else {}
    return candidate, [(a, channels.get(a.id, "hr_invite")) for a in applications]


def same_phone_records(application):
    """The other candidate records with this application's phone, as `record_summary`s (for HR only)."""
    phone = application.candidate.phone
    if not phone:
        return []
    return [record_summary(record) for record in
            Candidate.select().where((Candidate.phone == phone) & (Candidate.id != application.candidate_id))
            .order_by(Candidate.id)]


def same_phone_counts(applications):
    """{application id: how many other records share its candidate's phone}, in one query (the workbench)."""
    phones = {a.candidate.phone for a in applications if a.candidate.phone}
    if not phones:
        return {}
    rows = list(Candidate.select(Candidate.id, Candidate.phone).where(Candidate.phone.in_(list(phones))))
    return {a.id: sum(1 for r in rows if r.phone == a.candidate.phone and r.id != a.candidate_id)
            for a in applications}

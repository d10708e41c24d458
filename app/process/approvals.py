"""The offer's WeCom approval (oa/applyevent): HR opens it when an offer breaks the job's policy, and each
sys_approval_change callback moves the application (passed: offer_sent; refused or revoked: back to on_hold)."""
from app.core import pipeline, staff
from app.core.base import utcnow
from app.core.errors import NotFound
from app.core.extensions import settings
from app.core.models import Application, EventStatus
from app.core.tx import transaction
from app.process.models import Approval
from app.wecom.approvals import apply_event, text_control

APPROVAL_PASSED = {2}
APPROVAL_FAILED = {3, 4, 6, 7}


def start_offer_approval(application_id, actor, salary_text):
    """Open the offer approval in WeCom (approvers: the job's managers, cc HR); return the Approval."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        raise NotFound("找不到该应聘记录 Application not found", code="application_not_found")
    staff.require_hr(actor, "发起录用审批")
    if not pipeline.can_move(application.stage, "offer_approval"):
        raise pipeline.IllegalTransition("当前阶段不能发起录用审批 Cannot start an offer approval now")
    approvers = list(application.job.manager_userids or []) or [actor]
    sp_no = apply_event(
        creator_userid=actor, template_id=settings["WECOM_OFFER_TEMPLATE_ID"],
        approvers=approvers, cc=[u for u in settings.get("HR_USERIDS", []) if u != actor],
        contents=[text_control("Text-candidate", f"{application.candidate.name} · {application.job.title}"),
                  text_control("Text-offer", salary_text or "")],
        summary=[f"录用:{application.candidate.name}", application.job.title])
    with transaction():
        approval = Approval.create(sp_no=sp_no, application=application, creator=actor)
        pipeline.advance_stage(application_id, "offer_approval", actor=actor, source="web",
                               reason=f"发起录用审批 {sp_no}")
    return approval


def handle_approval_change(event):
    """A sys_approval_change: store the state; a finished offer approval moves the application."""
    info = event.payload["approval"]
    approval = Approval.get_or_none(Approval.sp_no == info["sp_no"])
    if approval is None:
        return EventStatus.IGNORED, f"approval {info['sp_no']} is not ours"
    status = info["sp_status"]
    final = APPROVAL_PASSED | APPROVAL_FAILED
    if approval.sp_status in final and status not in final:
        return EventStatus.IGNORED, "a late intermediate update"  # deliveries can arrive out of order
    Approval.update(sp_status=status, detail=info, updated_at=utcnow()).where(Approval.id == approval.id).execute()
    actors = [d["userid"] for r in info["records"] for d in r["details"] if d["sp_status"] == status]
    actor = actors[0] if actors else "wecom"
    target = "offer_sent" if status in APPROVAL_PASSED else "on_hold" if status in APPROVAL_FAILED else None
    if target is None:
        return EventStatus.HANDLED, f"approval status {status}"
    try:
        moved = pipeline.advance_stage(approval.application_id, target, actor=actor, source="approval",
                                       reason=f"录用审批 {approval.sp_no} 状态 {status}")
    except pipeline.IllegalTransition as exc:
        return EventStatus.REFUSED, exc.message
    return EventStatus.HANDLED, f"approval {status}: " + ("no change" if moved is None else f"stage event {moved.id}")

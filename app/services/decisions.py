"""Managers' decisions (card tap or web button) and offer approvals, moved through the pipeline."""
import logging

from app.errors import BadRequest, Forbidden, NotFound
from app.extensions import redis_client, settings
from app.models import Application, Approval, CardMessage, CardStatus, EventStatus, StageEvent, utcnow
from app.services import decision_options, jobs, links, pipeline, staff
from app.services.result_cards import parse_button_key, result_task_id
from app.services.tx import transaction

log = logging.getLogger(__name__)
# sys_approval_change SpStatus: 2 passed; 3 rejected, 4 revoked, 6 revoked after passing, 7 deleted.
APPROVAL_PASSED = {2}
APPROVAL_FAILED = {3, 4, 6, 7}
APPROVAL_REVOKED_AFTER_PASSING = 6
# WeCom posts an approval's first callback as oa/applyevent answers, before the transaction that stores our
# Approval row commits: an unknown approval of our template is retried (the job raises) for this long.
UNKNOWN_APPROVAL_WAIT_S = 600


class ApprovalNotStoredYet(RuntimeError):
    """An approval of our template we do not know yet: raised so the job (and then the sweep) retries it."""


def decide(application_id, decision, actor, source, *, response_code=None, task_id=None, reason=""):
    """Apply a manager's decision; return the StageEvent, or None when it was already applied.

    The stage's follow-ups (app/services/follow_ups.py) grey out the card's buttons naming who decided and tell
    HR, after commit.
    """
    option, application, member = decision_context(application_id, decision, actor)
    repeated = application.stage == decision
    if not (repeated or decision_options.can_decide(application.stage)):
        raise pipeline.IllegalTransition(
            f"当前阶段「{pipeline.STAGE_LABELS[application.stage]}」不能再对AI面试结果做决定 "
            f"The AI interview result can no longer be decided at {application.stage}",
            from_stage=application.stage, to_stage=decision)
    name = member.display_name if member.name else staff.display_name(actor)
    with transaction():
        # The card first: the stage's follow-ups run after commit and grey out the cards marked here.
        card = _card_for(application_id, task_id, actor, response_code)
        if card is not None and (not repeated or not card.decision):
            fields = {"decision": decision, "decided_by": actor, "decided_by_name": name, "updated_at": utcnow()}
            if card.status != CardStatus.UPDATED:
                fields["status"] = CardStatus.DECIDED
            if response_code:  # a click's code replaces the send's: each works once
                fields.update(response_code=response_code, response_code_used=False)
            CardMessage.update(**fields).where(CardMessage.id == card.id).execute()
            if repeated:  # no stage change, so no follow-up: grey out this card here
                jobs.enqueue_after_commit(jobs.UPDATE_DECISION_CARD, card.id, decision)
        reason = (reason or "").strip()[:500]
        event = pipeline.advance_stage(application_id, decision, actor=actor, source=source,
                                       reason=f"{option.done_label}：{reason}" if reason else option.done_label)
    return event


def decision_context(application_id, decision, actor):
    """(Decision, Application, staff member) for a decision by `actor`; BadRequest, NotFound or Forbidden."""
    option = decision_options.get(decision)
    if option is None:
        raise BadRequest(f"未知决定 Unknown decision {decision!r}", code="bad_decision")
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        raise NotFound("找不到该应聘记录 Application not found", code="application_not_found")
    member = staff.load_staff(actor)
    if not staff.can_view_application(member, application):
        raise Forbidden("你不是该岗位的用人经理 You are not a manager of this job", code="not_job_manager")
    return option, application, member


def _card_for(application_id, task_id, actor, response_code):
    """The card the decision was made on (or the application's result card for a web decision)."""
    if task_id:
        card = CardMessage.get_or_none(CardMessage.task_id == task_id)
        if card is not None:
            return card if card.application_id == application_id else None
        if response_code:
            # A card this app did not record (sent by the sandbox CLI or another tool): track it from the tap.
            return CardMessage.create(task_id=task_id[:128], application=application_id, kind="external",
                                      userids=[actor], status=CardStatus.SENT)
    return CardMessage.get_or_none(CardMessage.task_id == result_task_id(application_id))


def handle_card_event(event):
    """A template_card_event (a WeComEvent row): decide, or explain why not. Returns a short result."""
    message = event.payload["message"]
    application_id, decision = parse_button_key(message.get("EventKey"))
    try:
        result = decide(application_id, decision, event.from_user, "card",
                        response_code=message.get("ResponseCode"), task_id=message.get("TaskId"))
    except (Forbidden, NotFound, pipeline.IllegalTransition) as exc:
        return EventStatus.REFUSED, f"{exc.code}: {exc.message}"
    return EventStatus.HANDLED, "no change (already decided)" if result is None else f"stage event {result.id}"


def notify_hr(stage_event_id):
    """Tell HR about a manager's decision (once per stage event); a changed decision also reaches the managers."""
    from app.wecom.messages import plain, send_markdown

    marker = f"wecom:hr-notified:{stage_event_id}"
    conn = redis_client.get()
    if conn.exists(marker):
        return False
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    hr = list(settings.get("HR_USERIDS") or [])
    if event is None or not hr:
        return False
    app = event.application
    url = links.application_url(app.id)
    who = staff.display_name(event.actor)
    changed = event.from_stage in decision_options.CHANGEABLE_STAGES
    if changed:  # the card's button still shows the first decision (its code is used): say it in a message
        labels = pipeline.STAGE_LABELS
        action = f"将决定从「{labels[event.from_stage]}」改为「{labels[event.to_stage]}」\n> {plain(event.reason)}"
        hr = sorted((set(hr) | set(app.job.manager_userids or [])) - {event.actor}) or hr
    else:
        action = f"选择了「{pipeline.STAGE_LABELS[event.to_stage]}」"
    text = (f"**{plain(app.candidate.name)}** · {app.job.title}\n> {who} {action}"
            f"({pipeline.SOURCE_LABELS.get(event.source, event.source)})\n[查看应聘记录]({url})")
    send_markdown(hr, text)
    conn.set(marker, 1, ex=30 * 24 * 3600)
    return True


def start_offer_approval(application_id, actor, salary_text):
    """Open the offer approval in WeCom (approvers: the job's managers, cc HR); return the Approval."""
    from app.wecom.approvals import apply_event, text_control

    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        raise NotFound("找不到该应聘记录 Application not found", code="application_not_found")
    member = staff.load_staff(actor)
    if not (member and member.is_hr):
        raise Forbidden("只有HR可以发起录用审批 Only HR can start an offer approval", code="hr_only")
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
    """A sys_approval_change: store the state; a finished offer approval moves the application; one revoked after
    it passed (the offer went out) is told to HR and the managers, who decide what happens next."""
    info = event.payload["approval"]
    approval = Approval.get_or_none(Approval.sp_no == info["sp_no"])
    if approval is None:
        waited = (utcnow() - event.created_at).total_seconds()
        if info["template_id"] == settings["WECOM_OFFER_TEMPLATE_ID"] and waited < UNKNOWN_APPROVAL_WAIT_S:
            raise ApprovalNotStoredYet(f"approval {info['sp_no']} is not stored (yet): retried")
        return EventStatus.IGNORED, f"approval {info['sp_no']} is not ours"
    status = info["sp_status"]
    final = APPROVAL_PASSED | APPROVAL_FAILED
    if approval.sp_status in final and status not in final:
        return EventStatus.IGNORED, "a late intermediate update"  # deliveries can arrive out of order
    Approval.update(sp_status=status, detail=info, updated_at=utcnow()).where(Approval.id == approval.id).execute()
    if status == APPROVAL_REVOKED_AFTER_PASSING and approval.application.stage != "offer_approval":
        jobs.enqueue(jobs.OFFER_APPROVAL_REVOKED, approval.id)
        return EventStatus.HANDLED, "approval revoked after it passed: HR and the managers are told"
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

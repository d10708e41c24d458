"""HR withdraws an offer not answered yet (a wrong salary, start date or place; the position closed) while the
candidate stays in the process: the offer reads 已撤回 (withdrawn; cancelled while it awaited approval, which the
candidate never saw), the application goes back to background_check so HR can make a new offer (which replaces the
row: offers.create_offer), the audit keeps the old terms, the candidate is told once (with HR's reason only when HR
ticks 告知候选人原因) and a pending WeCom approval is left to lapse: its approvers are told, its later callbacks
change nothing (offers.handle_approval_change)."""
from app.core import links, pipeline, staff
from app.core.errors import BadRequest, Conflict, found
from app.core.models import Application, StageEvent
from app.core.tx import transaction
from app.process import audit, notices
from app.process.models import Offer, OfferStatus, ProcessEvent

BACK_TO = "background_check"
MAX_REASON = 500
# What the candidate reads (offer page, status page, their thread) when HR kept the reason to themselves.
NEUTRAL_TEXT = "公司已撤回这份录用通知,你的应聘仍在进行中。HR 会在「我的应聘进度」页面与你联系后续安排。"
REFUSED_TEXT = "这份录用通知已被公司撤回,不能再接受或拒绝。如有疑问请联系 HR The offer was withdrawn by the company"


def withdraw_offer(application_id, actor, reason, tell_candidate=False):
    """HR withdraws the application's offer (awaiting approval or sent, not answered). Returns the Offer."""
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    staff.require_hr(actor, "撤回Offer")
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        raise BadRequest("请填写撤回原因 A reason is required", code="reason_required")
    offer = found(Offer.get_or_none(Offer.application == application_id), "该候选人没有Offer There is no offer",
                  code="no_offer")
    if not withdrawable(application, offer):
        raise Conflict(f"Offer {OfferStatus.LABELS[offer.status]},不能撤回 Only an unanswered offer can be withdrawn",
                       code="offer_not_withdrawable")
    seen = offer.status == OfferStatus.SENT
    status = OfferStatus.WITHDRAWN if seen else OfferStatus.CANCELLED
    told = reason if tell_candidate and seen else ""
    with transaction():
        # Conditional: the candidate accepting at the same moment and HR withdrawing cannot both win.
        changed = (Offer.update(status=status)
                   .where((Offer.id == offer.id) & Offer.status.in_(OfferStatus.WITHDRAWABLE)).execute())
        if not changed:
            raise Conflict("候选人刚刚答复了这份Offer,不能撤回 The candidate has just answered the offer",
                           code="offer_answered")
        audit.record(application_id, "offer_withdrawn", actor,
                     f"原因:{reason}({'已告知候选人' if told else '未告知候选人原因'})· 原条款:{terms(offer)}"
                     + (f" · 审批 {offer.sp_no} 不再处理" if offer.sp_no and not seen else ""))
        # No follow-ups: the check is done, and the stage notice would say 进入背景调查 (the candidate is told below).
        pipeline.advance_stage(application_id, BACK_TO, actor=actor, source="web", reason=f"HR 撤回 Offer:{reason}",
                               candidate_message=told, follow_up=False)
    count = withdrawals(application_id)
    if seen:
        notices.tell_candidate(f"offer-withdrawn:{offer.id}:{count}", application_id, "offer_withdrawn",
                               candidate_text(told), "decision")
    elif offer.sp_no:
        _tell_approvers(application, offer, reason, count)
    return Offer.get_by_id(offer.id)


def terms(offer):
    return (f"{offer.position}{' ' + offer.level if offer.level else ''} · 月薪 {offer.salary} · "
            f"{offer.start_date:%Y-%m-%d} 入职 · {offer.place} · 试用期 {offer.probation_months} 个月 · "
            f"答复截止 {offer.expires_on:%Y-%m-%d}")


def candidate_text(told):
    return f"公司已撤回这份录用通知。HR 的说明:{told}" if told else NEUTRAL_TEXT


def told_reason(offer):
    """What HR let the candidate read about the withdrawal of `offer` ("" when HR kept the reason)."""
    event = (StageEvent.select().where((StageEvent.application == offer.application_id)
                                       & (StageEvent.from_stage == "offer_sent") & (StageEvent.to_stage == BACK_TO))
             .order_by(StageEvent.created_at.desc(), StageEvent.id.desc()).first())
    return event.candidate_message if event else ""


def withdrawals(application_id):
    """How many offers of the application HR withdrew (a new offer's notice keys count them: ids may be reused)."""
    return (ProcessEvent.select().where((ProcessEvent.application == application_id)
                                        & (ProcessEvent.kind == "offer_withdrawn")).count())


def withdrawable(application, offer):
    """Whether HR may withdraw `offer` now: not answered, expired or refused, and the application at its offer."""
    return (offer is not None and offer.status in OfferStatus.WITHDRAWABLE
            and application.stage in ("offer_approval", "offer_sent"))


def _tell_approvers(application, offer, reason, count):
    """The approvers of a pending approval learn it needs no decision (WeCom has no API to cancel it for them)."""
    recipients = list(application.job.manager_userids or []) + staff.hr_userids()
    text = (f"**Offer 已撤回** · {application.candidate.name} · {application.job.title}\n> 录用审批 {offer.sp_no} "
            f"无需再处理(HR 撤回了 Offer:{reason})。\n[查看应聘记录]({links.application_url(application.id)})")
    notices.to_members(f"offer-cancelled:{offer.sp_no}:{count}", application.id, "offer_withdrawn", recipients, text)

"""What the staff application page's process panel shows (app/web/manager.py renders it beside the screening
panel and the report): what is next and who is waiting on it, the round, booking, check, offer and onboarding,
the forms' choices and the drafts of refused forms. The forms post to app/process/staff_views.py."""
import datetime as dt

from app.core import forms
from app.core import staff as staff_access
from app.interview import next_step as interview_next
from app.notifications import history as notice_history
from app.process import (
    audit,
    checklists,
    checks,
    notices,
    offer_letter,
    offer_withdrawal,
    offers,
    onboarding,
    reminders,
    round_decisions,
    scheduling,
    scorecards,
)
from app.process import availability as interviewer_times
from app.process.models import FOCUS_MAX, MAX_LETTER_NOTE, CheckStatus, Format, ItemStatus, OfferStatus
from app.wecom import users


# -- what is next, and who is waiting -------------------------------------------------------------------
def next_step(application, round_, booking, offer):
    """(what is next, who is waiting on it) for the staff pages."""
    stage = application.stage
    if stage == "applied":
        return "查看简历与筛选理由,决定是否邀请 AI 面试", "HR"
    if stage == "screened":
        return "发出 AI 面试邀请", "HR"
    if stage in interview_next.STAGES:
        return interview_next.next_step(application)
    if stage == "second_round":
        if round_ is None:
            return "安排复试:选面试官、形式并提供时间", "HR / 用人经理"
        if booking is None:
            if round_.candidate_answer == "other_time":
                return f"候选人希望换时间:{round_.candidate_note}", "HR / 用人经理"
            if round_.candidate_answer == "declined":
                return "候选人婉拒复试:决定是否结束流程", "HR"
            if not scheduling.open_slots(round_):
                return "提供复试时间", "HR / 用人经理"
            return "等候选人选择复试时间", "候选人"
        if round_.candidate_answer == "other_time":
            return (f"候选人希望换时间:{round_.candidate_note}(原预约 {interviewer_times.when(booking.slot)} "
                    "保留到候选人改约)", "HR / 用人经理")
        missing = scorecards.missing(round_)
        if missing:
            return f"复试 {interviewer_times.when(booking.slot)};待提交评分表", "、".join(missing)
        return "评分表已齐:做复试决定", "用人经理"
    if stage == "background_check":
        order = checks.order_of(application.id)
        status = order.status if order else None
        if status in CheckStatus.DONE:
            return "背景调查已通过:填写并发出 Offer", "HR"
        if status in (CheckStatus.VERIFYING, CheckStatus.PROBLEM):
            return f"背景调查:{CheckStatus.LABELS[status]}", "HR"
        return f"背景调查:{CheckStatus.LABELS.get(status, '开始中')}", "候选人"
    if stage == "offer_approval":
        return f"Offer 审批中 {offer.sp_no if offer else ''}", "审批人"
    if stage == "offer_sent":
        return f"等候选人答复 Offer(有效期至 {offer.expires_on:%m月%d日})" if offer else "等候选人答复", "候选人"
    if stage == "onboarding":
        left = onboarding.outstanding(application.id)
        if left:
            waiting = [i for i in left if i.status == ItemStatus.SUBMITTED]
            return f"入职清单:还有 {len(left)} 项", "HR" if waiting and len(waiting) == len(left) else "候选人 / HR"
        return f"入职日 {offer.start_date:%m月%d日} 确认到岗" if offer else "确认到岗", "HR"
    return None, None


def panel(application, member):
    """What the application page's process panel shows (app/web/manager.py passes it to the template)."""
    round_ = scheduling.round_of(application.id)
    booking = scheduling.booking_of(round_)
    offer = offers.offer_of(application.id)
    what, who = next_step(application, round_, booking, offer)
    draft = forms.take_draft("checklist", application.job_id)  # refused forms come back as HR typed them
    checklist_text, checklist_custom = checklists.editor(application.job_id)
    revoked = offers.revoked_approval(offer)
    if revoked is not None:  # WeCom withdrew the approval the offer rests on: that comes before anything else
        what, who = f"录用审批 {revoked.sp_no} 已撤销:决定 Offer 是否继续有效", "HR"
    policy = offers.policy_for(application.job)
    can_schedule = staff_access.can_manage(member, application.job_id)
    picking = can_schedule and application.stage == "second_round" and booking is None
    found = users.directory() if picking else None  # the round form picks the panel from it
    names = dict(found.members) if found else {}
    order = checks.order_of(application.id)
    return {
        "directory": found, "name": lambda userid: names.get(userid) or users.display_name(userid),
        "round": round_, "booking": booking, "offer": offer, "next_what": what, "next_who": who,
        "revoked_approval": revoked,
        "offered": scheduling.offered_slots(round_) if round_ else [],
        "open_slot_ids": {s.id for s in scheduling.open_slots(round_)} if round_ else set(),
        "shareable": scheduling.shareable_slots(round_) if round_ else [],
        "windows": interviewer_times.windows_of(round_.interviewers) if round_ else [],
        "missing": scorecards.missing(round_) if round_ else [],
        "can_schedule": can_schedule and application.stage == "second_round",
        "can_decide": can_schedule and round_decisions.can_decide(application),
        "round_decisions": round_decisions.DECISIONS,
        "can_offer": member.is_hr and application.stage in offers.OFFER_STAGES
        and (offer is None or offer.status in OfferStatus.REPLACEABLE) and checks.cleared(application.id),
        "can_withdraw": member.is_hr and offer_withdrawal.withdrawable(application, offer),
        "withdraw_draft": forms.take_draft("offer_withdraw", application.id) or {},
        "check": order, "check_items": checks.items_of(order), "ended": checks.ended(application),
        "check_labels": CheckStatus.LABELS, "check_item_labels": ItemStatus.CHECK_STAFF_LABELS,
        "policy": policy,
        "offer_draft": forms.take_draft("offer", application.id) or {},
        "round_draft": forms.take_draft("round", application.id) or {},
        "slot_draft": forms.take_draft("slot", application.id) or {},
        "arrival_draft": forms.take_draft("arrival", application.id) or {},
        "policy_draft": forms.take_draft("offer_policy", application.job_id) or {},
        # the long boxes carry no maxlength: the server refuses a longer text and the draft gives it back whole
        "focus_max": FOCUS_MAX, "letter_note_max": MAX_LETTER_NOTE, "letter_max": offer_letter.MAX_TEMPLATE,
        "letter_default": offer_letter.DEFAULT_TEMPLATE, "letter_fields": (*offer_letter.FIELDS, offer_letter.NOTE),
        "checklist_draft": draft, "checklist_max": checklists.MAX_TEXT,
        "checklist_text": draft or checklist_text, "checklist_custom": checklist_custom,
        "default_expiry": (offers.today() + dt.timedelta(days=policy.valid_days)).isoformat(),
        "can_confirm_arrival": member.is_hr and application.stage == "onboarding",
        "onboarding_items": onboarding.items_of(application.id), "item_labels": ItemStatus.LABELS,
        "timeline": audit.timeline(application.id, hidden_details=("scorecard",) if round_ is not None
                                   and scorecards.blind(round_, member.userid) else ()),
        "sent": notices.sent_for(application.id),
        "candidate_notices": notice_history.for_application(application.id),
        "formats": Format.LABELS, "durations": scheduling.DURATIONS, "when": interviewer_times.when,
        "offer_labels": OfferStatus.LABELS, "reminder_kinds": reminders.KINDS,
        "sent_labels": reminders.SENT_LABELS,
        "reminders_off": reminders.disabled(application.job_id),
    }

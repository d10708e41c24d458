"""What the process after the AI report stores about a candidate: `export` for their data export, `erase` for the
deletion (declared as its `Domain.personal_data`, app/core/personal_data.py; deletion.execute_deletion calls `erase`
inside its transaction, after the applications were withdrawn).

Export (interviewers, HR and managers appear by display name only, never their userid's other details):
- "复试 Second round": format, duration, place, the panel's names, the manager's notes for the panel (what to
  look at in this candidate: recorded about them, like HR's notes, which the export already holds), the times
  offered, the booked time with the meeting link and code, and what the candidate answered (declined, another
  time and their note). Left out: WeCom schedule and meeting ids, calendar sync errors (the system's, not theirs).
- "面试官评分表 Interviewer scorecards": each interviewer's ratings with comments, concerns, recommendation and
  summary, and when it was submitted (see docs/privacy.md: evaluations of the person are personal information
  processed about them, PIPL art. 45, and no exception of art. 18 or 35 applies).
- "Offer": position, level, salary, start date, place, probation, expiry, status, the name they typed to accept,
  their decline reason, when they answered, the WeCom account made for them. Left out: why it needed an internal
  approval (`breaks`: the company's salary band, not information about the person), the approval number, the
  account error text.
- "背景调查 Background check": provider, status, the consent version and time, the vendor's order id, who decided
  and HR's decision note; each item: what was asked, its status, what the candidate submitted (code, employer),
  the name of the file they sent, HR's note, who verified it.
- "入职准备 Onboarding": each item: what was asked, its status, what the candidate submitted, the file's name,
  HR's note, who verified it.
- Files (the data package, `files`): the file sent for each check or onboarding item (背景调查/, 入职准备/,
  named "<item>-<file name>"); they are conversation attachments of the candidate's own applications.
- "流程记录 Process history": every audited step (kind, who, when, detail), including what the candidate sent.
- "通知记录 Notices sent": kind and time (not the recipients: they are staff).

Erase, deleted (rows only about the person):
- Scorecard: ratings with comments about the candidate, concerns, the summary. The rollup's ScorecardFact and
  ScorecardDimensionFact go with them when the caller rewrites the facts.
- Booking: the reminders walk every booking and would ask the panel again for the scorecards deleted above. A
  booking whose interview has not ended yet is cancelled first the way a closed application's is
  (scheduling.cancel_upcoming: a "booking_cancelled" event, its slot free again; after the commit its WeCom
  schedule and meeting, whose text names the candidate, are cancelled and the panel told without the name). A
  held one's schedule stays in the panel's WeCom calendars, rewritten after the commit without the candidate's
  name and round link (calendar_sync.scrub_schedule); the WeCom meeting of a held video interview, whose title
  names the candidate, is over and stays as WeCom keeps it.
- Offer: the salary, the start date, the typed full name that accepted it, a decline reason, the WeCom userid of
  the hire. The stage trail already says an offer was made, sent, accepted; its approval's detail is cleared by
  the caller. Without the row, the offer reminders and the expiry sweep have nothing left to act on.
- CheckItem: the CHSI code, the employer's name, the file sent, HR's note.
- OnboardingItem: ID details, address, emergency contact, files sent, HR's notes.
- SentNotice: the record of notices sent about the person (a hire's account notice lists their WeCom userid).
  Their keys name offer, round and booking ids; on SQLite a deleted offer's id can be given again, and a kept
  key would then stop the next offer's notice.

Kept, free text blanked (the anonymised trail, like the stage events):
- Round: the panel, duration, format and place stay (who interviews is the staff's record: an interviewer's
  sign-in and round list come from the panels); the manager's notes for the panel (focus) and the candidate's
  note go. What the candidate answered (declined / other time) is a code and stays.
- CheckOrder: the provider, status, consent version and time (the evidence that the check was consented to)
  and the vendor's order id (what HR needs to ask a vendor to delete its copy) stay; HR's decision note goes.
- ProcessEvent: kind, actor and time stay; the detail (reasons, notes, times the candidate proposed, the hire's
  userid) goes.
- RoundSlot stays (which slots were offered).

InterviewerWindow, Slot, BusyInterval, OfferPolicy and ReminderSetting hold nothing about a candidate.
"""
from app.conversation.models import Attachment
from app.core import jobs
from app.core.personal_data import add, at, section, staff_names, stored_file
from app.core.tx import after_commit
from app.process import calendar_sync, scheduling
from app.process.audit import KIND_LABELS
from app.process.calendar_sync import SCRUB_SCHEDULE
from app.process.models import (
    RECOMMENDATIONS,
    Approval,
    Booking,
    CheckItem,
    CheckOrder,
    CheckStatus,
    Format,
    ItemStatus,
    Offer,
    OfferStatus,
    OnboardingItem,
    ProcessEvent,
    Round,
    RoundSlot,
    Scorecard,
    SentNotice,
    Slot,
)
from app.process.reminders import SENT_LABELS

ANSWERS = {"": "", "declined": "婉拒复试", "other_time": "希望换时间"}
ROUND_LABELS = {"format": "形式", "duration_min": "时长(分钟)", "place": "地点", "interviewers": "面试官",
                "focus": "给面试官的关注点", "offered_times": "提供给你的时间", "booked": "你选定的时间",
                "start": "开始", "end": "结束", "meeting_link": "会议链接", "meeting_code": "会议号",
                "booked_at": "预约于", "your_answer": "你的回复", "your_note": "你的说明", "created_at": "安排于"}
SCORECARD_LABELS = {"interviewer": "面试官", "ratings": "各维度评分", "dimension": "维度", "score": "分数(1-5)",
                    "comment": "评语", "concerns": "顾虑", "recommendation": "推荐意见", "summary": "总评",
                    "submitted_at": "提交于"}
OFFER_LABELS = {"position": "职位", "level": "职级", "salary": "月薪(元)", "start_date": "入职日期",
                "place": "工作地点", "probation_months": "试用期(月)", "expires_on": "有效期至", "status": "状态",
                "your_confirmation": "你输入的确认姓名", "decline_reason": "你拒绝的原因", "answered_at": "你回复于",
                "wecom_account": "为你创建的企业微信账号", "created_at": "填写于"}
CHECK_LABELS = {"provider": "执行方", "status": "状态", "consent_version": "授权书版本", "consent_at": "你授权于",
                "vendor_order": "第三方机构单号", "decided_by": "决定人", "decision_note": "HR 的决定说明",
                "items": "核验项", "label": "项目", "value": "你提交的内容", "file": "你发送的文件", "note": "HR 备注",
                "verified_by": "核实人", "updated_at": "更新于", "created_at": "开始于"}
ONBOARDING_LABELS = {"label": "项目", "status": "状态", "value": "你提交的内容", "file": "你发送的文件",
                     "note": "HR 备注", "verified_by": "核实人", "updated_at": "更新于"}
EVENT_LABELS = {"at": "时间", "what": "事项", "by": "操作人", "detail": "说明"}
NOTICE_LABELS = {"kind": "通知类型", "at": "发送于"}


def _item(item, files, names):
    return {"label": item.label, "status": ItemStatus.LABELS.get(item.status, item.status), "value": item.value,
            "file": files.get(item.attachment_id), "note": item.note,
            "verified_by": names.get(item.verified_by, ""), "updated_at": at(item.updated_at)}


def export(application_ids):
    """{application_id: [sections]}: the round, the scorecards, the offer, the background check, onboarding,
    the process history and the notices sent."""
    ids = list(application_ids)
    rounds = list(Round.select().where(Round.application.in_(ids)))
    by_round = {r.id: r for r in rounds}
    cards = list(Scorecard.select().where(Scorecard.round.in_(list(by_round))).order_by(Scorecard.submitted_at,
                                                                                          Scorecard.id))
    offered = {}
    for rs in RoundSlot.select(RoundSlot, Slot).join(Slot).where(RoundSlot.round.in_(list(by_round))).order_by(
            Slot.start_at):
        offered.setdefault(rs.round_id, []).append({"start": at(rs.slot.start_at), "end": at(rs.slot.end_at)})
    bookings = {b.round_id: b for b in Booking.select(Booking, Slot).join(Slot)
                .where(Booking.round.in_(list(by_round)))}
    orders = list(CheckOrder.select().where(CheckOrder.application.in_(ids)))
    check_items = list(CheckItem.select().where(CheckItem.order.in_([o.id for o in orders]))
                       .order_by(CheckItem.id))
    onboarding = list(OnboardingItem.select().where(OnboardingItem.application.in_(ids)).order_by(OnboardingItem.id))
    events = list(ProcessEvent.select().where(ProcessEvent.application.in_(ids))
                  .order_by(ProcessEvent.created_at, ProcessEvent.id))
    # Only the candidate's own files: an attachment id is looked up within their applications.
    attachment_ids = [i.attachment_id for i in check_items + onboarding if i.attachment_id]
    files = {a.id: a.filename for a in Attachment.select(Attachment.id, Attachment.filename)
             .where(Attachment.id.in_(attachment_ids) & Attachment.application.in_(ids))} if attachment_ids else {}
    names = staff_names({u for r in rounds for u in r.interviewers or []} | {c.interviewer for c in cards}
                        | {o.decided_by for o in orders} | {i.verified_by for i in check_items + onboarding}
                        | {e.actor for e in events})
    out = {}
    for r in rounds:
        booking = bookings.get(r.id)
        add(out, r.application_id, section("round", "复试 Second round", ROUND_LABELS, [{
            "format": Format.LABELS.get(r.format, r.format), "duration_min": r.duration_min, "place": r.place,
            "interviewers": [names.get(u, u) for u in r.interviewers or []], "focus": r.focus,
            "offered_times": offered.get(r.id, []),
            "booked": {"start": at(booking.slot.start_at), "end": at(booking.slot.end_at),
                       "meeting_link": booking.meeting_link, "meeting_code": booking.meeting_code,
                       "booked_at": at(booking.created_at)} if booking else None,
            "your_answer": ANSWERS.get(r.candidate_answer, r.candidate_answer), "your_note": r.candidate_note,
            "created_at": at(r.created_at)}]))
    for app_id in ids:
        records = [{"interviewer": names.get(c.interviewer, c.interviewer),
                    "ratings": [{"dimension": dim, "score": (v or {}).get("score"),
                                 "comment": (v or {}).get("comment", "")} for dim, v in (c.ratings or {}).items()],
                    "concerns": c.concerns, "recommendation": RECOMMENDATIONS.get(c.recommendation, c.recommendation),
                    "summary": c.summary, "submitted_at": at(c.submitted_at)}
                   for c in cards if by_round[c.round_id].application_id == app_id]
        add(out, app_id, section("scorecards", "面试官评分表 Interviewer scorecards", SCORECARD_LABELS, records))
    for o in Offer.select().where(Offer.application.in_(ids)):
        add(out, o.application_id, section("offer", "Offer 录用通知", OFFER_LABELS, [{
            "position": o.position, "level": o.level, "salary": o.salary, "start_date": at(o.start_date),
            "place": o.place, "probation_months": o.probation_months, "expires_on": at(o.expires_on),
            "status": OfferStatus.LABELS.get(o.status, o.status), "your_confirmation": o.answer_text,
            "decline_reason": o.decline_reason, "answered_at": at(o.answered_at),
            "wecom_account": o.employee_userid, "created_at": at(o.created_at)}]))
    for o in orders:
        add(out, o.application_id, section("background_check", "背景调查 Background check", CHECK_LABELS, [{
            "provider": {"self_serve": "公司自行核实"}.get(o.provider, o.provider),
            "status": CheckStatus.LABELS.get(o.status, o.status), "consent_version": o.consent_version,
            "consent_at": at(o.consent_at), "vendor_order": o.vendor_ref, "decided_by": names.get(o.decided_by, ""),
            "decision_note": o.decision_note, "created_at": at(o.created_at),
            "items": [_item(i, files, names) for i in check_items if i.order_id == o.id]}]))
    for app_id in ids:
        add(out, app_id, section("onboarding", "入职准备 Onboarding", ONBOARDING_LABELS,
                                 [_item(i, files, names) for i in onboarding if i.application_id == app_id]))
        add(out, app_id, section("process_history", "流程记录 Process history", EVENT_LABELS, [
            {"at": at(e.created_at), "what": KIND_LABELS.get(e.kind, e.kind), "by": names.get(e.actor, e.actor),
             "detail": e.detail} for e in events if e.application_id == app_id]))
        add(out, app_id, section("notices", "通知记录 Notices sent", NOTICE_LABELS, [
            {"kind": SENT_LABELS.get(n.kind, n.kind), "at": at(n.created_at)}
            for n in SentNotice.select(SentNotice.kind, SentNotice.created_at)
            .where(SentNotice.application == app_id).order_by(SentNotice.created_at, SentNotice.id)]))
    return out


def files(application_ids):
    """The files sent for background-check and onboarding items (only attachments of these applications)."""
    ids = list(application_ids)
    orders = {o.id: o.application_id for o in CheckOrder.select().where(CheckOrder.application.in_(ids))}
    items = [("background_check", "背景调查", orders[i.order_id], i)
             for i in CheckItem.select().where(CheckItem.order.in_(list(orders))).order_by(CheckItem.id)]
    items += [("onboarding", "入职准备", i.application_id, i)
              for i in OnboardingItem.select().where(OnboardingItem.application.in_(ids)).order_by(OnboardingItem.id)]
    wanted = [i.attachment_id for *_, i in items if i.attachment_id]
    found = {a.id: a for a in Attachment.select().where(Attachment.id.in_(wanted) & Attachment.application.in_(ids))}
    return [stored_file(app_id, folder, f"{item.label}-{found[item.attachment_id].filename}",
                        found[item.attachment_id].storage_key, part,
                        {"label": item.label, "file": found[item.attachment_id].filename})
            for part, folder, app_id, item in items if item.attachment_id in found]


def erase(application_ids):
    """Delete or blank what the process stores about these applications; return {"counts": {...}, "keys": []}
    (no stored files: documents the candidate sent are conversation attachments, removed by the caller).
    Idempotent: a second call finds nothing to delete."""
    ids = list(application_ids)
    round_ids = [r for (r,) in Round.select(Round.id).where(Round.application.in_(ids)).tuples()]
    order_ids = [o for (o,) in CheckOrder.select(CheckOrder.id).where(CheckOrder.application.in_(ids)).tuples()]
    cancelled = sum(scheduling.cancel_upcoming(i, "system", "应聘已结束", name_candidate=False) is not None
                    for i in ids)
    for args in calendar_sync.held_schedules(round_ids):
        after_commit(lambda a=args: jobs.enqueue_or_log(SCRUB_SCHEDULE, *a, recovery="the name stays in WeCom"))
    counts = {
        "scorecards": Scorecard.delete().where(Scorecard.round.in_(round_ids)).execute(),
        "bookings": cancelled + Booking.delete().where(Booking.round.in_(round_ids)).execute(),
        "rounds": Round.update(focus="", candidate_note="").where(Round.id.in_(round_ids)).execute(),
        "offers": Offer.delete().where(Offer.application.in_(ids)).execute(),
        "check_items": CheckItem.delete().where(CheckItem.order.in_(order_ids)).execute(),
        "check_orders": CheckOrder.update(decision_note="").where(CheckOrder.id.in_(order_ids)).execute(),
        "onboarding_items": OnboardingItem.delete().where(OnboardingItem.application.in_(ids)).execute(),
        "process_events": ProcessEvent.update(detail="").where(ProcessEvent.application.in_(ids)).execute(),
        "sent_notices": SentNotice.delete().where(SentNotice.application.in_(ids)).execute(),
    }
    Approval.update(detail=None).where(Approval.application.in_(ids)).execute()  # the WeCom form's copy
    return {"counts": counts, "keys": []}

"""Reminders and overdue steps, swept on a schedule (SEND_REMINDERS, workers/scheduler.py). `run(now)` takes
the clock as an argument, so tests move time instead of waiting. Each reminder is sent once (notices.SentNotice
key), a job can turn kinds off (ReminderSetting), and what was sent shows on the application page.

kinds (hours are settings, see docs/process.md):
- ai_unfinished: an AI interview not finished — the candidate at REMIND_AI_HOURS before the link expires, HR at
  REMIND_AI_HR_HOURS before;
- before_interview: the panel and the candidate REMIND_INTERVIEW_HOURS before a booked second round;
- scorecard_request: each interviewer gets the scorecard card when the interview ends;
- scorecard_overdue: an interviewer without a scorecard REMIND_SCORECARD_HOURS after the end;
- slot_not_chosen: the candidate (and who set up the round) REMIND_SLOT_HOURS after slots were offered;
- offer_unanswered: the candidate and HR one day before the offer expires; past its date the offer expires;
- applications_waiting: HR, once per application, when it is still at 已投递 more than the job's
  `remind_after_days` after it came in (the job editor's "投递超过几天未处理时提醒"; 0 turns it off): one message
  per job and sweep naming the applications that became overdue.

No kind reminds anyone about an application in a closed stage (rejected, withdrawn, expired: pipeline.CLOSED):
the candidacy is over, so nobody is asked to act on it (`_on`). before_interview and slot_not_chosen already
needed second_round; ai_unfinished, the two scorecard kinds and offer_unanswered check it there.
"""
import datetime as dt
import logging

from app.core import links, staff, synthetic
from app.core.base import utcnow
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.localtime import local_date, local_time, zone_short
from app.core.models import Application
from app.core.pipeline import CLOSED
from app.core.queues import FAST
from app.interview.models import Interview, InterviewStatus
from app.notifications import outreach
from app.process import audit, notices, offers, scorecards
from app.process.availability import unix, when
from app.process.models import Booking, Offer, OfferStatus, ProcessEvent, ReminderSetting, Round, RoundSlot, SentNotice
from app.screening import job_settings
from app.screening.models import JobScreening
from app.wecom.cards import send_template_card
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)

KINDS = {"ai_unfinished": "AI面试未完成", "before_interview": "复试前提醒", "scorecard_request": "评分表邀请",
         "scorecard_overdue": "评分表逾期", "slot_not_chosen": "未选复试时间", "offer_unanswered": "Offer未答复",
         "applications_waiting": "简历待处理"}
# Every kind a SentNotice row can have, in words: the staff page's 已发提醒与通知 and the candidate's export.
SENT_LABELS = {**audit.KIND_LABELS, **notices.LABELS, **KINDS}
NAMED = 5  # the applicants a waiting reminder names; the rest are counted


def _hours(name, default):
    value = settings.get(name, default)
    if isinstance(value, str):
        value = [float(v) for v in value.split(",") if v.strip()]
    return sorted(value if isinstance(value, list | tuple) else [value], reverse=True)


def _mark(hours, left):
    """The reminder mark due when `left` hours remain: the nearest one passed (a late sweep sends only that one,
    not every mark it missed), or None."""
    passed = [h for h in hours if left <= h]
    return min(passed) if passed else None


def disabled(job_id):
    row = ReminderSetting.get_or_none(ReminderSetting.job == job_id)
    return set(row.disabled) if row else set()


def set_disabled(job_id, kinds):
    kinds = sorted(k for k in kinds if k in KINDS)
    ReminderSetting.insert(job=job_id, disabled=kinds).on_conflict(
        conflict_target=[ReminderSetting.job], update={ReminderSetting.disabled: kinds}).execute()


def _on(application, kind):
    """Whether `kind` may remind about this application: it is not closed, and its job did not turn it off."""
    return application.stage not in CLOSED and kind not in disabled(application.job_id)


def run(now=None):
    """Send every reminder that is due at `now`; return {kind: count sent}."""
    now = now or utcnow()
    sent = {kind: 0 for kind in KINDS}
    for kind, func in (("ai_unfinished", _ai_unfinished), ("before_interview", _before_interview),
                       ("scorecard_request", _scorecard_request), ("scorecard_overdue", _scorecard_overdue),
                       ("slot_not_chosen", _slot_not_chosen), ("offer_unanswered", _offer_unanswered),
                       ("applications_waiting", _applications_waiting)):
        try:
            sent[kind] += func(now)
        except Exception:  # noqa: BLE001 - one kind failing must not stop the others; the next sweep retries
            log.exception("reminders %s failed", kind)
    expired = offers.expire_due(local_day(now))
    if any(sent.values()) or expired:
        log.info("reminders sent %s, offers expired %s", sent, expired)
    return {**sent, "offers_expired": expired}


def _ai_unfinished(now):
    count = 0
    candidate_hours, hr_hours = _hours("REMIND_AI_HOURS", [24, 4]), _hours("REMIND_AI_HR_HOURS", [6])
    horizon = now + dt.timedelta(hours=max(candidate_hours + hr_hours))
    rows = Interview.select().where(Interview.status.in_([InterviewStatus.INVITED, InterviewStatus.IN_PROGRESS])
                                    & (Interview.expires_at > now) & (Interview.expires_at <= horizon))
    for interview in rows:
        application = interview.application
        if not _on(application, "ai_unfinished"):
            continue
        left = (interview.expires_at - now).total_seconds() / 3600
        hours = _mark(candidate_hours, left)
        if hours is not None:
            count += notices.tell_candidate(f"ai:{interview.id}:{hours:g}", application.id, "ai_unfinished",
                                            f"提醒:你的 AI 面试还没有完成,链接约 {max(1, round(left))} 小时后失效,"
                                            "请尽快完成。", "reminder",
                                            {"deadline": local_time(interview.expires_at, outreach.DATE)})
        hours = _mark(hr_hours, left)
        if hours is not None:
            count += notices.to_members(f"ai-hr:{interview.id}:{hours:g}", application.id, "ai_unfinished",
                                        staff.hr_userids(),
                                        f"**{plain(application.candidate.name)}** 的 AI 面试约 "
                                        f"{max(1, round(left))} 小时后过期仍未完成 · {application.job.title}\n"
                                        f"[查看应聘记录]({links.application_url(application.id)})")
    return count


def local_day(now):
    return local_date(now)


def _before_interview(now):
    count = 0
    hours = _hours("REMIND_INTERVIEW_HOURS", [24, 2])
    for booking in Booking.select():
        slot, round_ = booking.slot, booking.round
        application = round_.application
        if slot.start_at <= now or application.stage != "second_round" or not _on(application, "before_interview"):
            continue
        left = (slot.start_at - now).total_seconds() / 3600
        h = _mark(hours, left)
        if h is not None:
            key = f"pre:{booking.id}:{unix(slot.start_at)}:{h:g}"
            count += notices.to_members(key, application.id, "before_interview", slot.interviewers,
                                        f"**复试提醒** · {plain(application.candidate.name)} · {when(slot)}\n"
                                        f"[面试前看关注点]({links.absolute(f'/m/rounds/{round_.id}')})")
            where = round_.place if round_.format == "onsite" else f"入会链接 {booking.meeting_link}"
            count += notices.tell_candidate(f"c{key}", application.id, "before_interview",
                                            f"提醒:你的复试在 {when(slot)}({zone_short()}),{where}。",
                                            "interview_soon",
                                            {"time": local_time(slot.start_at, "%m月%d日%H:%M")}, urgent=h <= 2)
    return count


def _scorecard_request(now):
    count = 0
    for booking in Booking.select():
        slot, round_ = booking.slot, booking.round
        if slot.end_at > now or not _on(round_.application, "scorecard_request"):
            continue
        for userid in scorecards.missing(round_):
            card = scorecards.scorecard_card(round_, userid)
            count += notices.send_once(f"sc-card:{round_.id}:{userid}", round_.application_id, "scorecard_request",
                                       [userid], lambda u=userid, c=card: send_template_card([u], c))
    return count


def _scorecard_overdue(now):
    count = 0
    hours = _hours("REMIND_SCORECARD_HOURS", [24])[0]
    for booking in Booking.select():
        slot, round_ = booking.slot, booking.round
        if slot.end_at + dt.timedelta(hours=hours) > now or not _on(round_.application, "scorecard_overdue"):
            continue
        for userid in scorecards.missing(round_):
            count += notices.to_members(f"sc-late:{round_.id}:{userid}", round_.application_id, "scorecard_overdue",
                                        [userid], f"**评分表还没提交** · {plain(round_.application.candidate.name)}\n"
                                                  f"[现在填写]({links.absolute(f'/m/rounds/{round_.id}')})")
    return count


def _slot_not_chosen(now):
    count = 0
    hours = _hours("REMIND_SLOT_HOURS", [48])[0]
    booked = {b.round_id for b in Booking.select(Booking.round)}
    for round_ in Round.select().where(Round.candidate_answer == ""):
        application = round_.application
        if round_.id in booked or application.stage != "second_round" or not _on(application, "slot_not_chosen"):
            continue
        if not RoundSlot.select().where(RoundSlot.round == round_.id).exists():
            continue
        last = (ProcessEvent.select().where((ProcessEvent.application == application.id)
                                            & (ProcessEvent.kind == "slot_offered"))
                .order_by(ProcessEvent.created_at.desc()).first())
        if last is None or last.created_at + dt.timedelta(hours=hours) > now:
            continue
        key = f"slot-wait:{round_.id}:{last.id}"
        count += notices.tell_candidate(key, application.id, "slot_not_chosen",
                                        "提醒:HR 已为你提供复试时间,请在「我的应聘进度」页面选择,"
                                        "或告诉我们你方便的时间。", "slot_reminder")
        count += notices.to_members(f"{key}:s", application.id, "slot_not_chosen", [round_.created_by],
                                    f"**{plain(application.candidate.name)}** {hours:g} 小时内还没有选复试时间\n"
                                    f"[查看]({links.application_url(application.id)})")
    return count


def _offer_unanswered(now):
    count = 0
    on = local_day(now)
    for offer in Offer.select().where(Offer.status == OfferStatus.SENT):
        application = offer.application
        if offer.expires_on - on > dt.timedelta(days=1) or on > offer.expires_on \
                or not _on(application, "offer_unanswered"):
            continue
        count += notices.tell_candidate(f"offer-due:{offers.notice_ref(offer)}", application.id, "offer_unanswered",
                                        f"提醒:你的录用通知将于 {offer.expires_on:%m月%d日} 失效,请尽快答复。",
                                        "offer_expiring", {"deadline": outreach.day(offer.expires_on)})
        count += notices.to_members(f"offer-due-hr:{offers.notice_ref(offer)}", application.id, "offer_unanswered",
                                    staff.hr_userids(),
                                    f"**{plain(application.candidate.name)}** 的 Offer "
                                    f"{offer.expires_on:%m月%d日} 到期,尚未答复")
    return count


def _applications_waiting(now):
    """Per job, one message to HR naming the applications that have now waited at 已投递 longer than the job's
    remind_after_days; each application is claimed once (a SentNotice), and released if the message fails."""
    hr = staff.hr_userids()
    if not hr:
        return 0
    count = 0
    reminded = SentNotice.select(SentNotice.application).where(SentNotice.kind == "applications_waiting")
    for row in JobScreening.select().where((JobScreening.remind_after_days > 0)
                                           & JobScreening.job.not_in(synthetic.synthetic_jobs())):
        if "applications_waiting" in disabled(row.job_id):
            continue
        overdue = job_settings.waiting(row.job_id, row.remind_after_days, now).where(Application.id.not_in(reminded))
        late = [a for a in overdue if notices.claim(f"waiting:{a.id}", a.id, "applications_waiting", hr)]
        if not late:
            continue
        names = "、".join(plain(a.candidate.name) for a in late[:NAMED])
        if len(late) > NAMED:
            names += f" 等 {len(late)} 位"
        try:
            send_markdown(hr, f"**简历待处理** · {plain(row.job.title)}\n"
                              f"{len(late)} 位候选人投递超过 {row.remind_after_days} 天仍未处理:{names}\n"
                              f"[打开候选人列表]({links.absolute(f'/admin/applications?job={row.job_id}&stage=applied')})")
        except Exception:
            for application in late:
                notices.release(f"waiting:{application.id}")
            raise
        count += len(late)
    return count


SEND_REMINDERS = JobSpec(run, FAST, "send-reminders", retries=0)

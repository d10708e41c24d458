"""The second round in WeCom: the interviewers' schedule and (for a video interview) the meeting, created, moved or
cancelled by jobs after a booking changes; the panel and the candidate told."""
import datetime as dt
import logging

from app.core import links
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.localtime import local_time, zone_short
from app.core.models import Application, Job
from app.core.queues import FAST
from app.notifications import outreach
from app.process import audit, notices
from app.process.availability import unix, when
from app.process.models import Booking, Format, Round, Slot
from app.wecom import WeComError, calendar
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)
REMIND_BEFORE_S = 3600  # the WeCom schedule's own reminder


# -- WeCom: schedule, meeting, notices (jobs) ---------------------------------------------------------------
def _summary(round_):
    application = round_.application
    return f"复试:{application.candidate.name} · {application.job.title}"


def sync_booking(booking_id):
    """Create (or move) the interviewers' WeCom schedule and, for a video interview, the meeting; then tell the
    interviewers and the candidate. Idempotent: what exists is not recreated; notices go once per slot."""
    booking = Booking.get_or_none(Booking.id == booking_id)
    if booking is None:
        return None  # cancelled meanwhile
    round_, slot = booking.round, booking.slot
    start, end = unix(slot.start_at), unix(slot.end_at)
    description = f"候选人:{round_.application.candidate.name}\n评分表:{links.absolute(f'/m/rounds/{round_.id}')}"
    location = round_.place if round_.format == Format.ONSITE else "企业微信会议"
    fields = {}
    previous = booking.synced_start
    moved = previous is not None and previous != slot.start_at
    if not booking.schedule_id:
        fields["schedule_id"] = calendar.add_schedule(
            start=start, end=end, attendees=slot.interviewers, summary=_summary(round_), description=description,
            location=location, remind_before=REMIND_BEFORE_S, admins=slot.interviewers[:1])
    elif moved:
        calendar.update_schedule(booking.schedule_id, start=start, end=end, attendees=slot.interviewers,
                                 summary=_summary(round_), description=description, location=location,
                                 remind_before=REMIND_BEFORE_S)
    if round_.format == Format.MEETING:
        if not booking.meeting_id:
            meeting_id = calendar.create_meeting(
                admin_userid=slot.interviewers[0], title=f"复试 {round_.application.candidate.name}"[:20],
                start=start, duration_s=end - start, invitees=slot.interviewers)
            info = calendar.meeting_info(meeting_id)
            fields.update(meeting_id=meeting_id, meeting_link=info.get("meeting_link", ""),
                          meeting_code=str(info.get("meeting_code", "")))
        elif moved:
            calendar.update_meeting(booking.meeting_id, start=start, duration_s=end - start)
    fields.update(synced_start=slot.start_at, calendar_error="")
    Booking.update(**fields).where(Booking.id == booking.id).execute()
    booking = Booking.get_by_id(booking.id)
    if "schedule_id" in fields:
        audit.record(round_.application_id, "calendar_synced", "system",
                     when(slot) + (f" · 会议号 {booking.meeting_code}" if booking.meeting_id else ""))
    elif moved:
        audit.record(round_.application_id, "calendar_moved", "system",
                     f"{local_time(previous)} → {local_time(slot.start_at)}")
    _notify_booked(round_, booking, slot, previous if moved else None)
    return booking.id


def _notify_booked(round_, booking, slot, previous=None):
    """Tell the panel and the candidate the booked time; `previous`, the time the booking had before, makes it a
    change of time (the panel reads 复试时间已更改 with both times, not a second 复试已预约)."""
    application = round_.application
    moved = previous is not None
    key = f"booked:{round_.id}:{unix(slot.start_at)}"
    where = round_.place if round_.format == Format.ONSITE else f"企业微信会议 {booking.meeting_code}"
    title = "复试时间已更改" if moved else "复试已预约"
    was = f"(原定 {local_time(previous)})" if moved else ""
    notices.to_members(key, application.id, "booked", slot.interviewers,
                       f"**{title}** · {plain(application.candidate.name)} · {application.job.title}\n"
                       f"> 时间:{when(slot)}{was}\n> 形式:{Format.LABELS[round_.format]} · {where}\n"
                       f"[面试前看关注点,面试后填评分表]({links.absolute(f'/m/rounds/{round_.id}')})")
    text = f"你的复试已约在 {when(slot)}({zone_short()}),形式:{Format.LABELS[round_.format]}。"
    text += f"地点:{round_.place}。" if round_.format == Format.ONSITE else \
        f"会议号 {booking.meeting_code},入会链接:{booking.meeting_link}"
    if moved:  # the candidate chose the earlier time: an SMS / WeChat notice too (urgent on the same day)
        notices.tell_candidate(f"cand-{key}", application.id, "booked", text, "booking_moved",
                               {"time": local_time(slot.start_at, outreach.DATE)},
                               urgent=slot.start_at - utcnow() < dt.timedelta(hours=24))
    else:
        notices.to_candidate(f"cand-{key}", application.id, "booked", text)


def _unless_gone(call, ident, what):
    """Run a WeCom call on a schedule or meeting that may be gone already (a member removed it, a second run):
    that is logged and ignored; a busy system or the app's limit (-1, 45009) raises, so the job is retried."""
    try:
        call()
    except WeComError as exc:
        if exc.errcode in (-1, 45009):
            raise
        log.info("%s %s: %s (already gone)", what, ident, exc)
        return False
    return True


def cancel_calendar(schedule_id, meeting_id, interviewers=(), text=""):
    """Cancel a dropped booking's WeCom schedule and meeting (each once: a second cancel is ignored), then tell
    the panel (`text`, when given). A retry comes only from a raise before the message, so it is sent once."""
    for cancel, ident in ((calendar.delete_schedule, schedule_id), (calendar.cancel_meeting, meeting_id)):
        if ident:
            _unless_gone(lambda c=cancel, i=ident: c(i), ident, "cancelling")
    userids = sorted({u for u in interviewers if u})
    if userids and text:
        send_markdown(userids, text)
    return True


ERASED_SUMMARY = "复试(候选人数据已删除)"
ERASED_DESCRIPTION = "该候选人已申请删除其个人信息,本日程中的姓名和链接已移除。"


def held_schedules(round_ids):
    """What `scrub_schedule` needs of each synced booking left in these rounds (the upcoming ones were cancelled
    first, so these were held), read in one query before the rows go."""
    bookings = (Booking.select(Booking, Slot, Round, Application, Job).join(Slot).switch(Booking).join(Round)
                .join(Application).join(Job).where(Booking.round.in_(list(round_ids)) & (Booking.schedule_id != "")))
    return [(b.schedule_id, unix(b.slot.start_at), unix(b.slot.end_at), list(b.slot.interviewers),
             b.round.place if b.round.format == Format.ONSITE else "企业微信会议", b.round.application.job.title)
            for b in bookings]


def scrub_schedule(schedule_id, start, end, interviewers, location, job_title):
    """A held second round's WeCom schedule once its candidate's data is deleted: the summary and description
    named the candidate and linked their round; they are rewritten without either. The entry stays in the
    panel's calendars (they did meet someone then). Idempotent; a schedule removed meanwhile is left alone."""
    return _unless_gone(lambda: calendar.update_schedule(
        schedule_id, start=start, end=end, attendees=interviewers, summary=f"{ERASED_SUMMARY} · {job_title}",
        description=ERASED_DESCRIPTION, location=location, remind_before=0), schedule_id, "scrubbing")


SYNC_BOOKING = JobSpec(sync_booking, FAST, "sync-booking-{0}")
CANCEL_CALENDAR = JobSpec(cancel_calendar, FAST, "cancel-calendar-{0}-{1}")
SCRUB_SCHEDULE = JobSpec(scrub_schedule, FAST, "scrub-schedule-{0}")

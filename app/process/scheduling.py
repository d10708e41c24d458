"""Second-round scheduling: interviewers' availability, the round, slots offered, the candidate's booking, and
the WeCom schedule (and meeting) that follow it.

Rules: a slot lies in the future and inside an availability window of every interviewer of the panel; no
interviewer has two overlapping slots; a slot is booked at most once (Booking.slot UNIQUE) and a round books at
most one slot (Booking.round UNIQUE), so of two racing bookings exactly one wins. A confirmed decline stands until
HR offers times. WeCom calls run in jobs (SYNC_BOOKING, CANCEL_CALENDAR), never in the web request. When an
application closes or its candidate's data is deleted, its upcoming booking is cancelled (`cancel_upcoming`)."""
import datetime as dt
import re

from peewee import IntegrityError, Value

from app.core import jobs, links, staff, text_limits
from app.core.base import utcnow
from app.core.converters import parse_int
from app.core.errors import BadRequest, Conflict, Forbidden, NotFound, found
from app.core.jobs import JobSpec
from app.core.localtime import local_time
from app.core.models import Application, StageEvent
from app.core.pipeline import CLOSED
from app.core.queues import FAST
from app.core.tx import after_commit, transaction
from app.notifications import outreach
from app.process import audit, notices
from app.process.availability import USERID_RE, covered, unix, when
from app.process.calendar_sync import CANCEL_CALENDAR, SYNC_BOOKING
from app.process.models import FOCUS_MAX, Booking, BusyInterval, Format, ProcessEvent, Round, RoundSlot, Slot
from app.wecom import users
from app.wecom.messages import plain

MAX_PANEL = 6
DURATIONS = (30, 45, 60, 90, 120)
MIN_LEAD = dt.timedelta(minutes=30)   # a slot starts at least this long from now


# -- who may do what ---------------------------------------------------------------------------------------
def is_interviewer(userid):
    """Whether `userid` sits on any second-round panel (they may sign in to their scorecards)."""
    return bool(userid) and any(userid in r.interviewers for r in _rounds_mentioning(userid, Round.interviewers))


def _rounds_mentioning(userid, *fields):
    """Rounds whose panel JSON mentions `userid` (a LIKE on the stored text; the caller checks the list, since
    `_` in a userid is a LIKE wildcard). The pattern skips the JSON field's own conversion."""
    pattern = Value(f'%"{userid}"%', converter=False)
    return Round.select(*fields).where(Round.interviewers ** pattern)


def rounds_of_interviewer(userid):
    return [r for r in _rounds_mentioning(userid).order_by(Round.id.desc()) if userid in r.interviewers]


def check_can_schedule(member, application):
    if not staff.can_manage(member, application.job_id):
        raise Forbidden("只有HR或该岗位的用人经理可以安排复试 Only HR or the job's managers", code="not_job_manager")


# -- the round --------------------------------------------------------------------------------------------
def round_of(application_id):
    return Round.get_or_none(Round.application == application_id)


def _clean_panel(interviewers):
    if isinstance(interviewers, str):
        interviewers = re.split(r"[\s,,、]+", interviewers)
    panel = []
    for userid in interviewers:
        userid = (userid or "").strip()
        if userid and userid not in panel:
            if not USERID_RE.match(userid):
                raise BadRequest(f"面试官账号格式不对 Invalid userid {userid!r}", code="bad_userid")
            panel.append(userid)
    if not 1 <= len(panel) <= MAX_PANEL:
        raise BadRequest(f"请选择1到{MAX_PANEL}位面试官 Pick 1 to {MAX_PANEL} interviewers", code="bad_panel")
    return panel


def open_round(application_id, actor, *, interviewers, duration_min, fmt, place="", focus="", check_members=True):
    """Create or change the second round of an application at second_round (not once a slot is booked)."""
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    check_can_schedule(staff.load_staff(actor), application)
    if application.stage != "second_round":
        raise Conflict("只有「进入复试」的候选人可以安排复试 Only at second_round", code="not_second_round")
    panel = _clean_panel(interviewers)
    try:
        duration_min = int(duration_min)
    except (TypeError, ValueError):
        duration_min = 0
    if duration_min not in DURATIONS:
        raise BadRequest(f"时长只能是 {'、'.join(map(str, DURATIONS))} 分钟 Pick a listed length", code="bad_duration")
    if fmt not in Format.LABELS:
        raise BadRequest("请选择面试形式 Pick onsite or meeting", code="bad_format")
    # A video meeting has no place (the form's place field, prefilled with the job's city, read "视频会议 · 上海").
    place = (place or "").strip()[:120] if fmt == Format.ONSITE else ""
    if fmt == Format.ONSITE and not place:
        raise BadRequest("现场面试需要填写地点 An onsite interview needs a place", code="place_required")
    if check_members:
        users.require_members(panel)  # every interviewer a WeCom member; the one who is not is named
    fields = {"interviewers": panel, "duration_min": duration_min, "format": fmt, "place": place,
              "focus": text_limits.bounded(focus, FOCUS_MAX, "给面试官的关注点", "保存", "focus_too_long")}
    names = "、".join(users.display_name(u) for u in panel)   # the timeline's words; read before the transaction
    with transaction():
        existing = round_of(application_id)
        if existing is None:
            round_ = Round.create(application=application_id, created_by=actor, **fields)
        else:
            if Booking.select().where(Booking.round == existing.id).exists():
                raise Conflict("候选人已预约,请先取消预约再修改 Cancel the booking before changing the round",
                               code="round_booked")
            Round.update(**fields).where(Round.id == existing.id).execute()
            round_ = Round.get_by_id(existing.id)
        audit.record(application_id, "round_opened", actor,
                     f"面试官 {names} · {duration_min}分钟 · {Format.LABELS[fmt]}"
                     + (f" · {place}" if place else ""))
    return round_


# -- slots ------------------------------------------------------------------------------------------------
def add_slot(round_id, start_at, actor, now=None):
    """A new slot for the round's panel starting at `start_at` (naive UTC), offered to this round."""
    now = now or utcnow()
    round_ = Round.get_by_id(round_id)
    if start_at < now + MIN_LEAD:
        raise BadRequest("面试时间不能早于现在30分钟之后 A slot must start at least 30 minutes from now",
                         code="slot_in_past")
    end_at = start_at + dt.timedelta(minutes=round_.duration_min)
    for userid in round_.interviewers:
        if not covered(userid, start_at, end_at):
            raise Conflict(f"面试官 {users.display_name(userid)} 在 {local_time(start_at, '%m-%d %H:%M')} "
                           "没有登记可用时间 "
                           f"{userid} is not available then", code="interviewer_unavailable", userid=userid)
    clash = (BusyInterval.select(BusyInterval, Slot).join(Slot)
             .where(BusyInterval.userid.in_(round_.interviewers) & (BusyInterval.start_at < end_at)
                    & (BusyInterval.end_at > start_at) & (Slot.cancelled == False)).first())  # noqa: E712
    if clash is not None:
        raise Conflict(f"面试官 {users.display_name(clash.userid)} 在 {local_time(clash.start_at, '%m-%d %H:%M')} "
                       f"已有面试时间,与此重叠 Overlaps another slot of {clash.userid}", code="slot_overlaps")
    application_id = round_.application_id
    try:
        with transaction():
            slot = Slot.create(job=round_.application.job_id, start_at=start_at, end_at=end_at,
                               interviewers=round_.interviewers, format=round_.format, place=round_.place,
                               created_by=actor)
            for userid in round_.interviewers:
                BusyInterval.create(userid=userid, slot=slot, start_at=start_at, end_at=end_at)
            RoundSlot.create(round=round_, slot=slot)
            Round.update(candidate_answer="").where(Round.id == round_.id).execute()
            audit.record(application_id, "slot_offered", actor, when(slot))
    except IntegrityError:
        raise Conflict("该面试官在这个时间已有面试 An interviewer already has a slot at that time",
                       code="slot_overlaps") from None
    _tell_slots(round_, now)
    return slot


def _tell_slots(round_, now=None):
    """The candidate hears that times are offered: once per round and local day (HR often adds several in a row);
    the notice asks them to choose before the earliest one."""
    now = now or utcnow()
    first = min((s.start_at for s in open_slots(round_, now)), default=None)
    if first is not None:
        notices.tell_candidate(f"slots:{round_.id}:{local_time(now, '%Y%m%d')}", round_.application_id,
                               "slots_offered", "HR 为你提供了复试时间,请在「我的应聘进度」页面选择。", "slots_offered",
                               {"deadline": local_time(first, outreach.DATE)})


def shareable_slots(round_, now=None):
    """Open slots of the same job and panel not offered to this round yet (HR may offer one slot to several
    candidates: the first to book it gets it)."""
    now = now or utcnow()
    offered = {rs.slot_id for rs in RoundSlot.select().where(RoundSlot.round == round_.id)}
    booked = {b.slot_id for b in Booking.select(Booking.slot)}
    return [s for s in Slot.select().where((Slot.job == round_.application.job_id) & (Slot.cancelled == False)  # noqa: E712
                                           & (Slot.start_at > now + MIN_LEAD)).order_by(Slot.start_at)
            if s.id not in offered and s.id not in booked and sorted(s.interviewers) == sorted(round_.interviewers)
            and s.format == round_.format]


def offer_existing(round_id, slot_id, actor, now=None):
    round_ = Round.get_by_id(round_id)
    slot = next((s for s in shareable_slots(round_, now) if s.id == int(slot_id)), None)
    if slot is None:
        raise Conflict("该时间不可提供(已过去、已被预约或面试官不同) The slot cannot be offered",
                       code="slot_unavailable")
    with transaction():
        RoundSlot.get_or_create(round=round_, slot=slot)
        Round.update(candidate_answer="").where(Round.id == round_.id).execute()
        audit.record(round_.application_id, "slot_offered", actor, when(slot))
    _tell_slots(round_, now)
    return slot


def withdraw_slot(round_id, slot_id, actor):
    """Stop offering a slot to this round; a slot no longer offered anywhere frees its interviewers."""
    link = found(RoundSlot.get_or_none((RoundSlot.round == round_id) & (RoundSlot.slot == slot_id)),
                 "没有这个面试时间 No such slot", code="slot_not_found")
    if Booking.select().where(Booking.slot == slot_id).exists():
        raise Conflict("该时间已被预约,请先取消预约 The slot is booked: cancel the booking first", code="slot_booked")
    slot = link.slot
    with transaction():
        link.delete_instance()
        if not RoundSlot.select().where(RoundSlot.slot == slot_id).exists():
            Slot.update(cancelled=True).where(Slot.id == slot_id).execute()
            BusyInterval.delete().where(BusyInterval.slot == slot_id).execute()
        audit.record(Round.get_by_id(round_id).application_id, "slot_removed", actor, when(slot))


def offered_slots(round_):
    return list(Slot.select().join(RoundSlot).where((RoundSlot.round == round_.id) & (Slot.cancelled == False))  # noqa: E712
                .order_by(Slot.start_at))


def open_slots(round_, now=None):
    """The slots the candidate can still choose: offered, in the future, booked by nobody."""
    now = now or utcnow()
    booked = {b.slot_id for b in Booking.select(Booking.slot).where(
        Booking.slot.in_([s.id for s in offered_slots(round_)] or [0]))}
    return [s for s in offered_slots(round_) if s.id not in booked and s.start_at > now]


def booking_of(round_):
    return Booking.get_or_none(Booking.round == round_.id) if round_ else None


def has_started(booking, now=None):
    """Whether the booked interview has begun (then it took place: the candidate can no longer move or drop it)."""
    return booking is not None and booking.slot.start_at <= (now or utcnow())


def _refuse_once_started(round_, now):
    if has_started(booking_of(round_), now):
        raise Conflict("复试已经进行,不能再改约或取消;有问题请在应聘进度页给 HR 留言 "
                       "The second round has taken place", code="round_held")
    if round_.candidate_answer == "declined":
        raise Conflict("你已婉拒复试。如果改变主意,请在应聘进度页给 HR 留言 You declined the second round",
                       code="round_declined")


# -- the candidate's side ---------------------------------------------------------------------------------
def book(round_id, slot_id, now=None):
    """The candidate books a slot (or moves to another one). Exactly one of two racing bookings of a slot wins."""
    now = now or utcnow()
    round_ = Round.get_by_id(round_id)
    if round_.application.stage != "second_round":
        raise Conflict("当前不能预约复试 Booking is closed", code="booking_closed")
    _refuse_once_started(round_, now)
    try:
        slot_id = parse_int(slot_id)
    except ValueError:
        raise BadRequest("请选择一个时间 Pick a time", code="slot_required") from None
    slot = Slot.get_or_none(Slot.id == slot_id)
    offered = RoundSlot.select().where((RoundSlot.round == round_id) & (RoundSlot.slot == slot_id)).exists()
    if slot is None or not offered or slot.cancelled:
        raise NotFound("这个时间已不再提供,请选择其他时间 This time is no longer offered", code="slot_not_offered")
    if slot.start_at <= now:
        raise Conflict("这个时间已经过去 This time has passed", code="slot_in_past")
    previous = booking_of(round_)
    if previous is not None and previous.slot_id == slot_id:
        return previous  # a double submit: already booked
    try:
        with transaction():
            carried = {}
            if previous is not None:  # a reschedule: the WeCom schedule/meeting are moved, not recreated
                carried = {"schedule_id": previous.schedule_id, "meeting_id": previous.meeting_id,
                           "meeting_link": previous.meeting_link, "meeting_code": previous.meeting_code,
                           "synced_start": previous.synced_start}
                previous.delete_instance()
            booking = Booking.create(slot=slot, round=round_, **carried)
            Round.update(candidate_answer="", candidate_note="").where(Round.id == round_.id).execute()
            audit.record(round_.application_id, "booked", "candidate",
                         ("改约到 " if previous else "") + when(slot))
            jobs.enqueue_after_commit(SYNC_BOOKING, booking.id)
    except IntegrityError:
        raise Conflict("这个时间刚被其他候选人选走了,请选择其他时间 This time was just taken, pick another",
                       code="slot_taken") from None
    return booking


def answer_without_booking(round_id, kind, note="", confirmed=False, now=None):
    """The candidate declines the second round (`confirmed`: they said yes to the confirmation), or asks for
    another time (HR hears of it). Asking for another time keeps a booking, and its WeCom schedule and meeting,
    until the candidate books one of the new times HR offers (`book` then moves them); declining cancels it."""
    if kind not in ("declined", "other_time"):
        raise BadRequest("未知操作 Unknown answer", code="bad_answer")
    note = (note or "").strip()[:500]
    if kind == "other_time" and not note:
        raise BadRequest("请写下你方便的时间 Tell us which times suit you", code="note_required")
    if kind == "declined" and not confirmed:
        raise BadRequest("请确认你不参加复试 Confirm that you decline the second round", code="confirm_required")
    round_ = Round.get_by_id(round_id)
    if round_.application.stage != "second_round":
        raise Conflict("当前不能预约复试 Booking is closed", code="booking_closed")
    if kind == round_.candidate_answer == "declined":
        return round_   # a double tap, or the back button and the decline again: HR was told once
    _refuse_once_started(round_, now)
    with transaction():
        booking = booking_of(round_)
        if booking is not None and kind == "declined":
            _drop_booking(booking, "candidate", "候选人婉拒")
        Round.update(candidate_answer=kind, candidate_note=note).where(Round.id == round_id).execute()
        event = audit.record(round_.application_id, kind, "candidate", note)
        jobs.enqueue_after_commit(NOTIFY_ROUND_ANSWER, event.id)
    return round_


def cancel_booking(round_id, actor, reason=""):
    """Staff cancel a booking: the slot opens again; the WeCom schedule and meeting are cancelled."""
    round_ = Round.get_by_id(round_id)
    booking = booking_of(round_)
    if booking is None:
        raise NotFound("没有预约 No booking", code="no_booking")
    slot = booking.slot
    with transaction():
        _drop_booking(booking, actor, reason or "取消预约")
    notices.tell_candidate(f"booking-cancelled:{booking.id}:{unix(slot.start_at)}", round_.application_id,
                           "booking_cancelled", f"你 {when(slot)} 的复试已取消,HR 会与你另约时间。",
                           "booking_cancelled",
                           {"time": local_time(slot.start_at, outreach.DATE)},
                           urgent=slot.start_at - utcnow() < dt.timedelta(hours=24))


def _drop_booking(booking, actor, reason, name_candidate=True):
    """Delete the booking (its slot opens again for other candidates), audit it, and once the transaction commits
    enqueue the job that cancels its WeCom schedule and meeting and tells the panel (only a synced booking has
    them; the panel heard of the booking from that same sync)."""
    schedule_id, meeting_id = booking.schedule_id, booking.meeting_id
    slot, round_ = booking.slot, booking.round
    booking.delete_instance()
    audit.record(round_.application_id, "booking_cancelled", actor, f"{when(slot)} · {reason}")
    if schedule_id or meeting_id:
        text = _cancelled_text(round_, slot, reason, name_candidate)
        after_commit(lambda: jobs.enqueue_or_log(CANCEL_CALENDAR, schedule_id, meeting_id, list(slot.interviewers),
                                                 text, recovery="the entry stays in WeCom"))


def _cancelled_text(round_, slot, reason, name_candidate):
    application = round_.application
    who = f"{plain(application.candidate.name)} · " if name_candidate else ""
    return (f"**复试已取消** · {who}{application.job.title}\n> 时间:{when(slot)}\n> 原因:{plain(reason)}\n"
            "企业微信日程和会议已取消。")


def upcoming_booking(application_id, now=None):
    """The application's booking whose interview has not ended at `now`, or None (a past one: it happened)."""
    now = now or utcnow()
    return (Booking.select().join(Round).switch(Booking).join(Slot)
            .where((Round.application == application_id) & (Slot.end_at > now)).first())


def cancel_upcoming(application_id, actor, reason, *, now=None, name_candidate=True):
    """The one way an application's upcoming booking is cancelled when the candidacy ends (a closed stage,
    `application_closed`) or the candidate's data is deleted (app/process/personal_data.py): like a cancel by HR, the
    row goes and the slot opens again for other candidates, the cancel is audited, and after the commit the
    WeCom schedule and meeting are cancelled and the panel told. A booking whose interview has ended stays.
    `name_candidate=False` leaves the candidate's name out of the panel's message (a deletion). Returns the
    cancelled booking's slot, or None."""
    with transaction():
        booking = upcoming_booking(application_id, now)
        if booking is None:
            return None
        slot = booking.slot
        _drop_booking(booking, actor, reason, name_candidate)
    return slot


CLOSED_REASONS = {"withdrawn": "候选人已撤回申请", "rejected": "应聘未通过", "expired": "应聘已过期"}


def application_closed(stage_event_id):
    """Follow-up of a move to a closed stage (app/core/follow_ups.py): cancel the booking that was upcoming
    when the application closed. Nothing happens when the application was reopened meanwhile."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    if event is None or event.application.stage not in CLOSED:
        return None
    slot = cancel_upcoming(event.application_id, event.actor,
                           CLOSED_REASONS.get(event.to_stage, "应聘已结束"), now=event.created_at)
    return slot.id if slot else None


def notify_round_answer(process_event_id):
    """Tell whoever set up the round (and HR) that the candidate declined or asked for another time."""
    event = ProcessEvent.get_or_none(ProcessEvent.id == process_event_id)
    round_ = round_of(event.application_id) if event else None
    if round_ is None:
        return False
    application = round_.application
    what = "婉拒了复试" if event.kind == "declined" else "希望换个时间"
    booking = booking_of(round_)
    kept = (f"\n原预约 {when(booking.slot)} 仍保留,候选人选定新时间后日程会随之改期。请提供新的时间。"
            if booking is not None and event.kind == "other_time" else "")
    return notices.to_members(f"answer:{event.id}", application.id, event.kind,
                              [round_.created_by, *staff.hr_userids()],
                              f"**{plain(application.candidate.name)}** {what}\n> {plain(event.detail) or '—'}{kept}\n"
                              f"[安排复试]({links.application_url(application.id)})")


APPLICATION_CLOSED = JobSpec(application_closed, FAST, "application-closed-{0}")
NOTIFY_ROUND_ANSWER = JobSpec(notify_round_answer, FAST, "round-answer-{0}")

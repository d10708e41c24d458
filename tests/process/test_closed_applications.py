"""An application that closes (withdrawn, rejected, expired) before its second round, against the WeCom sandbox
with a real RQ worker: its upcoming booking is cancelled like a cancel by HR (the slot free for another
candidate, the schedule and meeting cancelled, the panel told); a booking whose interview has ended stays; no
reminder asks anyone to act on a closed application. Times are moved, never waited for."""
import datetime as dt

from app.core import follow_ups, jobs, pipeline
from app.core.base import utcnow
from app.core.models import Application
from app.interview.invitations import invite_candidate
from app.process import availability, reminders, scheduling
from app.process.models import Booking, Offer, OfferStatus, ProcessEvent, Slot
from app.process.scheduling import APPLICATION_CLOSED
from tests.process.helpers import at_second_round, available, hour, round_with_slots
from tests.support.wecom import run_fast_worker

PANEL = ("zhangwei", "wangfang")


def _booked(job, redis_conn, start, name="李明", phone="13800001234"):
    """A candidate at second_round booked on a new slot at `start`, synced to WeCom (schedule and meeting)."""
    application, _ = at_second_round(job, name=name, phone=phone)
    round_, (slot,) = round_with_slots(application, [start])
    booking = scheduling.book(round_.id, slot.id)
    run_fast_worker(redis_conn)
    booking = Booking.get_by_id(booking.id)
    assert booking.schedule_id and booking.meeting_id
    return application, round_, slot, booking


def _schedule(box, userid, schedule_id):
    return next(s for s in box.api("get", f"/sandbox/api/calendar/{userid}")["schedules"]
                if s["schedule_id"] == schedule_id)


def _meeting(box, userid, meeting_id):
    return next(m for m in box.api("get", f"/sandbox/api/calendar/{userid}")["meetings"]
                if m["meetingid"] == meeting_id)


def test_a_booked_candidate_withdraws_the_booking_is_cancelled_and_the_slot_free(wecom_env, backend_job,
                                                                                  redis_conn):
    app, app_url, box = wecom_env
    start = hour()
    available(PANEL, start)
    application, round_, slot, booking = _booked(backend_job, redis_conn, start)
    told_before = {u: len(box.messages(u)) for u in PANEL}

    pipeline.advance_stage(application.id, "withdrawn", actor="hr_lina", source="web")
    run_fast_worker(redis_conn)

    assert Booking.get_or_none(Booking.id == booking.id) is None
    (event,) = ProcessEvent.select().where((ProcessEvent.application == application.id)
                                           & (ProcessEvent.kind == "booking_cancelled"))
    assert event.actor == "hr_lina" and event.detail == f"{availability.when(slot)} · 候选人已撤回申请"
    for userid in PANEL:
        assert _schedule(box, userid, booking.schedule_id)["status"] == "cancelled"
        assert _meeting(box, userid, booking.meeting_id)["status"] == "cancelled"
        (told,) = box.messages(userid)[told_before[userid]:]
        text = told["body"]["content"]
        assert text == (f"**复试已取消** · 李明 · {backend_job.title}\n> 时间:{availability.when(slot)}\n"
                        "> 原因:候选人已撤回申请\n企业微信日程和会议已取消。")
    assert len(box.requests_to("oa/schedule/del")) == 1 and len(box.requests_to("meeting/cancel")) == 1

    # The slot is free: HR offers it to another candidate, who books it.
    other, _ = at_second_round(backend_job, name="王强", phone="13900002222")
    other_round = scheduling.open_round(other.id, "hr_lina", interviewers=list(PANEL), duration_min=60,
                                        fmt="meeting", check_members=False)
    assert [s.id for s in scheduling.shareable_slots(other_round)] == [slot.id]
    scheduling.offer_existing(other_round.id, slot.id, "hr_lina")
    assert scheduling.book(other_round.id, slot.id).slot_id == slot.id
    # The job ran once: running the follow-up again changes nothing.
    closed = pipeline.history(application.id)[-1]
    assert scheduling.application_closed(closed.id) is None
    assert Booking.get(Booking.slot == slot.id).round_id == other_round.id


def test_every_closed_stage_cancels_the_upcoming_booking():
    for stage in pipeline.CLOSED:
        assert APPLICATION_CLOSED in [spec for spec, _ in follow_ups.follow_ups(stage)], stage
    assert APPLICATION_CLOSED in jobs.all_jobs()


def test_a_past_booking_stays_an_upcoming_one_goes_when_rejected(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    start = hour()
    available(PANEL, start)
    held, held_round, held_slot, held_booking = _booked(backend_job, redis_conn, start)
    coming, _, _, coming_booking = _booked(backend_job, redis_conn, start + dt.timedelta(hours=2), name="王强",
                                           phone="13900002222")
    # The first interview already happened (the clock is moved by moving the slot into the past).
    past = utcnow() - dt.timedelta(hours=3)
    Slot.update(start_at=past, end_at=past + dt.timedelta(hours=1)).where(Slot.id == held_slot.id).execute()

    for application in (held, coming):
        pipeline.advance_stage(application.id, "rejected", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)

    assert Booking.get_by_id(held_booking.id).slot_id == held_slot.id
    assert _schedule(box, "zhangwei", held_booking.schedule_id)["status"] == "active"
    assert not ProcessEvent.select().where((ProcessEvent.application == held.id)
                                           & (ProcessEvent.kind == "booking_cancelled")).exists()
    assert Booking.get_or_none(Booking.id == coming_booking.id) is None
    assert _schedule(box, "zhangwei", coming_booking.schedule_id)["status"] == "cancelled"
    assert len(box.requests_to("oa/schedule/del")) == 1 and len(box.requests_to("meeting/cancel")) == 1


def test_rejected_before_the_round_no_scorecard_reminder(wecom_env, backend_job, redis_conn):
    """Even while the booking is still there (the follow-up job has not run), a closed application's panel is
    not asked for scorecards; an open one's is."""
    app, app_url, box = wecom_env
    start = hour()
    available(PANEL, start)
    rejected, round_, slot, _ = _booked(backend_job, redis_conn, start)
    kept, kept_round, kept_slot, _ = _booked(backend_job, redis_conn, start + dt.timedelta(hours=2),
                                             name="王强", phone="13900002222")
    pipeline.advance_stage(rejected.id, "rejected", actor="zhangwei", source="web")  # no worker run: still booked
    assert Booking.select().where(Booking.round == round_.id).exists()

    after = kept_slot.end_at + dt.timedelta(minutes=5)
    sent = reminders.run(now=after)
    assert (sent["scorecard_request"], sent["before_interview"]) == (2, 0)  # the open application's panel only
    assert box.card_sent_as(f"sc-{round_.id}-zhangwei-", "zhangwei") is None
    assert box.card_sent_as(f"sc-{kept_round.id}-zhangwei-", "zhangwei") is not None
    late = reminders.run(now=after + dt.timedelta(hours=25))
    assert late["scorecard_overdue"] == 2  # again the open one's two interviewers, not the rejected one's


def test_no_reminder_for_an_unfinished_ai_interview_of_a_closed_application(wecom_env, backend_job):
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234")
    pipeline.advance_stage(interview.application_id, "rejected", actor="hr_lina", source="web")
    assert reminders.run(now=interview.expires_at - dt.timedelta(hours=1))["ai_unfinished"] == 0


def test_no_offer_reminder_for_a_closed_application(wecom_env, backend_job):
    open_, _ = at_second_round(backend_job, name="王强", phone="13900002222")
    closed, _ = at_second_round(backend_job, name="赵六", phone="13700003333")
    pipeline.advance_stage(closed.id, "withdrawn", actor="hr_lina", source="web")
    expires = dt.date(2030, 6, 10)
    for application in (open_, closed):
        Offer.create(application=application.id, position="后端", salary=20000, start_date=dt.date(2030, 7, 1),
                     place="上海", probation_months=3, expires_on=expires, status=OfferStatus.SENT, created_by="hr")
    day_before = dt.datetime.combine(expires - dt.timedelta(days=1), dt.time(4, 0))
    assert reminders.run(now=day_before)["offer_unanswered"] == 2  # the open application's candidate and HR
    assert Application.get_by_id(closed.id).stage == "withdrawn"

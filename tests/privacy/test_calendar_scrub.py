"""A deleted candidate's name leaves the panel's WeCom calendars: the schedule of a second round already held is
rewritten without the name and the round link (the upcoming one is cancelled, tests/privacy/test_domain_erasure.py);
against the sandbox over HTTP with a real RQ worker."""
from app.privacy import deletion
from app.process import calendar_sync
from app.process.availability import unix
from app.process.models import Booking, Slot
from tests.process.helpers import at_second_round, held_round
from tests.support.wecom import run_fast_worker


def _schedules(box, userid):
    return box.api("get", f"/sandbox/api/calendar/{userid}")["schedules"]


def _held_round(job, redis_conn, name, phone, days):
    """A second round that took place, its booking synced to WeCom."""
    application, _ = at_second_round(job, name=name, phone=phone)
    _, booking = held_round(application, days=days, started_hours_ago=24 * days,
                            synced=lambda: run_fast_worker(redis_conn))
    booking = Booking.get_by_id(booking.id)
    assert booking.schedule_id
    return application, booking


def test_a_held_rounds_schedule_loses_the_name(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    mine, booking = _held_round(backend_job, redis_conn, "李明", "13800001234", 2)
    other, other_booking = _held_round(backend_job, redis_conn, "王芳", "13900005678", 3)
    before = {s["schedule_id"]: s for s in _schedules(box, "zhangwei")}
    assert "李明" in before[booking.schedule_id]["body"]["summary"]
    assert "李明" in before[booking.schedule_id]["body"]["description"]

    request = deletion.confirm(deletion.request_deletion(mine.candidate_id, "candidate").id, "hr_lina")
    deletion.execute_deletion(request.id)
    run_fast_worker(redis_conn)

    after = {s["schedule_id"]: s for s in _schedules(box, "zhangwei")}
    scrubbed = after[booking.schedule_id]
    assert scrubbed["status"] == "active"  # still in the calendar: the panel did meet someone then
    assert scrubbed["body"]["summary"] == f"{calendar_sync.ERASED_SUMMARY} · {backend_job.title}"
    assert scrubbed["body"]["description"] == calendar_sync.ERASED_DESCRIPTION
    assert "李明" not in repr(scrubbed) and "/m/rounds/" not in repr(scrubbed["body"])
    held = Slot.get_by_id(booking.slot_id)  # the time as the interview took place
    assert (scrubbed["start_time"], scrubbed["end_time"]) == (unix(held.start_at), unix(held.end_at))
    assert {a["userid"] for a in scrubbed["body"]["attendees"]} == {"zhangwei", "wangfang"}
    # The other candidate's schedule is untouched; one update went out, for the deleted candidate only.
    assert after[other_booking.schedule_id] == before[other_booking.schedule_id]
    assert len(box.requests_to("oa/schedule/update")) == 1

    # A second run of the deletion finds nothing left to scrub; a schedule a member removed meanwhile is skipped.
    deletion.execute_deletion(request.id)
    run_fast_worker(redis_conn)
    assert len(box.requests_to("oa/schedule/update")) == 1
    assert calendar_sync.scrub_schedule("sch-gone", 1, 2, ["zhangwei"], "", "x") is False

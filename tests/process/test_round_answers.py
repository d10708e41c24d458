"""What the candidate answers instead of keeping a booked second round, against the WeCom sandbox with a real RQ
worker: asking for another time keeps the booking and its WeCom schedule and meeting until a new time is booked,
which moves them; declining (after its confirmation) cancels them."""
import datetime as dt
import re

import pytest

from app.process import availability, scheduling
from app.process.models import Booking
from tests.process.helpers import at_second_round, available, hour, round_with_slots
from tests.support.browser import shot
from tests.support.wecom import run_fast_worker


def _post(client, url, data):
    """POST the page's form the way the browser does (CSRF is on: the token comes from the page)."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": csrf, **data})


def _schedules(box, userid):
    return box.api("get", f"/sandbox/api/calendar/{userid}")["schedules"]


def test_asking_for_another_time_keeps_the_booking_and_schedule_until_a_new_slot_is_booked(
        wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, token = at_second_round(backend_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (first,) = round_with_slots(application, [start])
    scheduling.book(round_.id, first.id)
    run_fast_worker(redis_conn)
    (schedule,) = _schedules(box, "zhangwei")
    assert schedule["status"] == "active"

    scheduling.answer_without_booking(round_.id, "other_time", "下周二下午更方便")
    run_fast_worker(redis_conn)
    booking = Booking.get()
    assert booking.slot_id == first.id and booking.schedule_id == schedule["schedule_id"]
    assert box.requests_to("oa/schedule/del") == [] and box.requests_to("meeting/cancel") == []
    assert [s["status"] for s in _schedules(box, "zhangwei")] == ["active"]
    told = box.messages("hr_lina")[-1]["body"]["content"]
    assert "希望换个时间" in told and "下周二下午更方便" in told and f"原预约 {availability.when(first)} 仍保留" in told

    # HR offers a new time; the candidate books it: the same schedule and meeting move, nothing is cancelled.
    later = scheduling.add_slot(round_.id, start + dt.timedelta(hours=3), "hr_lina")
    scheduling.book(round_.id, later.id)
    run_fast_worker(redis_conn)
    (moved,) = _schedules(box, "zhangwei")
    assert moved["schedule_id"] == schedule["schedule_id"] and moved["start_time"] == availability.unix(later.start_at)
    assert moved["status"] == "active" and box.requests_to("oa/schedule/del") == []
    assert scheduling.round_of(application.id).candidate_answer == ""


def test_declining_after_its_confirmation_cancels_the_booking_and_schedule(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, token = at_second_round(backend_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (first,) = round_with_slots(application, [start])
    scheduling.book(round_.id, first.id)
    run_fast_worker(redis_conn)
    client = app.test_client()

    # The button alone asks for the confirmation and changes nothing.
    asked = _post(client, f"/i/{token}/second-round", {"action": "declined"})
    assert asked.status_code == 302 and "confirm=decline" in asked.headers["Location"]
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "确定不参加复试吗" in page and availability.when(first) in page
    assert Booking.select().count() == 1

    _post(client, f"/i/{token}/second-round", {"action": "declined", "confirm": "yes", "note": "已接受其他公司"})
    run_fast_worker(redis_conn)
    assert Booking.select().count() == 0
    assert [s["status"] for s in _schedules(box, "zhangwei")] != ["active"]
    assert "婉拒了复试" in box.messages("hr_lina")[-1]["body"]["content"]


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_the_candidate_asks_for_another_time_then_declines_with_a_confirmation_on_a_phone(
        wecom_env, backend_job, phone, redis_conn):
    app, app_url, box = wecom_env
    application, token = at_second_round(backend_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (first,) = round_with_slots(application, [start])
    scheduling.book(round_.id, first.id)
    run_fast_worker(redis_conn)
    page = phone

    page.goto(f"{app_url}/i/{token}/second-round")
    page.fill("textarea[name=note]", "下周二下午更方便")
    with page.expect_navigation():
        page.click("[data-testid=other-time]")
    assert "已告知HR你希望换个时间" in page.inner_text("[data-testid=flash]")
    assert availability.when(first) in page.inner_text("[data-testid=booking]")       # still booked
    assert "这个预约仍然有效" in page.inner_text("[data-testid=other-time-pending]")
    shot(page, "round-answer-1-other-time-kept", "process")

    with page.expect_navigation():
        page.click("[data-testid=decline]")
    confirm = page.locator("[data-testid=confirm-decline]")
    assert "确定不参加复试吗" in confirm.inner_text() and availability.when(first) in confirm.inner_text()
    assert confirm.is_visible() and Booking.select().count() == 1
    shot(page, "round-answer-2-decline-confirm", "process")
    with page.expect_navigation():
        page.click("[data-testid=decline-back]")                                    # changed their mind
    assert Booking.select().count() == 1 and page.locator("[data-testid=confirm-decline]").count() == 0

    with page.expect_navigation():
        page.click("[data-testid=decline]")
    page.fill("[data-testid=confirm-decline] textarea[name=note]", "已接受其他公司的offer")
    with page.expect_navigation():
        page.click("[data-testid=decline-confirm]")
    assert "已告知HR你不参加复试" in page.inner_text("[data-testid=flash]")
    assert "你已婉拒复试" in page.inner_text("[data-testid=declined]")
    assert page.locator("[data-testid=slots], [data-testid=decline]").count() == 0     # one state, no offers
    assert Booking.select().count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "round-answer-3-declined", "process")

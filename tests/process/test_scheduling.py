"""Second-round scheduling rules on the real databases: past, unavailable and overlapping slots are refused; of
two candidates booking one slot at once exactly one wins; a reschedule moves the booking."""
import datetime as dt
import threading

import pytest

from app.core.db import database
from app.core.errors import AppError, BadRequest
from app.process import scheduling
from app.process.models import Booking, BusyInterval, ProcessEvent
from tests.process.helpers import at_second_round, available, held_round, hour, round_with_slots


def _code(func):
    with pytest.raises(AppError) as info:
        func()
    return info.value.code


def test_slots_must_be_future_available_and_not_overlapping(app, demo_job, redis_conn):
    application, _ = at_second_round(demo_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (slot,) = round_with_slots(application, [start])
    assert slot.end_at - slot.start_at == dt.timedelta(minutes=60)
    assert BusyInterval.select().where(BusyInterval.slot == slot.id).count() == 2

    assert _code(lambda: scheduling.add_slot(round_.id, start - dt.timedelta(days=3), "hr_lina")) == "slot_in_past"
    # Outside wangfang's window (the window is 8 hours long).
    assert _code(lambda: scheduling.add_slot(round_.id, start + dt.timedelta(hours=9), "hr_lina")) == \
        "interviewer_unavailable"
    # Half an hour into the first slot: both interviewers would be double-booked.
    assert _code(lambda: scheduling.add_slot(round_.id, start + dt.timedelta(minutes=30), "hr_lina")) == \
        "slot_overlaps"
    # Another candidate's round with a panel sharing one interviewer overlaps too.
    other, _ = at_second_round(demo_job, name="王强", phone="13900002222")
    other_round = scheduling.open_round(other.id, "hr_lina", interviewers=["wangfang"], duration_min=30,
                                        fmt="onsite", place="上海总部 12F", check_members=False)
    assert _code(lambda: scheduling.add_slot(other_round.id, start + dt.timedelta(minutes=45), "hr_lina")) == \
        "slot_overlaps"
    # Right after it is fine.
    assert scheduling.add_slot(other_round.id, start + dt.timedelta(hours=1), "hr_lina").start_at == \
        start + dt.timedelta(hours=1)


def test_round_needs_second_round_stage_and_valid_fields(app, demo_job, redis_conn):
    application, _ = at_second_round(demo_job)
    ok = {"interviewers": ["zhangwei"], "duration_min": 60, "fmt": "onsite", "place": "北京", "check_members": False}
    assert _code(lambda: scheduling.open_round(application.id, "hr_lina", **{**ok, "fmt": "onsite", "place": ""})) \
        == "place_required"
    with pytest.raises(BadRequest, match="时长只能是 30、45、60、90、120 分钟") as refused:  # not a Python tuple
        scheduling.open_round(application.id, "hr_lina", **{**ok, "duration_min": 7})
    assert refused.value.code == "bad_duration"
    assert _code(lambda: scheduling.open_round(application.id, "hr_lina", **{**ok, "interviewers": []})) == \
        "bad_panel"
    assert _code(lambda: scheduling.open_round(application.id, "liuyang", **ok)) == "not_job_manager"
    from app.core import pipeline
    pipeline.advance_stage(application.id, "rejected", actor="zhangwei", source="web")
    assert _code(lambda: scheduling.open_round(application.id, "hr_lina", **ok)) == "not_second_round"


def test_two_candidates_booking_one_slot_at_once_exactly_one_wins(any_db_app, demo_job, redis_conn):
    first, _ = at_second_round(demo_job)
    second, _ = at_second_round(demo_job, name="王强", phone="13900002222")
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_a, (slot,) = round_with_slots(first, [start])
    round_b = scheduling.open_round(second.id, "hr_lina", interviewers=["zhangwei", "wangfang"], duration_min=60,
                                    fmt="meeting", check_members=False)
    scheduling.offer_existing(round_b.id, slot.id, "hr_lina")
    barrier = threading.Barrier(2)
    results = {}

    def book(round_id):
        with any_db_app.app_context(), database.connection_context():
            barrier.wait()
            try:
                results[round_id] = scheduling.book(round_id, slot.id).id
            except AppError as exc:
                results[round_id] = exc.code

    threads = [threading.Thread(target=book, args=(r.id,)) for r in (round_a, round_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results.values()))[1] == "slot_taken", results
    assert Booking.select().where(Booking.slot == slot.id).count() == 1
    winner = Booking.get(Booking.slot == slot.id).round_id
    loser = round_b.id if winner == round_a.id else round_a.id
    assert results[loser] == "slot_taken"
    # The loser no longer sees the slot; the winner's booking is audited.
    assert scheduling.open_slots(scheduling.Round.get_by_id(loser)) == []
    assert ProcessEvent.select().where(ProcessEvent.kind == "booked").count() == 1


def test_booking_rules_double_submit_and_reschedule(app, demo_job, redis_conn):
    application, _ = at_second_round(demo_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (one, two) = round_with_slots(application, [start, start + dt.timedelta(hours=2)])
    first = scheduling.book(round_.id, one.id)
    assert scheduling.book(round_.id, one.id).id == first.id  # a double submit changes nothing
    Booking.update(schedule_id="sch1", synced_start=one.start_at).where(Booking.id == first.id).execute()
    moved = scheduling.book(round_.id, two.id)
    assert moved.slot_id == two.id and moved.schedule_id == "sch1" and moved.synced_start == one.start_at
    assert Booking.select().count() == 1
    assert [s.id for s in scheduling.open_slots(round_)] == [one.id]
    assert _code(lambda: scheduling.book(round_.id, 999999)) == "slot_not_offered"
    assert _code(lambda: scheduling.book(round_.id, one.id, now=one.start_at + dt.timedelta(minutes=1))) == \
        "slot_in_past"
    assert _code(lambda: scheduling.answer_without_booking(round_.id, "other_time", "")) == "note_required"
    # Asking for another time keeps the booking until a new time is booked.
    scheduling.answer_without_booking(round_.id, "other_time", "下周二下午")
    assert Booking.get().slot_id == two.id and scheduling.round_of(application.id).candidate_answer == "other_time"
    # Declining needs the candidate's confirmation, then cancels the booking.
    assert _code(lambda: scheduling.answer_without_booking(round_.id, "declined")) == "confirm_required"
    assert Booking.select().count() == 1
    scheduling.answer_without_booking(round_.id, "declined", confirmed=True)
    assert Booking.select().count() == 0 and scheduling.round_of(application.id).candidate_answer == "declined"


def test_interviewers_on_a_panel_may_sign_in(app, demo_job, redis_conn):
    from app.core.staff import load_staff
    application, _ = at_second_round(demo_job)
    assert load_staff("liuyang") is None
    scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei", "liuyang"], duration_min=60,
                          fmt="meeting", check_members=False)
    member = load_staff("liuyang")
    assert member.is_interviewer and not member.is_hr and not member.job_ids
    assert [r.application_id for r in scheduling.rounds_of_interviewer("liuyang")] == [application.id]
    assert load_staff("liu_ang") is None  # "_" is a LIKE wildcard: the panel list is checked exactly


def test_a_manager_on_the_panel_stays_blind_until_their_own_scorecard(app, client, demo_job, redis_conn):
    from app.process import scorecards
    from tests.process.helpers import scorecard_form
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    round_, _ = held_round(application)
    scorecards.submit(round_.id, "wangfang", scorecard_form(round_, 2, "no", comment="王芳的秘密评语"))
    sign_in_as(client, "zhangwei")  # the job's manager, also on the panel
    page = client.get(f"/m/rounds/{round_.id}").get_data(as_text=True)
    assert "王芳的秘密评语" not in page and "side-by-side" not in page and 'data-testid="blind"' in page
    sign_in_as(client, "hr_lina")  # HR, not on the panel
    from app.core.staff import sign_in
    sign_in("wangfang", "王芳")       # a member is named as WeCom names them, not by userid
    page = client.get(f"/m/rounds/{round_.id}").get_data(as_text=True)
    assert "王芳的秘密评语" in page
    assert "<th>王芳</th>" in page and "<th>wangfang</th>" not in page


def test_the_application_page_keeps_a_blind_panel_member_blind(app, client, demo_job, redis_conn):
    """The application page's timeline named each scorecard's recommendation ("提交评分表 · 强烈不推荐"): the job's
    manager on the panel read the others' verdicts there before writing their own."""
    from app.process import scorecards
    from tests.process.helpers import scorecard_form
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    round_, _ = held_round(application)
    scorecards.submit(round_.id, "wangfang", scorecard_form(round_, 2, "strong_no", comment="王芳的秘密评语"))
    sign_in_as(client, "zhangwei")  # the job's manager, also on the panel, no scorecard yet
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "提交评分表" in page                 # that a scorecard came in is no secret (who is missing is shown)
    assert "强烈不推荐" not in page
    scorecards.submit(round_.id, "zhangwei", scorecard_form(round_, 4, "yes"))
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "强烈不推荐" in page                 # their own is in: the trail is whole again
    sign_in_as(client, "hr_lina")
    assert "强烈不推荐" in client.get(f"/m/applications/{application.id}").get_data(as_text=True)


def test_a_refused_scorecard_keeps_what_the_interviewer_wrote(app, client, demo_job, redis_conn):
    """A blank comment passes the browser's `required` (spaces) but not the server: the reason is shown and the
    scores, comments, concerns, recommendation and summary come back as written, for that round only, once."""
    from app.process import scorecards
    from app.process.models import Scorecard
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    round_, _ = held_round(application)
    dims = scorecards.dimensions(round_)
    form = {"recommendation": "yes", "summary": "整体扎实,表达清楚的总评", "concerns": ["表达不清"]}
    for i, _ in enumerate(dims):
        form[f"score_{i}"], form[f"comment_{i}"] = "4", f"第{i + 1}项的详细评语"
    form[f"comment_{len(dims) - 1}"] = "   "
    sign_in_as(client, "wangfang")
    page = client.post(f"/m/rounds/{round_.id}/scorecard", data=form, follow_redirects=True).get_data(as_text=True)
    assert "写评语" in page and not Scorecard.select().exists()
    assert "整体扎实,表达清楚的总评</textarea>" in page and "第1项的详细评语</textarea>" in page
    assert page.count('value="4" required style="width:auto" checked') == len(dims)
    assert 'value="表达不清" style="width:auto" checked' in page and 'value="yes" selected' in page
    assert "整体扎实" not in client.get(f"/m/rounds/{round_.id}").get_data(as_text=True)   # once


def test_the_timeline_names_the_panel_by_name(app, client, demo_job, redis_conn):
    """The round's line in the application's timeline names the interviewers as the round panel does."""
    from app.core.models import StaffUser
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    StaffUser.create(userid="liuyang", name="刘洋")
    sign_in_as(client, "zhangwei", "张伟")
    scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei", "liuyang"], duration_min=60,
                          fmt="onsite", place="北京", check_members=False)
    event = ProcessEvent.get(ProcessEvent.kind == "round_opened")
    assert event.detail == "面试官 张伟、刘洋 · 60分钟 · 现场面试 · 北京"
    sign_in_as(client, "hr_lina", "李娜")
    assert "面试官 张伟、刘洋 · 60分钟" in client.get(f"/m/applications/{application.id}").get_data(as_text=True)


def test_a_refused_slot_keeps_the_time_typed(app, client, demo_job, redis_conn):
    """HR offers a time nobody on the panel is free at: the refusal says so and the time HR typed is still in the
    field, to correct rather than type again."""
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei"], duration_min=60, fmt="onsite",
                          place="北京", check_members=False)
    sign_in_as(client, "hr_lina", "李娜")
    page = client.post(f"/m/applications/{application.id}/slots", data={"start": "2099-01-05T10:00"},
                       follow_redirects=True).get_data(as_text=True)
    assert "没有登记可用时间" in page
    assert 'name="start" required value="2099-01-05T10:00"' in page
    again = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert 'value="2099-01-05T10:00"' not in again   # once: a later visit starts empty


def test_another_interviewers_scorecard_reads_in_the_jobs_dimension_order(app, client, demo_job, redis_conn):
    """Once their own scorecard is in, an interviewer reads the others' marks in the job's dimension order (as the
    form and the side-by-side table), not in the stored JSON's sorted-key order."""
    import re

    from app.process import scorecards
    from tests.process.helpers import scorecard_form
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    round_, _ = held_round(application)
    order = [name for name, _ in scorecards.dimensions(round_)]
    assert order != sorted(order)   # the shipped job's order is not the sorted one
    scorecards.submit(round_.id, "zhangwei", scorecard_form(round_, 4, "yes"))
    scorecards.submit(round_.id, "wangfang", scorecard_form(round_, 3, "no"))
    sign_in_as(client, "wangfang")
    page = client.get(f"/m/rounds/{round_.id}").get_data(as_text=True)
    others = page.split('data-testid="others"')[1].split("</div>")[0]
    assert re.findall(r"<li>(\S+) \d", others) == order


def test_the_sent_notices_read_in_words(app, client, demo_job, redis_conn):
    """已发提醒与通知 names each notice and its recipients in words (复试可预约 → 候选人, 评分表已全部提交 → 张伟),
    never a kind code (slots_offered) or a userid."""
    from app.core.models import StaffUser
    from app.process import notices
    from tests.support.reports import sign_in_as
    application, _ = at_second_round(demo_job)
    StaffUser.create(userid="wangfang", name="王芳")
    available(["zhangwei", "wangfang"], hour())
    round_with_slots(application, [hour()])   # the candidate is told times are offered
    notices.claim("complete-1", application.id, "scorecards_complete", ["zhangwei", "wangfang"])
    sign_in_as(client, "zhangwei", "张伟")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    sent = page.split('data-testid="sent-notices"')[1].split("</ul>")[0]
    assert "复试可预约 → 候选人" in sent and "评分表已全部提交 → 张伟、王芳" in sent
    assert "slots_offered" not in sent and "zhangwei" not in sent and "candidate" not in sent


def test_a_held_second_round_cannot_be_moved_declined_or_asked_to_another_time(app, client, demo_job, redis_conn):
    """Once the booked interview has started the candidate's page offers nothing to change (it offered 改约 to
    the other open slots, 申请其他时间 and 不参加复试: a move deleted the held booking and moved the panel's
    schedule), and the service refuses each of them."""
    application, token = at_second_round(demo_job)
    round_, booking = held_round(application)
    available(["zhangwei", "wangfang"], hour(days=3))
    spare = scheduling.add_slot(round_.id, hour(days=3), "hr_lina")
    assert _code(lambda: scheduling.book(round_.id, spare.id)) == "round_held"
    assert _code(lambda: scheduling.answer_without_booking(round_.id, "other_time", "下周二")) == "round_held"
    assert _code(lambda: scheduling.answer_without_booking(round_.id, "declined", confirmed=True)) == "round_held"
    assert Booking.get().id == booking.id and Booking.get().slot_id == booking.slot_id
    assert scheduling.round_of(application.id).candidate_answer == ""

    page = client.get(f"/i/{token}/second-round").get_data(as_text=True)
    assert "复试已结束" in page
    for offer in ('data-testid="slots"', 'data-testid="other-time"', 'data-testid="decline"',
                  'data-testid="meeting-link"'):
        assert offer not in page


def test_the_status_page_does_not_ask_a_booked_candidate_to_choose_a_time(app, client, demo_job, redis_conn):
    """Its headline said 「HR 发出可选时间后,请在下方选择一个」 whatever the round's state, beside 「复试 · 已约 …」."""
    application, token = at_second_round(demo_job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (slot,) = round_with_slots(application, [start])
    scheduling.book(round_.id, slot.id)
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert f"已约 {scheduling.when(slot)}" in page
    assert "选择" not in page.split('data-testid="process-link"')[0]


def test_a_video_meeting_round_has_no_place(app, client, demo_job, redis_conn):
    """The round form prefills the job's city as its place; a 视频会议 round keeps none (the candidate read
    「企业微信视频会议 · 上海」)."""
    application, token = at_second_round(demo_job)
    round_ = scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei"], duration_min=60,
                                   fmt="meeting", place="上海", check_members=False)
    assert round_.place == ""
    assert "视频会议 · 上海" not in client.get(f"/i/{token}/second-round").get_data(as_text=True)
    onsite = scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei"], duration_min=60,
                                   fmt="onsite", place="上海", check_members=False)
    assert onsite.place == "上海"


def test_a_time_that_is_none_or_leaves_the_calendar_is_refused_in_words(app):
    """The slot and availability forms' times: a value that is no time, or year 1 (which datetime-local inputs
    take; its UTC was an OverflowError, a 500), is refused naming the field once (it read 「Invalid 开始时间」)."""
    from app.process import availability
    for value in ("", "明天上午", "0001-01-01T00:00"):
        with pytest.raises(AppError) as refused:
            availability.parse_local(value, "开始时间")
        assert refused.value.code == "bad_time", value
        assert refused.value.message.startswith("开始时间格式不对") and refused.value.message.count("开始时间") == 1


def test_touching_or_repeated_availability_is_one_window_a_slot_across_the_join_fits(app, demo_job, redis_conn):
    """09:00-12:00 and 12:00-18:00 registered apart left an 11:30 slot 「没有登记可用时间」 (no one window covered
    it), and registering a time twice listed it twice."""
    from app.process import availability
    from app.process.models import InterviewerWindow
    start = hour()
    for begin, hours in ((0, 3), (3, 6), (0, 3), (1, 1)):      # touching, then the same again, then inside
        availability.add_window("zhangwei", start + dt.timedelta(hours=begin),
                                start + dt.timedelta(hours=begin + hours), "hr_lina", check_member=False)
    availability.add_window("wangfang", start, start + dt.timedelta(hours=1), "hr_lina", check_member=False)
    assert [(w.userid, w.start_at, w.end_at) for w in availability.windows_of(["zhangwei", "wangfang"])] == [
        ("wangfang", start, start + dt.timedelta(hours=1)), ("zhangwei", start, start + dt.timedelta(hours=9))]
    assert InterviewerWindow.select().count() == 2
    assert availability.covered("zhangwei", start + dt.timedelta(hours=2, minutes=30),
                                start + dt.timedelta(hours=3, minutes=30))

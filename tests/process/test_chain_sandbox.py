"""The chain from 进入复试 to hired against the WeCom sandbox over HTTP, with a real RQ worker: schedules and
meetings for the panel, reschedule and cancel, reminders on a controlled clock, scorecards (blind), the
decision, an offer in and out of policy (approval through sys_approval_change), acceptance, arrival, user/create."""
import datetime as dt

from app.core import pipeline
from app.core.extensions import settings
from app.core.localtime import local_time
from app.core.models import Application
from app.process import availability, checks, offers, onboarding, reminders, round_decisions, scheduling, scorecards
from app.process.models import Booking, Offer, OfferStatus, ProcessEvent, SentNotice
from tests.conversation.helpers import pdf_bytes, upload, work_until_events_handled
from tests.process.helpers import at_second_round, available, hour, round_with_slots, scorecard_form
from tests.support.wecom import run_fast_worker


def _calendar(box, userid):
    return box.api("get", f"/sandbox/api/calendar/{userid}")


def _scorecard(round_, score, recommendation="yes"):
    return scorecard_form(round_, score, recommendation, concerns=["表达不清"])


def test_from_second_round_to_hired_through_the_sandbox(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, token = at_second_round(backend_job)
    run_fast_worker(redis_conn)  # the stage notices
    start = hour()
    available(["zhangwei", "wangfang"], start)
    # Members are checked through user/get: an unknown interviewer is refused by name.
    try:
        scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei", "nobody"], duration_min=60,
                              fmt="meeting")
        raise AssertionError("an unknown member was accepted")
    except Exception as exc:  # noqa: BLE001
        assert getattr(exc, "code", "") == "unknown_member"
    round_, (first, second) = round_with_slots(application, [start, start + dt.timedelta(hours=2)],
                                               check_members=True)

    booking = scheduling.book(round_.id, first.id)
    run_fast_worker(redis_conn)
    booking = Booking.get_by_id(booking.id)
    assert booking.schedule_id.startswith("sch") and booking.meeting_id and booking.meeting_code
    assert booking.meeting_link.startswith(box.url + "/meeting/")
    for userid in ("zhangwei", "wangfang"):
        cal = _calendar(box, userid)
        (schedule,) = cal["schedules"]
        assert schedule["start_time"] == availability.unix(first.start_at) and schedule["status"] == "active"
        assert schedule["body"]["reminders"]["remind_before_event_secs"] == 3600
        assert "organizer" not in schedule["body"]
        assert [m["code"] for m in cal["meetings"]] == [booking.meeting_code]
        assert "复试已预约" in box.messages(userid)[-1]["body"]["content"]
    assert len(box.requests_to("oa/schedule/add")) == 1 and len(box.requests_to("meeting/create")) == 1

    # The candidate moves to the second slot: the same schedule and meeting are moved, not recreated.
    scheduling.book(round_.id, second.id)
    run_fast_worker(redis_conn)
    assert len(box.requests_to("oa/schedule/add")) == 1 and len(box.requests_to("oa/schedule/update")) == 1
    assert len(box.requests_to("meeting/update")) == 1
    (schedule,) = _calendar(box, "zhangwei")["schedules"]
    assert schedule["start_time"] == availability.unix(second.start_at)
    # The panel is told of the change with both times (not a second 复试已预约); the timeline says it moved.
    moved_text = box.messages("zhangwei")[-1]["body"]["content"]
    assert "复试时间已更改" in moved_text and f"原定 {local_time(first.start_at)}" in moved_text
    kinds = [e.kind for e in ProcessEvent.select().where(ProcessEvent.application == application.id)]
    assert kinds.count("calendar_synced") == 1 and kinds.count("calendar_moved") == 1
    synced = ProcessEvent.get(ProcessEvent.kind == "calendar_synced").detail
    assert "sch" not in synced and "月" in synced and " 周" in synced  # the time in words, not WeCom's schedule id

    # Reminders on a controlled clock: 2 h before, each once.
    before = second.start_at - dt.timedelta(hours=1, minutes=30)
    day_before = second.start_at - dt.timedelta(hours=20)
    assert reminders.run(now=day_before)["before_interview"] == 2  # the 24 h mark: the panel and the candidate
    assert reminders.run(now=day_before)["before_interview"] == 0
    assert reminders.run(now=before)["before_interview"] == 2  # the 2 h mark
    assert reminders.run(now=before)["before_interview"] == 0
    # No scorecard before the interview starts.
    assert _code(lambda: scorecards.submit(round_.id, "zhangwei", _scorecard(round_, 4),
                                           now=before)) == "interview_not_started"

    after = second.end_at + dt.timedelta(minutes=5)
    assert reminders.run(now=after)["scorecard_request"] == 2
    assert reminders.run(now=after)["scorecard_request"] == 0
    card = box.card_sent_as(f"sc-{round_.id}-zhangwei-", "zhangwei")
    assert card["card"]["card_action"]["url"].endswith(f"/m/rounds/{round_.id}")

    dims = scorecards.dimensions(round_)
    assert scorecards.visible_scorecards(round_, "wangfang") == []
    scorecards.submit(round_.id, "zhangwei", _scorecard(round_, 4), now=after)
    assert scorecards.visible_scorecards(round_, "wangfang") == []  # blind until wangfang submits
    assert _code(lambda: scorecards.submit(round_.id, "zhangwei", _scorecard(round_, 5), now=after)) == \
        "scorecard_submitted"
    assert reminders.run(now=after + dt.timedelta(hours=25))["scorecard_overdue"] == 1  # wangfang only
    scorecards.submit(round_.id, "wangfang", _scorecard(round_, 3, "strong_yes"), now=after)
    assert len(scorecards.visible_scorecards(round_, "wangfang")) == 2
    run_fast_worker(redis_conn)
    assert "复试评分表已全部提交" in box.messages("hr_lina")[-1]["body"]["content"]
    rows = scorecards.side_by_side(round_)["rows"]
    assert [r["mean"] for r in rows] == [3.5] * len(dims)

    round_decisions.decide(application.id, "pass", "zhangwei", "技术扎实")
    assert Application.get_by_id(application.id).stage == "background_check"
    run_fast_worker(redis_conn)  # the check starts by itself
    clear_check(app, application.id, token)

    # Within the job's policy: sent at once, no approval.
    offers.save_policy(backend_job, "hr_lina", {"salary_min": "20000", "salary_max": "30000",
                                                "min_notice_days": "7", "probation_months": "3",
                                                "valid_days": "5", "place": "上海"})
    today = offers.today()
    offer = offers.create_offer(application.id, "hr_lina", {"salary": "25000",
                                                            "start_date": (today + dt.timedelta(days=20)).isoformat()})
    assert offer.status == OfferStatus.SENT and offer.breaks == [] and offer.sp_no == ""
    assert Application.get_by_id(application.id).stage == "offer_sent"
    assert box.requests_to("oa/applyevent") == []
    run_fast_worker(redis_conn)
    assert _code(lambda: offers.answer(application.id, True, "李")) == "confirmation_mismatch"
    offers.answer(application.id, True, "李明")
    assert Application.get_by_id(application.id).stage == "onboarding"
    assert _code(lambda: offers.answer(application.id, False, "李明", "不去了")) == "offer_answered"

    run_fast_worker(redis_conn)  # the checklist and the 入职通知
    pdf = upload(app.test_client(), token, "证件.pdf", pdf_bytes(), purpose="hr_document")
    pdf = pdf.get_json()["attachment"]["id"]
    for item in onboarding.items_of(application.id):
        onboarding.submit_item(application.id, item.id, "紧急联系人 李华 13900000000", pdf)
        onboarding.verify_item(application.id, item.id, "hr_lina", True)
    assert _code(lambda: onboarding.confirm_arrival(application.id, "hr_lina", "liming", on=today)) == \
        "before_start_date"
    onboarding.confirm_arrival(application.id, "hr_lina", "liming", on=offer.start_date)
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "hired"
    assert box.api("get", "/cgi-bin/user/get", params={"access_token": _token(box), "userid": "liming"})["name"] \
        == "李明"
    assert "今天入职" in box.messages("zhangwei")[-1]["body"]["content"]
    kinds = {n.kind for n in SentNotice.select().where(SentNotice.application == application.id)}
    assert {"booked", "before_interview", "scorecard_request", "scorecards_complete", "check_started", "account",
            "hired"} <= kinds


def clear_check(app, application_id, token):
    """The candidate consents and submits both items (the file through the resumable upload); HR verifies."""
    order = checks.consent(application_id, True, checks.CONSENT_VERSION)
    education, employment = checks.items_of(order)
    checks.submit_item(application_id, education.id, "A1B2C3D4E5F6")
    res = upload(app.test_client(), token, "离职证明.pdf", pdf_bytes(), purpose="hr_document")
    checks.submit_item(application_id, employment.id, "某科技公司", res.get_json()["attachment"]["id"])
    for item in (education, employment):
        checks.verify_item(application_id, item.id, "hr_lina", True)
    assert checks.cleared(application_id)


def test_offer_outside_policy_needs_the_wecom_approval(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, token = at_second_round(backend_job)
    from app.core import pipeline
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)
    clear_check(app, application.id, token)
    offers.save_policy(backend_job, "hr_lina", {"salary_min": "20000", "salary_max": "30000",
                                                "min_notice_days": "14", "probation_months": "3",
                                                "valid_days": "5", "place": "上海"})
    today = offers.today()
    form = {"salary": "36000", "start_date": (today + dt.timedelta(days=7)).isoformat()}
    # No approval template configured (production's default): refused with the reason, nothing stored or sent.
    settings["WECOM_OFFER_TEMPLATE_ID"] = ""
    assert _code(lambda: offers.create_offer(application.id, "hr_lina", form)) == "approval_not_configured"
    assert offers.offer_of(application.id) is None and not box.requests_to("oa/applyevent")
    assert Application.get_by_id(application.id).stage == "background_check"
    settings["WECOM_OFFER_TEMPLATE_ID"] = "sandbox-offer-template"
    offer = offers.create_offer(application.id, "hr_lina", form)
    assert offer.status == OfferStatus.AWAITING_APPROVAL and len(offer.breaks) == 2 and offer.sp_no
    assert Application.get_by_id(application.id).stage == "offer_approval"
    res = box.api("post", f"/sandbox/api/approvals/{offer.sp_no}", json={"userid": "zhangwei",
                                                                          "action": "approve"})
    box.wait_deliveries(res["deliveries"])
    work_until_events_handled(redis_conn)
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "offer_sent"
    assert Offer.get_by_id(offer.id).status == OfferStatus.SENT
    # Not answered: reminded the day before, expired after its date (the controlled clock).
    expires = Offer.get_by_id(offer.id).expires_on
    day_before = dt.datetime.combine(expires - dt.timedelta(days=1), dt.time(4, 0))
    assert reminders.run(now=day_before)["offer_unanswered"] == 2
    late = dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(4, 0))
    # Accepting after the date is refused even before the sweep expired it.
    assert _code(lambda: offers.answer(application.id, True, "李明", on=expires + dt.timedelta(days=1))) == \
        "offer_expired"
    assert reminders.run(now=late)["offers_expired"] == 1
    assert Offer.get_by_id(offer.id).status == OfferStatus.EXPIRED
    assert Application.get_by_id(application.id).stage == "withdrawn"
    assert _code(lambda: offers.answer(application.id, True, "李明")) == "offer_expired"


def _code(func):
    from app.core.errors import AppError
    try:
        func()
    except AppError as exc:
        return exc.code
    raise AssertionError("no error")


def _token(box):
    from tests.support.wecom import CORP
    return box.api("get", "/cgi-bin/gettoken", params={"corpid": CORP["WECOM_CORP_ID"],
                                                       "corpsecret": CORP["WECOM_SECRET"]})["access_token"]




def test_the_hire_of_a_candidate_with_a_foreign_mobile_gets_a_wecom_account(wecom_env, backend_job, redis_conn):
    """A candidate invited with a UK number: at hire, user/create is given the mobile as WeCom documents it
    ("+44 2079460958"; the stored "+442079460958" was refused, 60103, and the account was not made)."""
    app, app_url, box = wecom_env
    application, _ = at_second_round(backend_job, name="林汤姆", phone="+44 20 7946 0958")
    for stage in ("background_check", "offer_sent"):
        pipeline.advance_stage(application.id, stage, actor="hr_lina", source="web")
    start = offers.today()
    Offer.create(application=application.id, position="后端开发工程师", salary=25000, start_date=start, place="上海",
                 probation_months=3, expires_on=start, status=OfferStatus.ACCEPTED, created_by="hr_lina")
    pipeline.advance_stage(application.id, "onboarding", actor="candidate", source="web")
    run_fast_worker(redis_conn)
    Offer.update(employee_userid="lintom").where(Offer.application == application.id).execute()
    pipeline.advance_stage(application.id, "hired", actor="hr_lina", source="web")
    run_fast_worker(redis_conn)
    assert Offer.get(Offer.application == application.id).account_error == ""
    assert box.api("get", "/sandbox/api/members/lintom") == {"userid": "lintom", "name": "林汤姆",
                                                               "mobile": "+44 2079460958"}

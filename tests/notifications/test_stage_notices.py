"""Phase 2, stage notices: reminders, slots offered, a cancelled booking, the decision and the answer to a data
request go through sending.notify on the candidate's channel (SMS through the sandbox, 微信客服) and link to the
interview their invitation opened; the conversation still gets the page text. SQLite and PostgreSQL, a real RQ
worker, the sandbox over HTTP."""
import datetime as dt

from app.conversation import channels as conversation_channels
from app.conversation.models import Message
from app.core import pipeline
from app.core.base import utcnow
from app.core.localtime import local_time
from app.core.tx import transaction
from app.interview.invitations import invite_candidate
from app.notifications import invitations, sending
from app.notifications.models import Channel, Notice, NoticeDelivery, State
from app.privacy import deletion
from app.process import reminders, scheduling
from tests.process.helpers import at_second_round, available, hour, round_with_slots
from tests.support.app import import_job
from tests.support.wecom import run_fast_worker


def invitation_recorded(application_id, token):
    """An invitation notice carrying the link token, sent on no channel (the interview was opened by
    invite_candidate alone, which tells nobody)."""
    sending.notify(application_id, "invitation", {"name": "李明", "company": "示例科技", "job": "后端开发工程师",
                                                  "deadline": "3月12日18:00", "token": token}, [],
                   idempotency_key=f"invite-setup:{application_id}")


def notices_of(application_id, key):
    return list(Notice.select().where((Notice.application == application_id) & (Notice.notice_key == key)))


def sms_to(box, phone):
    return [m["text"] for m in box.api("get", f"/sandbox/api/sms/{phone}")["messages"]]


def test_the_ai_reminder_goes_by_sms_with_the_invitations_link_once(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    interview, token = invite_candidate(job.id, "李明", "13800004444")
    invitation_recorded(interview.application_id, token)
    run_fast_worker(redis_conn)

    now = interview.expires_at - dt.timedelta(hours=3)
    assert reminders.run(now)["ai_unfinished"] == 2     # the candidate (notice + page) and HR
    assert reminders.run(now)["ai_unfinished"] == 0
    run_fast_worker(redis_conn)
    [text] = sms_to(box, "13800004444")
    assert "李明您好,您的「后端开发工程师」AI面试将于" in text and f"http://testserver/i/{token} 回T退订" in text
    [notice] = notices_of(interview.application_id, "reminder")
    assert notice.state == State.SENDING
    assert Message.select().where((Message.application == interview.application_id)
                                  & Message.body.startswith("提醒:你的 AI 面试还没有完成")).exists()


def test_slots_offered_and_a_cancelled_booking_notify_and_the_decision_too(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    application, token = at_second_round(job, phone="13800005555")
    invitation_recorded(application.id, token)
    start = hour(days=3)
    available(["zhangwei", "wangfang"], start)
    round_, [slot, _] = round_with_slots(application, [start, start + dt.timedelta(hours=2)])
    run_fast_worker(redis_conn)

    [offered] = notices_of(application.id, "slots_offered")            # two slots, one notice that day
    [decision] = notices_of(application.id, "decision")                # second_round: the result changed
    texts = sms_to(box, "13800005555")
    assert len(texts) == 1 and "复试可以预约了" in texts[0] and f"/i/{token}/status" in texts[0]
    assert Notice.get_by_id(offered.id).state == State.SENDING
    held = Notice.get_by_id(decision.id)   # the provider takes one SMS per number per 30 s: held, sent later
    assert held.state == State.HELD and "30秒" in held.reason and held.not_before

    scheduling.book(round_.id, slot.id)
    scheduling.cancel_booking(round_.id, "hr_lina", "面试官出差")
    [cancelled] = notices_of(application.id, "booking_cancelled")
    assert cancelled.values["time"] and cancelled.plan == [{"channel": Channel.SMS, "address": "+8613800005555",
                                                             "via": ""}]
    assert Message.select().where((Message.application == application.id)
                                  & Message.body.contains("的复试已取消")).exists()


def test_on_kf_the_invitation_and_the_rejection_go_in_the_window(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    box.api("post", "/sandbox/api/kf/customer-message", json={"external_userid": "wmLiMing", "content": "你好"})
    interview, token = invite_candidate(job.id, "李明", "13800006666")
    conversation_channels.link(interview.application_id, "kf", "wmLiMing", "wkSandboxRecruit01",
                               last_inbound_at=utcnow())
    sent = invitations.announce(interview, token)
    assert sent["summary"] == "微信客服 → 短信 138****6666"
    run_fast_worker(redis_conn)
    with transaction():
        pipeline.advance_stage(interview.application_id, "rejected", actor="hr_lina", source="web", reason="不合适")
    run_fast_worker(redis_conn)
    bodies = [m["body"] for m in box.api("get", "/sandbox/api/kf/sent/wmLiMing")["messages"]]
    assert len(bodies) == 2 and "邀请您参加" in bodies[0] and "结果已更新" in bodies[1]
    assert f"/i/{token}/status" in bodies[1] and sms_to(box, "13800006666") == []
    kf = NoticeDelivery.select().where(NoticeDelivery.channel == Channel.KF).count()
    assert kf == 2


def test_without_a_known_link_the_notice_is_only_on_the_page_and_a_kept_data_request_is_answered(
        notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    interview, token = invite_candidate(job.id, "李明", "13800007777")   # opened, nobody told: no invitation notice
    with transaction():
        pipeline.advance_stage(interview.application_id, "rejected", actor="hr_lina", source="web", reason="不合适")
    run_fast_worker(redis_conn)
    [decision] = notices_of(interview.application_id, "decision")
    assert decision.plan == [] and decision.state == State.FAILED and "仅状态页可见" in decision.reason

    invitation_recorded(interview.application_id, token)
    request = deletion.request_deletion(interview.application.candidate_id, "candidate", interview.application_id)
    deletion.keep(request.id, "hr_lina", "劳动争议处理中,依法保留")
    run_fast_worker(redis_conn)
    [answered] = notices_of(interview.application_id, "data_request_answered")
    assert answered.state == State.SENDING      # closed application, but this notice announces the answer
    [text] = sms_to(box, "13800007777")
    assert "您的个人信息删除申请已处理" in text and f"/i/{token}/status" in text


def test_the_interview_and_slot_reminders_reach_the_phone_too(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    waiting, waiting_token = at_second_round(job, name="王芳", phone="13800008888")
    booked, booked_token = at_second_round(job, phone="13800009999")
    for application, token in ((waiting, waiting_token), (booked, booked_token)):
        invitation_recorded(application.id, token)
    start = hour(days=3)
    available(["zhangwei", "wangfang"], start)
    round_with_slots(waiting, [start])
    round_, [slot] = round_with_slots(booked, [start + dt.timedelta(hours=2)])
    scheduling.book(round_.id, slot.id)
    run_fast_worker(redis_conn)

    # 23 h before the booked interview, then 49 h after the slots were offered and not chosen; each once
    times = (slot.start_at - dt.timedelta(hours=23), utcnow() + dt.timedelta(hours=49))
    counts = [reminders.run(t) for t in times] + [reminders.run(t) for t in times]
    assert counts[0]["before_interview"] >= 1 and sum(c["slot_not_chosen"] for c in counts[:2]) >= 1
    assert all(c["before_interview"] == c["slot_not_chosen"] == 0 for c in counts[2:])
    run_fast_worker(redis_conn)
    [nudge] = notices_of(waiting.id, "slot_reminder")
    [soon] = notices_of(booked.id, "interview_soon")
    assert soon.values["time"] == local_time(slot.start_at, "%m月%d日%H:%M")
    for notice, token in ((nudge, waiting_token), (soon, booked_token)):
        assert [p["channel"] for p in notice.plan] == [Channel.SMS] and notice.values["token"] == token
        # sent, or held by the provider's one SMS per number per 30 s after the slots-offered SMS
        assert Notice.get_by_id(notice.id).state in (State.SENDING, State.HELD)
    assert Message.select().where((Message.application == booked.id)
                                  & Message.body.startswith("提醒:你的复试在")).exists()

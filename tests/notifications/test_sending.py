"""Notices on real channels: SMS through the sandbox (signed, templates checked, receipts pulled), email over SMTP
with STARTTLS, 微信客服 through the sandbox; sent once, held in quiet hours and over the daily cap, falling back
when a channel fails, stopped by a T reply; SQLite and PostgreSQL, a real RQ worker on real Redis."""
import datetime as dt
import email

import requests

from app.core.extensions import settings
from app.core.models import Application, Candidate
from app.notifications import history, receipts, routing, sending
from app.notifications.models import Channel, Notice, NoticeDelivery, State
from tests.support.app import import_job
from tests.support.wecom import run_fast_worker

CHINA = dt.timezone(dt.timedelta(hours=8))


def china(hour, minute=0, day=10):
    """A naive UTC datetime for hour:minute China time on March `day` 2031."""
    return dt.datetime(2031, 3, day, hour, minute, tzinfo=CHINA).astimezone(dt.UTC).replace(tzinfo=None)


def application(name="李明", phone="13800001234", email_address="", stage="ai_invited"):
    job = import_job("backend-engineer.yaml")
    candidate = Candidate.create(name=name, phone=phone, email=email_address)
    return Application.create(candidate=candidate, job=job, stage=stage)


def invitation_values(name="李明", token="Tok3nAbc"):
    return {"name": name, "company": "示例科技", "job": "后端开发工程师", "deadline": "3月12日 18:00", "token": token}


def invite(app_row, key="invite-1", reach=None, urgent=None, **values):
    reach = reach or routing.Reach(phone="+86" + app_row.candidate.phone, email=app_row.candidate.email)
    notice, created = sending.notify(app_row.id, "invitation", invitation_values(**values),
                                     routing.plan("invitation", reach), idempotency_key=key, urgent=urgent)
    return notice, created


def deliveries(notice):
    return {d.channel: d for d in NoticeDelivery.select().where(NoticeDelivery.notice == notice.id)}


def invitation_sent(redis_conn):
    """An invitation to 13800001234 after the worker ran: (application, notice, its SMS delivery)."""
    row = application()
    notice, created = invite(row)
    assert created
    run_fast_worker(redis_conn)
    return row, notice, deliveries(notice)[Channel.SMS]


def test_an_invitation_sms_goes_once_and_its_receipt_marks_it_delivered(notify_env, redis_conn):
    app, box, _ = notify_env
    row, notice, sms = invitation_sent(redis_conn)
    assert sms.state == State.SENDING and sms.provider_message_id
    [received] = box.api("get", "/sandbox/api/sms/13800001234")["messages"]
    assert received["text"] == sms.text  # the app predicted exactly what the approved template shows
    assert "http://testserver/i/Tok3nAbc" in received["text"] and sms.segments == received["fee"] == 2

    again, created_again = invite(row)
    run_fast_worker(redis_conn)
    assert (again.id, created_again) == (notice.id, False)
    assert len(box.api("get", "/sandbox/api/sms/13800001234")["messages"]) == 1

    assert receipts.pull()["receipts"] == 1
    sms = deliveries(notice)[Channel.SMS]
    assert sms.state == State.DELIVERED and sms.delivered_at is not None
    assert Notice.get_by_id(notice.id).state == State.DELIVERED


def test_a_failed_sms_falls_back_to_email_with_the_link_and_no_tracking(notify_env, redis_conn):
    app, box, mailbox = notify_env
    row = application(phone="13900000000", email_address="liming@example.com")  # the sandbox fails *0000
    notice, _ = invite(row)
    run_fast_worker(redis_conn)
    assert deliveries(notice)[Channel.SMS].state == State.SENDING and mailbox.messages == []

    receipts.pull()
    run_fast_worker(redis_conn)
    got = deliveries(notice)
    assert got[Channel.SMS].state == State.FAILED and got[Channel.SMS].reason.startswith("短信未送达")
    assert got[Channel.EMAIL].state == State.DELIVERED
    assert Notice.get_by_id(notice.id).state == State.DELIVERED
    [mail] = mailbox.messages
    assert mail["to"] == ["liming@example.com"] and mail["tls"]
    message = email.message_from_bytes(mail["data"])
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in message.walk()
             if not p.is_multipart()}
    assert set(parts) == {"text/plain", "text/html"}
    assert "http://testserver/i/Tok3nAbc" in parts["text/plain"] and 'href="http://testserver/i/Tok3nAbc"' in parts[
        "text/html"]
    assert "<img" not in parts["text/html"].lower() and "src=" not in parts["text/html"].lower()
    [shown] = history.for_application(row.id)  # what the timeline will show
    assert (shown["title"], shown["state_label"]) == ("AI面试邀请", "已送达")
    assert [(c["label"], c["state_label"]) for c in shown["channels"]] == [("短信", "失败"), ("邮件", "已送达")]


def test_quiet_hours_hold_an_sms_until_morning_but_not_an_urgent_one(notify_env, redis_conn):
    app, box, _ = notify_env
    settings["SMS_QUIET_HOURS"] = "22:00-08:00"
    row = application()
    notice, _ = invite(row)
    redis_conn.flushdb()  # send it ourselves at a chosen time instead of the worker's now
    assert sending.send_notice(notice.id, now=china(22, 30)) == State.HELD
    held = Notice.get_by_id(notice.id)
    assert held.not_before == china(8, 0, day=11) and "夜间免打扰" in held.reason
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []
    assert sending.send_due(now=china(7, 59, day=11)) == []
    assert sending.send_due(now=china(8, 1, day=11)) == [notice.id]

    urgent_row = application(name="王芳", phone="13700002222")
    urgent, _ = invite(urgent_row, key="moved-today", urgent=True, name="王芳")
    assert sending.send_notice(urgent.id, now=china(23, 10)) == State.SENDING
    assert len(box.api("get", "/sandbox/api/sms/13700002222")["messages"]) == 1


def test_a_held_invitation_whose_link_was_replaced_is_not_sent(notify_env, redis_conn):
    """Invited at night (held until 08:00), then locked out and invited again by HR: at 08:00 the candidate got both
    SMS, the first with a link that only says 「该链接已失效」. The held one is now cancelled; the new one goes."""
    from app.interview.invitations import invite_candidate
    app, box, _ = notify_env
    settings["SMS_QUIET_HOURS"] = "22:00-08:00"
    job = import_job("backend-engineer.yaml")
    first, old_token = invite_candidate(job.id, "李明", "13800001234")
    row = Application.get_by_id(first.application_id)
    old, _ = invite(row, key="invite-old", token=old_token)
    redis_conn.flushdb()  # send them ourselves at chosen times instead of the worker's now
    assert sending.send_notice(old.id, now=china(22, 30)) == State.HELD
    _, new_token = invite_candidate(job.id, "李明", "13800001234")   # HR's new link retires the old one
    new, _ = invite(row, key="invite-new", token=new_token)
    redis_conn.flushdb()
    assert sending.send_notice(new.id, now=china(22, 40)) == State.HELD
    assert sending.send_notice(old.id, now=china(8, 1, day=11)) == State.CANCELLED
    assert "已被新的邀请取代" in Notice.get_by_id(old.id).reason
    assert sending.send_notice(new.id, now=china(8, 1, day=11)) == State.SENDING
    texts = [m["text"] for m in box.api("get", "/sandbox/api/sms/13800001234")["messages"]]
    assert len(texts) == 1 and new_token in texts[0] and old_token not in texts[0]


def second_of_two_held(redis_conn, row):
    """Two invitations to one phone sent at 10:00 and 10:05 China time on March 10th: the first goes, the second is
    held; the held Notice."""
    settings["SMS_QUIET_HOURS"] = "22:00-08:00"
    first, _ = invite(row, key="a")
    second, _ = invite(row, key="b")
    redis_conn.flushdb()  # send them ourselves at chosen times instead of the worker's now
    assert sending.send_notice(first.id, now=china(10, 0)) == State.SENDING
    assert sending.send_notice(second.id, now=china(10, 5)) == State.HELD
    return Notice.get_by_id(second.id)


def test_the_daily_cap_holds_the_next_sms_for_tomorrow(notify_env, redis_conn):
    settings["SMS_DAILY_CAP"] = 1
    held = second_of_two_held(redis_conn, application())
    assert held.not_before == china(8, 0, day=11) and "上限" in held.reason


def test_a_T_reply_stops_notice_sms(notify_env, redis_conn):
    app, box, _ = notify_env
    row = application()
    invite(row, key="first")
    run_fast_worker(redis_conn)
    requests.post(f"{box.url}/sms/13800001234/reply", data={"text": "T"}, timeout=5)
    assert receipts.pull()["replies"] == 1

    notice, _ = invite(row, key="second")  # planned before anyone looked at consent: the sender checks again
    run_fast_worker(redis_conn)
    sms = deliveries(notice)[Channel.SMS]
    assert (sms.state, sms.reason) == (State.FAILED, "候选人已退订短信")
    assert Notice.get_by_id(notice.id).state == State.FAILED
    assert len(box.api("get", "/sandbox/api/sms/13800001234")["messages"]) == 1


def test_a_closed_kf_window_falls_back_to_sms(notify_env, redis_conn):
    app, box, _ = notify_env
    row = application()
    reach = routing.Reach(phone="+8613800001234", kf_customer="wmNeverWrote", kf_account="wkSandboxRecruit01",
                          kf_open=True)
    notice, _ = invite(row, reach=reach)
    run_fast_worker(redis_conn)
    got = deliveries(notice)
    assert got[Channel.KF].state == State.FAILED and "窗口" in got[Channel.KF].reason
    assert got[Channel.SMS].state == State.SENDING
    assert history.kf_sent_since(row.id, dt.datetime(2000, 1, 1)) == 0  # the refused kf message does not count


def test_inside_the_kf_window_the_notice_goes_on_kf_only(notify_env, redis_conn):
    app, box, _ = notify_env
    row = application()
    box.api("post", "/sandbox/api/kf/customer-message", json={"external_userid": "wmLiMing", "content": "你好"})
    reach = routing.Reach(phone="+8613800001234", kf_customer="wmLiMing", kf_account="wkSandboxRecruit01",
                          kf_open=True)
    notice, _ = invite(row, reach=reach)
    run_fast_worker(redis_conn)
    got = deliveries(notice)
    assert set(got) == {Channel.KF} and got[Channel.KF].state == State.DELIVERED
    [sent] = box.api("get", "/sandbox/api/kf/sent/wmLiMing")["messages"]
    assert sent["body"].startswith("李明您好,示例科技邀请您参加") and "http://testserver/i/Tok3nAbc" in sent["body"]
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []
    assert history.kf_sent_since(row.id, dt.datetime(2000, 1, 1)) == 1


def test_a_wrong_template_id_fails_the_sms_with_a_reason_hr_can_act_on(notify_env, redis_conn):
    app, box, _ = notify_env
    settings["SMS_TEMPLATE_IDS"] = {**settings["SMS_TEMPLATE_IDS"], "invitation": "2100011"}  # the decision's text
    notice, _ = invite(application())
    run_fast_worker(redis_conn)
    sms = deliveries(notice)[Channel.SMS]
    assert sms.state == State.FAILED and "SMS_TEMPLATE_IDS" in sms.reason
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []


def test_nothing_is_sent_for_a_closed_application(notify_env, redis_conn):
    app, box, _ = notify_env
    notice, _ = invite(application(stage="withdrawn"))
    run_fast_worker(redis_conn)
    notice = Notice.get_by_id(notice.id)
    assert notice.state == State.CANCELLED and notice.reason.startswith("应聘已结束")
    assert deliveries(notice) == {} and box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []


def test_a_held_invitation_is_not_sent_once_the_interview_is_done(notify_env, redis_conn):
    """Invited at night (the SMS held until 08:00), the candidate opened the link from the status page and finished
    the interview before morning: at 08:00 they got an SMS inviting them to the interview they had done. A held
    invitation or reminder is cancelled once the application has left the interview's stages."""
    from app.core.pipeline import advance_stage
    app, box, _ = notify_env
    settings["SMS_QUIET_HOURS"] = "22:00-08:00"
    row = application()
    notice, _ = invite(row)
    redis_conn.flushdb()  # send it ourselves at chosen times instead of the worker's now
    assert sending.send_notice(notice.id, now=china(22, 30)) == State.HELD
    for stage in ("ai_in_progress", "ai_completed"):
        advance_stage(row.id, stage, actor="system", source="system")
    assert sending.send_notice(notice.id, now=china(8, 1, day=11)) == State.CANCELLED
    assert "面试已完成" in Notice.get_by_id(notice.id).reason
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []

    started = application(name="王芳", phone="13700002222")   # started but not finished: the link still helps
    held, _ = invite(started, key="invite-started", name="王芳")
    redis_conn.flushdb()
    assert sending.send_notice(held.id, now=china(22, 30)) == State.HELD
    advance_stage(started.id, "ai_in_progress", actor="system", source="system")
    assert sending.send_notice(held.id, now=china(8, 1, day=11)) == State.SENDING

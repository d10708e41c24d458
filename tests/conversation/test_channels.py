"""Channels over real HTTP with the WeCom sandbox: 微信客服 in and out with its 48 h / 5-message window,
external-contact message tasks, and HR's WeCom notice of a candidate's messages."""
import datetime as dt

import pytest

from app.conversation import channels, services
from app.conversation.models import ChannelLink, Delivery, Message
from app.core.base import utcnow
from app.core.models import Application, Candidate
from app.wecom import kf
from app.wecom.errors import WeComError
from tests.conversation.helpers import work_until_events_handled
from tests.support.app import import_job
from tests.support.wecom import run_fast_worker

OPEN_KFID = "wkSandboxRecruit01"
CUSTOMER = "wmCandidateLiMing01"


@pytest.fixture
def application(wecom_env):
    job = import_job("backend-engineer.yaml")
    candidate = Candidate.create(name="李明", phone="13800001234")
    return Application.create(candidate=candidate, job=job, stage="ai_scored")


def customer_writes(box, text, hours_ago=0):
    res = box.api("post", "/sandbox/api/kf/customer-message",
                  json={"external_userid": CUSTOMER, "content": text, "hours_ago": hours_ago})
    rows = box.wait_deliveries(res["deliveries"])
    assert [r["status"] for r in rows] == ["delivered"]


def test_a_kf_message_reaches_the_conversation_and_hr_gets_one_notice(wecom_env, application, redis_conn):
    app, app_url, box = wecom_env
    channels.link(application.id, "kf", CUSTOMER, OPEN_KFID)
    customer_writes(box, "你好,我想补充一下项目经历")
    customer_writes(box, "是一个日均百万订单的支付系统")
    work_until_events_handled(redis_conn)

    texts = [m.body for m in Message.select().where(Message.application == application.id).order_by(Message.id)]
    assert texts == ["你好,我想补充一下项目经历", "是一个日均百万订单的支付系统"]
    assert ChannelLink.get(ChannelLink.application == application.id).last_inbound_at is not None
    notices = box.messages("hr_lina")
    assert len(notices) == 1  # one notice for the burst
    assert "李明" in notices[0]["body"]["content"] and f"/m/applications/{application.id}#conversation" in \
        notices[0]["body"]["content"]
    run_fast_worker(redis_conn)  # a rerun of the same callbacks stores nothing twice
    assert Message.select().where(Message.application == application.id).count() == 2


def test_the_sixth_kf_reply_within_the_window_is_held_for_the_status_page(wecom_env, application, redis_conn):
    app, app_url, box = wecom_env
    channels.link(application.id, "kf", CUSTOMER, OPEN_KFID)
    customer_writes(box, "请问结果什么时候出?")
    work_until_events_handled(redis_conn)

    states = []
    for i in range(6):
        _, deliveries = services.post_staff_message(application.id, "hr_lina", f"第{i + 1}条回复")
        states.append(deliveries[0].state)
    assert states == ["queued"] * 5 + ["held"]
    run_fast_worker(redis_conn)

    chat = box.api("get", f"/sandbox/api/kf/{CUSTOMER}")
    assert [m["text"] for m in chat["messages"] if m["from"] == "kf"] == [f"第{i}条回复" for i in range(1, 6)]
    sent = [d.state for d in Delivery.select().order_by(Delivery.id)]
    assert sent == ["sent"] * 5 + ["held"]
    held = Delivery.select().order_by(Delivery.id.desc()).get()
    assert "48小时内最多发5条" in held.detail
    # The sandbox enforces the window itself, as WeCom does.
    with pytest.raises(WeComError) as refused:
        kf.send_text(OPEN_KFID, CUSTOMER, "绕过我们的计数")
    assert refused.value.errcode == 95001
    # The candidate writes again (the replies above went out an hour earlier): a new window opens.
    Delivery.update(created_at=utcnow() - dt.timedelta(hours=1)).execute()
    customer_writes(box, "好的,谢谢")
    work_until_events_handled(redis_conn)
    _, deliveries = services.post_staff_message(application.id, "hr_lina", "不客气")
    assert deliveries[0].state == "queued"


def test_after_48_hours_replies_stay_on_the_status_page(wecom_env, application, redis_conn):
    app, app_url, box = wecom_env
    channels.link(application.id, "kf", CUSTOMER, OPEN_KFID)
    customer_writes(box, "两天前的消息", hours_ago=49)
    work_until_events_handled(redis_conn)
    _, deliveries = services.post_staff_message(application.id, "hr_lina", "抱歉回复晚了")
    assert deliveries[0].state == "held" and "超过48小时" in deliveries[0].detail
    with pytest.raises(WeComError) as refused:
        kf.send_text(OPEN_KFID, CUSTOMER, "窗口外")
    assert refused.value.errcode == 95002


def test_an_external_contact_gets_a_task_hr_confirms(wecom_env, application, redis_conn):
    app, app_url, box = wecom_env
    channels.link(application.id, "external", "wmExternalLiMing", "hr_lina")
    services.post_staff_message(application.id, "hr_lina", "你的逻辑思维能力突出,但对行业知识的了解有待提升。")
    services.post_staff_message(application.id, "hr_lina", "第二条")
    run_fast_worker(redis_conn)

    deliveries = list(Delivery.select().order_by(Delivery.id))
    assert [d.state for d in deliveries] == ["awaiting_confirmation"] * 2
    tasks = box.requests_to("externalcontact/add_msg_template")
    assert len(tasks) == 2 and all(r["errcode"] == 0 for r in tasks)
    first = box.api("post", f"/sandbox/api/ext-tasks/{deliveries[0].detail}/confirm", json={"userid": "hr_lina"})
    assert first["result"] == {"wmExternalLiMing": "sent"}
    second = box.api("post", f"/sandbox/api/ext-tasks/{deliveries[1].detail}/confirm", json={"userid": "hr_lina"})
    assert second["result"] == {"wmExternalLiMing": "refused"}  # the customer's daily cap
    chat = box.api("get", "/sandbox/api/kf/wmExternalLiMing")["messages"]
    assert [m["text"] for m in chat] == ["你的逻辑思维能力突出,但对行业知识的了解有待提升。"]

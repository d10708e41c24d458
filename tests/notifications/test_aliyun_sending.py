"""Notices and codes with SMS_PROVIDER=aliyun, through the sandbox's Aliyun SMS over HTTP: sent once, the receipt
(QuerySendDetails) marks it 已送达 or 失败 and falls back to email, Aliyun's limit holds it, a wrong TemplateCode fails
it with the setting to fix, codes reach the phone, a "T" reply pushed back stops notice SMS; SQLite and PostgreSQL,
a real RQ worker on real Redis."""
import re
import time

import requests

from app.core import phones
from app.core.extensions import settings
from app.notifications import consent, receipts
from app.notifications.models import Channel, Notice, NoticeDelivery, PhoneCode, State
from tests.notifications.test_sending import application, china, deliveries, invitation_sent, invite, second_of_two_held
from tests.support.servers import Served
from tests.support.wecom import run_fast_worker


def received(box, phone="13800001234"):
    return box.api("get", f"/sandbox/api/sms/{phone}")["messages"]


def test_an_invitation_goes_once_and_query_send_details_marks_it_delivered(aliyun_env, redis_conn):
    app, box, _ = aliyun_env
    row, notice, sms = invitation_sent(redis_conn)
    assert sms.state == State.SENDING and sms.provider_message_id.endswith("^0")
    [got] = received(box)
    assert got["text"] == sms.text and sms.text.startswith("【面试官示例】李明您好")  # predicted exactly
    assert "http://testserver/i/Tok3nAbc" in got["text"] and sms.segments == got["fee"] == 2

    invite(row)  # the same idempotency key: nothing new goes out
    run_fast_worker(redis_conn)
    assert len(received(box)) == 1

    assert receipts.pull() == {"receipts": 1, "replies": 0}
    sms = deliveries(notice)[Channel.SMS]
    assert sms.state == State.DELIVERED and sms.delivered_at is not None
    assert Notice.get_by_id(notice.id).state == State.DELIVERED
    assert receipts.pull() == {"receipts": 0, "replies": 0}  # nothing left to ask about


def test_a_failed_receipt_falls_back_to_email_and_a_missing_one_keeps_it_sending(aliyun_env, redis_conn):
    app, box, mailbox = aliyun_env
    off = application(phone="13900000000", email_address="liming@example.com")  # the sandbox fails *0000
    silent = application(name="王芳", phone="13700009999")  # *9999: no receipt yet
    failed, _ = invite(off)
    waiting, _ = invite(silent, key="invite-2", name="王芳")
    run_fast_worker(redis_conn)
    assert receipts.pull()["receipts"] == 1
    run_fast_worker(redis_conn)
    got = deliveries(failed)
    assert (got[Channel.SMS].state, got[Channel.SMS].reason) == (State.FAILED, "短信未送达:MK:0001")
    assert got[Channel.EMAIL].state == State.DELIVERED and mailbox.messages[0]["to"] == ["liming@example.com"]
    assert deliveries(waiting)[Channel.SMS].state == State.SENDING


def test_aliyuns_per_number_limit_holds_the_notice_until_morning(aliyun_env, redis_conn):
    app, box, _ = aliyun_env
    held = second_of_two_held(redis_conn, application())  # the sandbox allows one notice per template in 24 h
    assert held.not_before == china(8, 0, day=11) and "阿里云流控" in held.reason and "03-11 08:00" in held.reason
    assert len(received(box)) == 1


def test_a_wrong_template_code_fails_the_sms_with_the_setting_to_fix(aliyun_env, redis_conn):
    app, box, mailbox = aliyun_env
    codes = settings["ALIYUN_SMS_TEMPLATE_CODES"]
    settings["ALIYUN_SMS_TEMPLATE_CODES"] = {**codes, "invitation": codes["decision"]}  # other variables
    notice, _ = invite(application(email_address="liming@example.com"))
    run_fast_worker(redis_conn)
    got = deliveries(notice)
    assert got[Channel.SMS].state == State.FAILED and "ALIYUN_SMS_TEMPLATE_CODES" in got[Channel.SMS].reason
    assert got[Channel.EMAIL].state == State.DELIVERED and received(box) == []
    settings["ALIYUN_SMS_TEMPLATE_CODES"] = {k: v for k, v in codes.items() if k != "invitation"}
    notice, _ = invite(application(name="王芳", phone="13700002222"), key="invite-2", name="王芳")
    run_fast_worker(redis_conn)
    assert deliveries(notice)[Channel.SMS].reason == "未配置短信模板 invitation(ALIYUN_SMS_TEMPLATE_CODES)"


def ask(client, phone="13800001234"):
    return client.post("/api/notifications/phone-codes", json={"phone": phone, "purpose": "data_export"},
                       environ_base={"REMOTE_ADDR": "10.0.0.1"})


def test_a_code_reaches_the_phone_and_proves_it(aliyun_env):
    app, box, _ = aliyun_env
    client = app.test_client()
    assert ask(client).status_code == 200
    page = requests.get(f"{box.url}/sms/13800001234", timeout=5).text
    code = re.search(r'aria-label="验证码">(\d{6})<', page).group(1)
    res = client.post("/api/notifications/phone-codes/verify", json={
        "phone": "13800001234", "purpose": "data_export", "code": code}, environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert res.status_code == 200 and res.json["verified"] is True


def test_aliyuns_refusals_of_a_code_answer_clearly_and_keep_no_code(aliyun_env):
    app, box, _ = aliyun_env
    client = app.test_client()
    for phone, answer, message, status, error in (  # a phone each: the app allows one code a minute per phone
            ("13800000001", "isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5", 429, "too_many_code_requests"),
            ("13800000002", "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号", 400, "phone_invalid"),
            ("13800000003", "isv.AMOUNT_NOT_ENOUGH", "账户余额不足", 503, "sms_failed"),
            ("13800000004", "SignatureDoesNotMatch", "Specified signature is not matched", 503, "sms_failed")):
        box.api("post", "/aliyun-sms/sandbox/next-answer", json={"code": answer, "message": message})
        res = ask(client, phone=phone)
        assert (res.status_code, res.json["error"]["code"]) == (status, error), answer
    assert PhoneCode.select().count() == 0 and NoticeDelivery.select().count() == 0


def test_a_number_the_provider_refuses_is_told_in_the_phone_rules_words(aliyun_env):
    """A number Aliyun says does not exist and one the phone rules refuse get one message, the phones module's:
    the code's refusal had its own wording."""
    app, box, _ = aliyun_env
    client = app.test_client()
    box.api("post", "/aliyun-sms/sandbox/next-answer",
            json={"code": "isv.MOBILE_NUMBER_ILLEGAL", "message": "非法手机号"})
    by_provider, by_rules = ask(client, phone="13800000002"), ask(client, phone="12345")
    for res in (by_provider, by_rules):
        assert res.status_code == 400 and res.json["error"] == {"code": "phone_invalid",
                                                                 "message": phones.NOT_MAINLAND_MOBILE}, res.json


def pushes(box, phone="13800001234"):
    return box.api("get", f"/aliyun-sms/sandbox/pushes/{phone}")["pushes"]


def test_a_T_reply_pushed_by_aliyun_stops_notice_sms(aliyun_env, redis_conn):
    app, box, _ = aliyun_env
    row, _, _ = invitation_sent(redis_conn)
    served = Served(app)  # Aliyun pushes to the app's public URL
    box.app.config["SANDBOX"]["sms_link_base"] = served.url
    try:
        requests.post(f"{box.url}/sms/13800001234/reply", data={"text": " t "}, timeout=5)
        deadline = time.monotonic() + 30
        while pushes(box)[0]["status"] not in ("delivered", "failed") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        served.stop()
    [push] = pushes(box)
    assert (push["status"], push["attempts"], push["last_status"]) == ("delivered", 1, 200)
    assert push["body"][0]["phone_number"] == "13800001234" and push["body"][0]["content"] == "t"
    assert consent.opted_out("+8613800001234")

    notice, _ = invite(row, key="second")
    run_fast_worker(redis_conn)
    sms = deliveries(notice)[Channel.SMS]
    assert (sms.state, sms.reason) == (State.FAILED, "候选人已退订短信") and len(received(box)) == 1


def test_the_reply_url_wants_its_secret_and_a_json_array(aliyun_env):
    app, box, _ = aliyun_env
    client = app.test_client()
    url = f"/sms/aliyun/replies/{settings['ALIYUN_SMS_UP_TOKEN']}"
    stop = [{"phone_number": "13800001234", "content": "退订", "send_time": "2026-12-07 10:00:00",
             "dest_code": "1234", "sequence_id": "1"}]
    assert client.post("/sms/aliyun/replies/guess", json=stop).status_code == 404
    for body in ({"phone_number": "13800001234"}, ["T"], "T"):
        res = client.post(url, json=body)
        assert res.status_code == 400 and res.json["code"] == 1 and "JSON数组" in res.json["msg"]
    assert not consent.opted_out("13800001234")
    res = client.post(url, json=[{"phone_number": "13800001234", "content": "好的,谢谢"}])
    assert (res.status_code, res.json) == (200, {"code": 0, "msg": "接收成功", "stopped": 0})
    assert not consent.opted_out("13800001234")
    assert client.post(url, json=stop).json == {"code": 0, "msg": "接收成功", "stopped": 1}
    assert consent.opted_out("13800001234")
    settings["ALIYUN_SMS_UP_TOKEN"] = ""  # not configured: the URL does not exist
    assert client.post(url, json=stop).status_code == 404

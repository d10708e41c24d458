"""SMS codes that prove a phone, through the JSON endpoints and the sandbox's SMS over real HTTP."""
import datetime as dt
import re

import requests

from app.core.base import utcnow
from app.core.extensions import settings
from app.notifications import codes
from app.notifications.models import PhoneCode, SmsConsent

PHONE = "13800001234"


def ask(client, phone=PHONE, purpose="data_export", ip="10.0.0.1"):
    return client.post("/api/notifications/phone-codes", json={"phone": phone, "purpose": purpose},
                       environ_base={"REMOTE_ADDR": ip})


def check(client, code, phone=PHONE, purpose="data_export", ip="10.0.0.1"):
    return client.post("/api/notifications/phone-codes/verify", json={"phone": phone, "purpose": purpose,
                                                                      "code": code}, environ_base={"REMOTE_ADDR": ip})


def code_on_phone(box, phone=PHONE):
    """The code as the sandbox phone page shows it (the newest SMS)."""
    page = requests.get(f"{box.url}/sms/{phone}", timeout=5).text
    return re.search(r'aria-label="验证码">(\d{6})<', page).group(1)


def test_a_code_proves_the_phone_once(notify_env):
    app, box, _ = notify_env
    client = app.test_client()
    res = ask(client)
    assert res.status_code == 200 and res.json == {"phone": "138****1234", "expires_in": 300, "resend_in": 60}
    code = code_on_phone(box)
    assert "您的验证码为" + code in requests.get(f"{box.url}/sms/{PHONE}", timeout=5).text
    row = PhoneCode.get()
    assert code not in repr(PhoneCode.select().dicts()[:]) and len(row.code_hash) == 64  # only the HMAC is stored

    wrong = check(client, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 400 and wrong.json["error"]["code"] == "code_wrong"
    assert "还可以再试 4 次" in wrong.json["error"]["message"]
    ok = check(client, code)
    assert ok.status_code == 200 and ok.json["verified"]
    proof = ok.json["proof"]
    assert codes.check_proof(proof, "+86 138 0000 1234", "data_export")
    assert not codes.check_proof(proof, PHONE, "data_deletion") and not codes.check_proof(proof, "13900001234",
                                                                                           "data_export")
    assert not codes.check_proof(proof + "x", PHONE, "data_export")
    again = check(client, code)
    assert again.status_code == 400 and again.json["error"]["code"] == "code_expired"


def test_five_wrong_tries_use_the_code_up(notify_env):
    app, box, _ = notify_env
    client = app.test_client()
    ask(client)
    code = code_on_phone(box)
    wrong = "000000" if code != "000000" else "111111"
    answers = [check(client, wrong).json["error"]["code"] for _ in range(5)]
    assert answers == ["code_wrong"] * 4 + ["code_tries_used"]
    late = check(client, code)
    assert late.status_code == 429 and late.json["error"]["code"] == "code_tries_used"


def test_an_expired_code_is_refused(notify_env):
    app, box, _ = notify_env
    client = app.test_client()
    ask(client)
    PhoneCode.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    res = check(client, code_on_phone(box))
    assert res.status_code == 400 and res.json["error"]["code"] == "code_expired"
    assert "重新获取" in res.json["error"]["message"]


def test_asking_is_limited_per_phone_and_per_address(notify_env):
    app, box, _ = notify_env
    client = app.test_client()
    assert ask(client).status_code == 200
    again = ask(client, ip="10.0.0.2")
    assert again.status_code == 429 and again.json["error"]["code"] == "too_many_code_requests"
    assert "秒后再重新获取" in again.json["error"]["message"] and int(again.headers["Retry-After"]) > 0
    statuses = [ask(client, phone=f"1390000{n:04d}", ip="10.9.9.9").status_code for n in range(1, 12)]
    assert statuses == [200] * 10 + [429]


def test_all_phones_together_are_limited_per_hour(notify_env):
    app, box, _ = notify_env
    settings["SMS_CODES_PER_HOUR"] = 2
    client = app.test_client()
    statuses = [ask(client, phone=f"1370000{n:04d}", ip=f"10.1.0.{n}") for n in range(1, 4)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert "验证码服务繁忙" in statuses[2].json["error"]["message"]


def test_bad_input_gets_a_clear_error_and_sends_nothing(notify_env):
    app, box, _ = notify_env
    client = app.test_client()
    bad_phone = ask(client, phone="12345")
    assert bad_phone.status_code == 400 and bad_phone.json["error"]["code"] == "phone_invalid"
    bad_purpose = ask(client, purpose="anything")
    assert bad_purpose.status_code == 400 and bad_purpose.json["error"]["code"] == "purpose_invalid"
    not_json = client.post("/api/notifications/phone-codes", data="phone=1", content_type="text/plain")
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "bad_json"
    short = check(client, "12")
    assert short.status_code == 400 and short.json["error"]["code"] == "code_format"
    assert box.api("get", f"/sandbox/api/sms/{PHONE}")["messages"] == []


def test_an_unsubscribed_phone_still_gets_the_code_it_asked_for(notify_env):
    app, box, _ = notify_env
    SmsConsent.create(phone="+86" + PHONE, opted_out=True, source="link")
    requests.post(f"{box.url}/sms/{PHONE}/reply", data={"text": "T"}, timeout=5)  # the provider blocks notices too
    assert ask(app.test_client()).status_code == 200
    assert len(box.api("get", f"/sandbox/api/sms/{PHONE}")["messages"]) == 1

"""The app's Aliyun SMS client against the sandbox over real HTTP: the RPC signature, the TemplateCode, signature and
parameter checks, every SendSms code of the client's table, Aliyun's per-number limits, and QuerySendDetails."""
import datetime as dt
import json

import pytest
import requests

from app.core.base import utcnow
from app.notifications.providers import acs_rpc, aliyun_sms, sms_base
from app.notifications.providers.aliyun_sms import AliyunSms
from app.notifications.providers.sms_base import SmsError, SmsRetryableError
from config.notify_settings import SANDBOX_ALIYUN_SMS as KEYS
from config.notify_settings import SANDBOX_ALIYUN_TEMPLATE_CODES as CODES
from tests.support.servers import free_port

PHONE = "+8613800001234"


def client(sandbox, **overrides):
    kwargs = dict(endpoint=f"{sandbox.url}/aliyun-sms", access_key_id=KEYS["ALIYUN_SMS_ACCESS_KEY_ID"],
                  access_key_secret=KEYS["ALIYUN_SMS_ACCESS_KEY_SECRET"], sign_name=KEYS["ALIYUN_SMS_SIGN_NAME"])
    kwargs.update(overrides)
    return AliyunSms(**kwargs)


def code(value="123456"):
    return {"code": value, "minutes": "5"}


def decision(token="tok"):
    return {"name": "李明", "job": "后端开发工程师", "token": token}


def age(sandbox, seconds, phone="13800001234"):
    sandbox.api("post", f"/sandbox/api/sms/{phone}/age", json={"seconds": seconds})


def test_a_signed_send_reaches_the_phone_page_with_the_approved_text(sandbox):
    values = {"name": "李明", "company": "示例科技", "job": "后端开发工程师", "deadline": "3月8日 18:00",
              "token": "AbC123xYz"}
    [status] = client(sandbox).send([PHONE], CODES["invitation"], values)
    assert status.ok and status.serial_no.endswith("^0") and status.phone == PHONE
    page = requests.get(f"{sandbox.url}/sms/13800001234", timeout=5).text
    assert "【面试官示例】李明您好,示例科技邀请您参加「后端开发工程师」AI面试,请于3月8日 18:00(北京时间)前完成" in page
    assert 'href="http://127.0.0.1:5000/i/AbC123xYz"' in page


@pytest.mark.parametrize("overrides,expected", [
    ({"access_key_secret": "not-the-secret"}, "SignatureDoesNotMatch"),
    ({"access_key_id": "LTAIsomebodyElse"}, "InvalidAccessKeyId.NotFound"),
])
def test_bad_credentials_are_refused_with_aliyuns_codes(sandbox, overrides, expected):
    with pytest.raises(SmsError) as info:
        client(sandbox, **overrides).send([PHONE], CODES["code"], code())
    assert info.value.code == expected and not isinstance(info.value, SmsRetryableError)
    assert sandbox.api("get", "/aliyun-sms/sandbox/13800001234")["messages"] == []


def _post(sandbox, params):
    return requests.post(f"{sandbox.url}/aliyun-sms/", data=params, timeout=5)


def test_a_changed_parameter_an_old_timestamp_or_a_reused_nonce_is_refused(sandbox):
    args = (KEYS["ALIYUN_SMS_ACCESS_KEY_ID"], KEYS["ALIYUN_SMS_ACCESS_KEY_SECRET"], "SendSms", "2017-05-25")
    params = {"PhoneNumbers": "13800001234", "SignName": KEYS["ALIYUN_SMS_SIGN_NAME"],
              "TemplateCode": CODES["code"], "TemplateParam": json.dumps(code())}
    signed = acs_rpc.signed(*args, params)
    tampered = _post(sandbox, {**signed, "PhoneNumbers": "13900009999"})
    assert (tampered.status_code, tampered.json()["Code"]) == (400, "SignatureDoesNotMatch")
    old = _post(sandbox, acs_rpc.signed(*args, params, when=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=20)))
    assert (old.status_code, old.json()["Code"]) == (400, "InvalidTimeStamp.Expired")
    assert _post(sandbox, signed).json()["Code"] == "OK"
    again = _post(sandbox, signed)
    assert (again.status_code, again.json()["Code"]) == (400, "SignatureNonceUsed")


@pytest.mark.parametrize("template,params,sign,phone,expected,verdict,setting", [
    ("SMS_000000", code(), None, PHONE, "isv.SMS_TEMPLATE_ILLEGAL", sms_base.FAILED, "ALIYUN_SMS_TEMPLATE_CODES"),
    (CODES["decision"], {"name": "李明", "job": "x"}, None, PHONE, "isv.TEMPLATE_MISSING_PARAMETERS",
     sms_base.FAILED, "ALIYUN_SMS_TEMPLATE_CODES"),
    (CODES["decision"], decision("https://evil.example/x"), None, PHONE, "isv.PARAM_NOT_SUPPORT_URL",
     sms_base.FAILED, "网址"),
    (CODES["code"], code(), "别的签名", PHONE, "isv.SMS_SIGNATURE_ILLEGAL", sms_base.FAILED, "ALIYUN_SMS_SIGN_NAME"),
    (CODES["code"], code(), None, "+861234", "isv.MOBILE_NUMBER_ILLEGAL", sms_base.BAD_NUMBER, "手机号无效"),
])
def test_template_signature_parameter_and_number_checks(sandbox, template, params, sign, phone, expected, verdict,
                                                        setting):
    overrides = {"sign_name": sign} if sign else {}
    [status] = client(sandbox, **overrides).send([phone], template, params)
    assert (status.ok, status.code, status.verdict) == (False, expected, verdict) and setting in status.reason


# Codes the sandbox cannot reach by itself (balance, console quotas, keyword lists): it answers them when asked.
BUSINESS = [
    ("isv.AMOUNT_NOT_ENOUGH", sms_base.FAILED, "余额不足"),
    ("isv.OUT_OF_SERVICE", sms_base.FAILED, "停机"),
    ("isv.DAY_LIMIT_CONTROL", sms_base.FAILED, "日发送量限额"),
    ("isv.MONTH_LIMIT_CONTROL", sms_base.FAILED, "月发送量限额"),
    ("isv.BLACK_KEY_CONTROL_LIMIT", sms_base.FAILED, "黑名单关键字"),
    ("isv.SMS_CONTENT_ILLEGAL", sms_base.FAILED, "禁止发送"),
    ("isv.INVALID_JSON_PARAM", sms_base.FAILED, "JSON"),
    ("isv.PARAM_LENGTH_LIMIT", sms_base.FAILED, "长度"),
    ("isv.SMS_SIGN_ILLEGAL", sms_base.FAILED, "ALIYUN_SMS_SIGN_NAME"),
    ("isv.SIGN_STATE_ILLEGAL", sms_base.FAILED, "不可用"),
    ("isv.SMS_SIGNATURE_SCENE_ILLEGAL", sms_base.FAILED, "通用签名"),
    ("isv.DOMESTIC_NUMBER_NOT_SUPPORTED", sms_base.FAILED, "国内消息模板"),
    ("isv.PRODUCT_UN_SUBSCRIPT", sms_base.FAILED, "未开通"),
    ("isv.PRODUCT_UNSUBSCRIBE", sms_base.FAILED, "未开通"),
    ("isv.ACCOUNT_NOT_EXISTS", sms_base.FAILED, "ALIYUN_SMS_ACCESS_KEY_ID"),
    ("isv.ACCOUNT_ABNORMAL", sms_base.FAILED, "账号异常"),
    ("isv.DENY_IP_RANGE", sms_base.FAILED, "中国内地"),
    ("isv.SOMETHING_NEW", sms_base.FAILED, "短信发送失败:isv.SOMETHING_NEW"),
]


@pytest.mark.parametrize("answer,verdict,words", BUSINESS)
def test_each_business_code_fails_with_a_reason_naming_what_to_fix(sandbox, answer, verdict, words):
    sandbox.api("post", "/aliyun-sms/sandbox/next-answer", json={"code": answer, "message": "…"})
    [status] = client(sandbox).send([PHONE], CODES["code"], code())
    assert (status.ok, status.code, status.verdict) == (False, answer, verdict) and words in status.reason


def test_every_code_of_the_clients_table_is_exercised_here():
    reached_by_the_sandbox = {"isv.MOBILE_NUMBER_ILLEGAL", "isv.SMS_TEMPLATE_ILLEGAL",
                              "isv.TEMPLATE_MISSING_PARAMETERS", "isv.PARAM_NOT_SUPPORT_URL",
                              "isv.SMS_SIGNATURE_ILLEGAL"}
    table = set(aliyun_sms.FAILURES) | set(aliyun_sms.BAD_NUMBERS)
    assert table <= reached_by_the_sandbox | {answer for answer, _, _ in BUSINESS}


@pytest.mark.parametrize("answer,status,retryable", [
    ("Throttling.User", 400, True),
    ("ServiceUnavailable", 503, True),
    ("InternalError", 500, True),
    ("isp.SYSTEM_ERROR", 200, True),
    ("isp.RAM_PERMISSION_DENY", 200, False),
    ("isv.SMS_TEMPLATE_ILLEGAL", 503, True),  # a 5xx is the service's failure whatever the code
])
def test_throttling_and_outages_are_retried_and_a_permission_refusal_is_not(sandbox, answer, status, retryable):
    sandbox.api("post", "/aliyun-sms/sandbox/next-answer", json={"code": answer, "status": status})
    with pytest.raises(SmsError) as info:
        client(sandbox).send([PHONE], CODES["code"], code())
    assert info.value.code == answer and isinstance(info.value, SmsRetryableError) is retryable


def test_a_network_failure_is_retried():
    with pytest.raises(SmsRetryableError) as info:
        AliyunSms(endpoint=f"http://127.0.0.1:{free_port()}", access_key_id="x", access_key_secret="y",
                  sign_name="z", timeout=2).send([PHONE], "SMS_1", code())
    assert info.value.code == "NetworkError"


def test_codes_are_limited_1_a_minute_5_an_hour_10_a_day_and_each_limit_holds_as_long(sandbox):
    sms = client(sandbox)
    assert sms.send([PHONE], CODES["code"], code("111111"))[0].ok
    minute, = sms.send([PHONE], CODES["code"], code("222222"))
    assert (minute.code, minute.verdict, minute.hold) == ("isv.BUSINESS_LIMIT_CONTROL", sms_base.HOLD, 65)
    assert minute.message == "触发分钟级流控Permits:1" and "1分钟" in minute.reason
    for n in range(4):
        age(sandbox, 61)
        assert sms.send([PHONE], CODES["code"], code(f"{n}33333"))[0].ok
    age(sandbox, 61)
    hour, = sms.send([PHONE], CODES["code"], code("444444"))
    assert (hour.message, hour.hold) == ("触发小时级流控Permits:5", 3600)
    for n in range(5):
        age(sandbox, 3601)
        assert sms.send([PHONE], CODES["code"], code(f"{n}55555"))[0].ok
    age(sandbox, 3601)
    day, = sms.send([PHONE], CODES["code"], code("666666"))
    assert (day.message, day.hold) == ("触发天级流控Permits:10", sms_base.MORNING) and "{until}" in day.reason
    assert sms.send(["+8613900005678"], CODES["code"], code("777777"))[0].ok  # another number is not limited
    assert sms.send([PHONE], CODES["decision"], decision())[0].ok  # notices count apart from codes


def test_notices_are_limited_per_template_and_number_in_24_hours(tmp_path):
    from tests.support.wecom import start_sandbox
    box = start_sandbox(tmp_path, aliyun_notices_per_day=1)
    try:
        sms = client(box)
        assert sms.send([PHONE], CODES["decision"], decision())[0].ok
        held, = sms.send([PHONE], CODES["decision"], decision())
        assert (held.message, held.verdict, held.hold) == ("触发天级流控Permits:1", sms_base.HOLD, sms_base.MORNING)
        assert sms.send([PHONE], CODES["reminder"], {"name": "李明", "job": "x", "deadline": "明天",
                                                     "token": "t"})[0].ok  # another template
    finally:
        box.stop()


def test_query_send_details_says_delivered_failed_or_waiting(sandbox):
    sms = client(sandbox)
    sent = {phone: sms.send([phone], CODES["decision"], decision())[0]
            for phone in ("+8613800001234", "+8613900000000", "+8613700009999")}
    now = utcnow()
    delivered = sms.receipt("+8613800001234", sent["+8613800001234"].serial_no, now)
    assert delivered.delivered and delivered.description == "DELIVERED"
    assert abs((delivered.received_at - now).total_seconds()) < 60  # China time read back as UTC
    failed = sms.receipt("+8613900000000", sent["+8613900000000"].serial_no, now)
    assert (failed.delivered, failed.description) == (False, "MK:0001")
    assert sms.receipt("+8613700009999", sent["+8613700009999"].serial_no, now) is None  # no receipt yet
    assert sms.receipt("+8613800001234", "123^0", now) is None  # not ours
    other_day = sms.query_details("+8613800001234", sent["+8613800001234"].serial_no,
                                  dt.date.today() - dt.timedelta(days=2))
    assert other_day == []  # SendDate is part of the question
    assert sandbox.api("get", "/sandbox/api/sms/13900000000")["messages"] == []  # never arrived

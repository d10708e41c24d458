"""The app's Tencent SMS client against the sandbox over real HTTP: signatures, templates, limits, receipts, replies."""
import json
import time

import pytest
import requests

from app.notifications.providers import tc3
from app.notifications.providers.sms_base import SmsError
from app.notifications.providers.tencent_sms import TencentSms
from config.notify_settings import SANDBOX_SMS
from config.notify_settings import SANDBOX_SMS_TEMPLATE_IDS as IDS

PHONE = "+8613800001234"


def client(sandbox, **overrides):
    kwargs = dict(endpoint=sandbox.url, secret_id=SANDBOX_SMS["SMS_SECRET_ID"],
                  secret_key=SANDBOX_SMS["SMS_SECRET_KEY"], region="ap-guangzhou",
                  app_id=SANDBOX_SMS["SMS_SDK_APP_ID"], sign_name=SANDBOX_SMS["SMS_SIGN_NAME"])
    kwargs.update(overrides)
    return TencentSms(**kwargs)


def invitation(token="AbC123xYz"):
    return ["李明", "示例科技", "后端开发工程师", "3月8日 18:00", token]


def test_a_signed_send_reaches_the_phone_page_with_the_approved_text(sandbox):
    [status] = client(sandbox).send([PHONE], IDS["invitation"], invitation())
    assert status.ok and status.serial_no and status.fee == 2  # 71+ characters: two SMS
    page = requests.get(f"{sandbox.url}/sms/13800001234", timeout=5).text
    assert "【面试官示例】李明您好,示例科技邀请您参加「后端开发工程师」AI面试,请于3月8日 18:00(北京时间)前完成" in page
    assert 'href="http://127.0.0.1:5000/i/AbC123xYz"' in page and "回T退订" in page


@pytest.mark.parametrize("overrides,code", [
    ({"secret_key": "not-the-key"}, "AuthFailure.SignatureFailure"),
    ({"secret_id": "AKIDsomebodyElse"}, "AuthFailure.SecretIdNotFound"),
    ({"app_id": "1400999999"}, "InvalidParameterValue.SdkAppIdNotExist"),
])
def test_bad_credentials_are_refused_with_the_providers_codes(sandbox, overrides, code):
    with pytest.raises(SmsError) as info:
        client(sandbox, **overrides).send([PHONE], IDS["code"], ["123456", "5"])
    assert info.value.code == code
    assert sandbox.api("get", "/sandbox/api/sms/13800001234")["messages"] == []


def _signed_post(sandbox, payload, body=None, timestamp=None):
    timestamp = timestamp or int(time.time())
    host = sandbox.url.split("//")[1]
    headers = {"Content-Type": tc3.CONTENT_TYPE, "Host": host, "X-TC-Action": "SendSms", "X-TC-Version": "2021-01-11",
               "X-TC-Timestamp": str(timestamp), "X-TC-Region": "ap-guangzhou",
               "Authorization": tc3.authorization(SANDBOX_SMS["SMS_SECRET_ID"], SANDBOX_SMS["SMS_SECRET_KEY"], "sms",
                                                  timestamp, host, payload)}
    return requests.post(sandbox.url + "/", data=(body or payload).encode(), headers=headers, timeout=5).json()


def test_a_body_changed_after_signing_or_an_old_timestamp_is_refused(sandbox):
    payload = {"PhoneNumberSet": [PHONE], "SmsSdkAppId": SANDBOX_SMS["SMS_SDK_APP_ID"],
               "SignName": SANDBOX_SMS["SMS_SIGN_NAME"], "TemplateId": IDS["code"], "TemplateParamSet": ["1", "5"]}
    signed = json.dumps(payload)
    tampered = signed.replace(PHONE, "+8613900009999")
    assert _signed_post(sandbox, signed, body=tampered)["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"
    old = _signed_post(sandbox, signed, timestamp=int(time.time()) - 600)
    assert old["Response"]["Error"]["Code"] == "AuthFailure.SignatureExpire"
    assert _signed_post(sandbox, signed)["Response"]["SendStatusSet"][0]["Code"] == "Ok"


@pytest.mark.parametrize("template,params,sign,code", [
    ("9999999", ["x"], None, "FailedOperation.TemplateIncorrectOrUnapproved"),
    (IDS["invitation"], invitation()[:4], None, "FailedOperation.TemplateIncorrectOrUnapproved"),
    (IDS["invitation"], invitation("https://evil.example/x"), None,
     "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter"),
    (IDS["code"], ["12ab56", "5"], None, "InvalidParameterValue.TemplateParameterFormatError"),
    (IDS["code"], ["123456", "5"], "别的签名", "FailedOperation.SignatureIncorrectOrUnapproved"),
])
def test_template_signature_and_parameter_checks(sandbox, template, params, sign, code):
    overrides = {"sign_name": sign} if sign else {}
    [status] = client(sandbox, **overrides).send([PHONE], template, params)
    assert (status.ok, status.code) == (False, code)


def test_a_bad_number_fails_alone_in_a_batch(sandbox):
    statuses = client(sandbox).send([PHONE, "+861234"], IDS["code"], ["123456", "5"])
    assert [s.code for s in statuses] == ["Ok", "InvalidParameterValue.IncorrectPhoneNumber"]


def test_one_sms_per_30_seconds_and_ten_a_day_per_number(sandbox):
    sms = client(sandbox)
    assert sms.send([PHONE], IDS["code"], ["111111", "5"])[0].ok
    assert sms.send([PHONE], IDS["code"], ["222222", "5"])[0].code == "LimitExceeded.PhoneNumberThirtySecondLimit"
    for n in range(9):
        sandbox.api("post", "/sandbox/api/sms/13800001234/age", json={"seconds": 31})
        assert sms.send([PHONE], IDS["code"], [f"{n}33333", "5"])[0].ok
    sandbox.api("post", "/sandbox/api/sms/13800001234/age", json={"seconds": 31})
    assert sms.send([PHONE], IDS["code"], ["444444", "5"])[0].code == "LimitExceeded.PhoneNumberDailyLimit"
    assert sms.send(["+8613900005678"], IDS["code"], ["555555", "5"])[0].ok  # another number is not limited


def test_receipts_say_success_or_fail_and_are_handed_out_once(sandbox):
    sms = client(sandbox)
    ok, = sms.send([PHONE], IDS["decision"], ["李明", "后端开发工程师", "tok"])
    off, = sms.send(["+8613900000000"], IDS["decision"], ["王强", "后端开发工程师", "tok2"])
    assert ok.ok and off.ok  # the provider accepts both; the switched-off number fails on delivery
    receipts = {r["SerialNo"]: r for r in sms.pull_send_status()}
    assert receipts[ok.serial_no]["ReportStatus"] == "SUCCESS"
    assert receipts[off.serial_no]["ReportStatus"] == "FAIL" and receipts[off.serial_no]["Description"]
    assert sms.pull_send_status() == []
    assert sandbox.api("get", "/sandbox/api/sms/13900000000")["messages"] == []  # never arrived


def test_a_T_reply_is_pulled_once_and_blocks_notices_but_not_codes(sandbox):
    sms = client(sandbox)
    assert sms.send([PHONE], IDS["decision"], ["李明", "后端开发工程师", "tok"])[0].ok
    res = requests.post(f"{sandbox.url}/sms/13800001234/reply", data={"text": "T"}, timeout=5)
    assert res.status_code == 200 and "已回复退订" in res.text
    [reply] = sms.pull_replies()
    assert (reply["PhoneNumber"], reply["ReplyContent"]) == (PHONE, "T")
    assert sms.pull_replies() == []
    sandbox.api("post", "/sandbox/api/sms/13800001234/age", json={"seconds": 31})
    [blocked] = sms.send([PHONE], IDS["decision"], ["李明", "后端开发工程师", "tok"])
    assert blocked.code == "FailedOperation.PhoneNumberInBlacklist"
    sandbox.api("post", "/sandbox/api/sms/13800001234/age", json={"seconds": 31})
    assert sms.send([PHONE], IDS["code"], ["654321", "5"])[0].ok

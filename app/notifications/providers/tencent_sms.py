"""Tencent Cloud SMS, API 3.0 version 2021-01-11: SendSms, PullSmsSendStatus, PullSmsReplyStatus.

A request is a signed JSON POST (tc3.py) to SMS_ENDPOINT (https://sms.tencentcloudapi.com, or the sandbox) with
X-TC-Action / X-TC-Version / X-TC-Timestamp / X-TC-Region headers. Answers are {"Response": {...}}: a request-wide
failure carries Response.Error {Code, Message} (AuthFailure.SignatureFailure, InvalidParameterValue.SdkAppIdNotExist
...); SendSms answers one SendStatus per number, whose Code is "Ok" or that number's error
(LimitExceeded.PhoneNumberThirtySecondLimit, FailedOperation.TemplateIncorrectOrUnapproved ...). The pull actions
return each receipt or reply once (the provider forgets what it handed out).
"""
import json
import time
import uuid
from urllib.parse import urlsplit

import requests

from app.notifications.providers import sms_base, tc3
from app.notifications.providers.sms_base import SendStatus, SmsError, SmsRetryableError

SERVICE = "sms"
VERSION = "2021-01-11"
PULL_LIMIT = 100  # the most PullSmsSendStatus / PullSmsReplyStatus hand out per call


# Request-wide error codes that may pass if tried again later.
RETRYABLE_PREFIXES = ("InternalError", "RequestLimitExceeded", "ResourceUnavailable")
# Per-number codes: (verdict, reason, hold). Source: cloud.tencent.com/document/api/382/52075 (错误码).
_DAY = (sms_base.HOLD, "该号码今日短信已达服务商上限,将于 {until} 发送", sms_base.MORNING)
_BLACKLIST = (sms_base.OPTED_OUT, "号码已退订短信(服务商免打扰名单)", None)
CODES = {
    "LimitExceeded.PhoneNumberThirtySecondLimit": (sms_base.HOLD, "同一号码30秒内只能收1条短信,稍后重发", 35),
    "LimitExceeded.PhoneNumberOneHourLimit": (sms_base.HOLD, "该号码1小时内短信已达服务商上限,稍后重发", 3600),
    "LimitExceeded.PhoneNumberDailyLimit": _DAY,
    "LimitExceeded.PhoneNumberSameContentDailyLimit": _DAY,
    "FailedOperation.PhoneNumberInBlacklist": _BLACKLIST,
    "FailedOperation.PhoneNumberOnBlacklist": _BLACKLIST,
    "InvalidParameterValue.IncorrectPhoneNumber": (sms_base.BAD_NUMBER, "手机号无效", None),
    "FailedOperation.TemplateIncorrectOrUnapproved": (
        sms_base.FAILED, "短信模板未审核通过或参数与模板不符(请检查 SMS_TEMPLATE_IDS)", None),
    "FailedOperation.SignatureIncorrectOrUnapproved": (
        sms_base.FAILED, "短信签名未审核通过(请检查 SMS_SIGN_NAME)", None),
    "FailedOperation.ContainSensitiveWord": (sms_base.FAILED, "短信内容含敏感词,被服务商拒绝", None),
    "FailedOperation.InsufficientBalanceInSmsPackage": (sms_base.FAILED, "短信套餐余量不足", None),
}


def status_of(phone, code, message, serial_no="", fee=0):
    """A SendStatus with the app's verdict on Tencent's per-number `code`."""
    if code == "Ok":
        return SendStatus(phone, code, message, serial_no, fee)
    if code.startswith("InternalError"):
        verdict, reason, hold = sms_base.RETRY, "", None
    else:
        verdict, reason, hold = CODES.get(code, (sms_base.FAILED, f"短信发送失败:{code}", None))
    return SendStatus(phone, code, message, serial_no, fee, verdict, reason, hold)


class TencentSms:
    SIGN_SETTING, TEMPLATE_SETTING = "SMS_SIGN_NAME", "SMS_TEMPLATE_IDS"
    RECEIPTS = "pull"  # receipts.py pulls what Tencent hands out once (PullSmsSendStatus / PullSmsReplyStatus)

    def __init__(self, *, endpoint, secret_id, secret_key, region, app_id, sign_name, timeout=5.0):
        parts = urlsplit(endpoint)
        self.url = endpoint.rstrip("/") + "/"
        self.host = parts.netloc
        self.path = parts.path.rstrip("/") + "/"
        self.secret_id, self.secret_key = secret_id, secret_key
        self.region, self.app_id, self.sign_name, self.timeout = region, app_id, sign_name, timeout

    @classmethod
    def from_settings(cls, settings):
        return cls(endpoint=settings["SMS_ENDPOINT"], secret_id=settings["SMS_SECRET_ID"],
                   secret_key=settings["SMS_SECRET_KEY"], region=settings["SMS_REGION"],
                   app_id=settings["SMS_SDK_APP_ID"], sign_name=settings["SMS_SIGN_NAME"],
                   timeout=settings["SMS_TIMEOUT"])

    def call(self, action, params):
        """POST one signed action; the Response dict, or SmsError / SmsRetryableError."""
        payload = json.dumps(params, ensure_ascii=False)
        timestamp = int(time.time())
        headers = {
            "Content-Type": tc3.CONTENT_TYPE, "Host": self.host, "X-TC-Action": action, "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp), "X-TC-Region": self.region,
            "Authorization": tc3.authorization(self.secret_id, self.secret_key, SERVICE, timestamp, self.host,
                                               payload, path=self.path),
        }
        try:
            res = requests.post(self.url, data=payload.encode("utf-8"), headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SmsRetryableError("NetworkError", exc.__class__.__name__) from exc
        if res.status_code >= 500:
            raise SmsRetryableError("ServerError", f"HTTP {res.status_code}")
        try:
            response = res.json()["Response"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SmsRetryableError("BadAnswer", f"HTTP {res.status_code}, not a TencentCloud answer") from exc
        error = response.get("Error")
        if error:
            cls = SmsRetryableError if error.get("Code", "").startswith(RETRYABLE_PREFIXES) else SmsError
            raise cls(error.get("Code", ""), error.get("Message", ""), response.get("RequestId", ""))
        return response

    def send(self, phones, template_id, params, session_context=""):
        """SendSms to E.164 `phones` (at most 200) with the template's parameters ({name: value} in the template's
        order, or the values in order: Tencent's {1}, {2}... are positional); one SendStatus per number."""
        values = params.values() if isinstance(params, dict) else params
        response = self.call("SendSms", {
            "PhoneNumberSet": list(phones), "SmsSdkAppId": self.app_id, "SignName": self.sign_name,
            "TemplateId": str(template_id), "TemplateParamSet": [str(p) for p in values],
            "SessionContext": session_context or uuid.uuid4().hex})
        return [status_of(s.get("PhoneNumber", ""), s.get("Code", ""), s.get("Message", ""), s.get("SerialNo", ""),
                          int(s.get("Fee") or 0))
                for s in response.get("SendStatusSet") or []]

    def pull_send_status(self, limit=PULL_LIMIT):
        """Delivery receipts not pulled before: [{SerialNo, PhoneNumber, ReportStatus SUCCESS|FAIL, Description,
        UserReceiveTime}]."""
        response = self.call("PullSmsSendStatus", {"Limit": limit, "SmsSdkAppId": self.app_id})
        return response.get("PullSmsSendStatusSet") or []

    def pull_replies(self, limit=PULL_LIMIT):
        """Replies not pulled before: [{PhoneNumber, ReplyContent, ReplyTime, SignName}]."""
        response = self.call("PullSmsReplyStatus", {"Limit": limit, "SmsSdkAppId": self.app_id})
        return response.get("PullSmsReplyStatusSet") or []

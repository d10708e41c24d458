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
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from app.notifications.providers import tc3

SERVICE = "sms"
VERSION = "2021-01-11"
PULL_LIMIT = 100  # the most PullSmsSendStatus / PullSmsReplyStatus hand out per call


class SmsError(Exception):
    """The provider refused the whole request (bad keys or signature, unknown app id ...)."""

    def __init__(self, code, message="", request_id=""):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.request_id = code, message, request_id


class SmsRetryableError(SmsError):
    """A transient failure (network, 5xx, InternalError, request rate limit): the job retries later."""


# Request-wide error codes that may pass if tried again later.
RETRYABLE_PREFIXES = ("InternalError", "RequestLimitExceeded", "ResourceUnavailable")


@dataclass(frozen=True)
class SendStatus:
    """The provider's answer for one number of a SendSms."""
    phone: str
    code: str
    message: str
    serial_no: str
    fee: int

    @property
    def ok(self):
        return self.code == "Ok"


class TencentSms:
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
        """SendSms to E.164 `phones` (at most 200) with the template's parameters; one SendStatus per number."""
        response = self.call("SendSms", {
            "PhoneNumberSet": list(phones), "SmsSdkAppId": self.app_id, "SignName": self.sign_name,
            "TemplateId": str(template_id), "TemplateParamSet": [str(p) for p in params],
            "SessionContext": session_context or uuid.uuid4().hex})
        return [SendStatus(phone=s.get("PhoneNumber", ""), code=s.get("Code", ""), message=s.get("Message", ""),
                           serial_no=s.get("SerialNo", ""), fee=int(s.get("Fee") or 0))
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

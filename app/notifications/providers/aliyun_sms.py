"""Aliyun SMS (阿里云短信服务), Dysmsapi version 2017-05-25: SendSms and QuerySendDetails.

A request is an RPC call: its parameters form-encoded in a POST to ALIYUN_SMS_ENDPOINT (https://dysmsapi.aliyuncs.com,
or the sandbox) with the common ones (Action, Version, AccessKeyId, Timestamp, SignatureNonce ...) and a Signature
(acs_rpc.py, HMAC-SHA1). The answer is JSON {"Code", "Message", "RequestId", ...}: Code "OK", a business code
"isv.*" (SendSms: one per request, and we send one number per request, so it is that number's outcome), or a
request-wide one (SignatureDoesNotMatch, InvalidAccessKeyId.NotFound, isp.RAM_PERMISSION_DENY: SmsError; Throttling*,
ServiceUnavailable, InternalError, isp.SYSTEM_ERROR, network and 5xx: SmsRetryableError).

Codes and what they mean: help.aliyun.com/document_detail/101346.html (国内消息API错误码) and, for
isv.BUSINESS_LIMIT_CONTROL, help.aliyun.com/document_detail/2881383.html (发送流控: per signature and number, codes
1 a minute, 5 an hour, 10 a day; notices 50 a day per template); its Message says which limit ("触发分钟级流控
Permits:1", "触发小时级流控…", "触发天级流控…").

Receipts are not pushed to us: QuerySendDetails (PhoneNumber, BizId, SendDate yyyyMMdd) answers SendStatus 1
waiting, 2 failed (ErrCode), 3 delivered (ReceiveDate, China time). Replies come only by an MNS queue or an HTTP push
and are not used (docs/notifications.md).
"""
import datetime as dt
import json
import re
from dataclasses import dataclass

import requests

from app.notifications.providers import acs_rpc, sms_base
from app.notifications.providers.sms_base import SendStatus, SmsError, SmsRetryableError

VERSION = "2017-05-25"
CHINA = dt.timezone(dt.timedelta(hours=8))
RETRYABLE = ("Throttling", "ServiceUnavailable", "InternalError", "isp.SYSTEM_ERROR", "isp.GATEWAY_ERROR")
WAITING, FAILED, DELIVERED = 1, 2, 3  # QuerySendDetails SendStatus
_TEMPLATES = "ALIYUN_SMS_TEMPLATE_CODES"
_SIGN = "ALIYUN_SMS_SIGN_NAME"
# isv.* codes of SendSms that fail the message, with the reason shown to HR: it names what the deployment has to
# fix. A wrong number is told apart (BAD_NUMBERS); a code not listed fails with its own name.
BAD_NUMBERS = {"isv.MOBILE_NUMBER_ILLEGAL": "手机号无效"}
FAILURES = {
    "isv.SMS_TEMPLATE_ILLEGAL": f"短信模板不存在或未审核通过(请检查 {_TEMPLATES})",
    "isv.TEMPLATE_MISSING_PARAMETERS":
        f"短信模板变量与发送的参数不符(模板须用 docs/notifications.md 的变量名;请检查 {_TEMPLATES})",
    "isv.INVALID_JSON_PARAM": "模板参数不是合法的JSON(变量值须为字符串)",
    "isv.PARAM_LENGTH_LIMIT": "模板变量超出阿里云的长度限制(姓名、岗位等太长)",
    "isv.PARAM_NOT_SUPPORT_URL": "模板变量中不允许出现网址(链接的域名须写在模板里)",
    "isv.BLACK_KEY_CONTROL_LIMIT": "模板变量中含有阿里云的黑名单关键字",
    "isv.SMS_CONTENT_ILLEGAL": "短信内容包含禁止发送的内容",
    "isv.SMS_SIGNATURE_ILLEGAL": f"短信签名不存在或未审核通过(请检查 {_SIGN})",
    "isv.SMS_SIGN_ILLEGAL": f"短信签名被禁止使用(请在阿里云控制台申请合规签名,改 {_SIGN})",
    "isv.SIGN_STATE_ILLEGAL": "短信签名状态为“不可用”(请在阿里云控制台修正签名)",
    "isv.SMS_SIGNATURE_SCENE_ILLEGAL": "签名和模板类型不一致(验证码签名只能发验证码,请改用通用签名)",
    "isv.DOMESTIC_NUMBER_NOT_SUPPORTED": "国际/港澳台模板不能发国内号码(请申请国内消息模板)",
    "isv.AMOUNT_NOT_ENOUGH": "阿里云账户余额不足,请充值",
    "isv.OUT_OF_SERVICE": "阿里云短信业务停机(余额不足),请充值",
    "isv.DAY_LIMIT_CONTROL": "已达阿里云控制台设置的日发送量限额(国内消息设置 > 安全设置)",
    "isv.MONTH_LIMIT_CONTROL": "已达阿里云控制台设置的月发送量限额(国内消息设置 > 安全设置)",
    "isv.PRODUCT_UN_SUBSCRIPT": "该阿里云账号未开通短信服务",
    "isv.PRODUCT_UNSUBSCRIBE": "该阿里云账号未开通短信服务",
    "isv.ACCOUNT_NOT_EXISTS": "阿里云账号不存在(请检查 ALIYUN_SMS_ACCESS_KEY_ID)",
    "isv.ACCOUNT_ABNORMAL": "阿里云账号异常,请联系阿里云",
    "isv.DENY_IP_RANGE": "服务器IP不在中国内地,阿里云拒绝发送国内短信",
}
# isv.BUSINESS_LIMIT_CONTROL: held; how long depends on which limit the Message names.
LIMITS = (("分钟级", 65, "该号码1分钟内短信已达阿里云流控上限,稍后重发"),
          ("小时级", 3600, "该号码1小时内短信已达阿里云流控上限,稍后重发"),
          ("天级", sms_base.MORNING, "该号码24小时内短信已达阿里云流控上限,将于 {until} 发送"))
LIMIT_OTHER = (3600, "该号码短信发送太频繁(阿里云流控),稍后重发")


def status_of(phone, code, message, biz_id=""):
    """A SendStatus with the app's verdict on the SendSms `code`."""
    if code == "OK":
        return SendStatus(phone, code, message, biz_id, 0)
    if code == "isv.BUSINESS_LIMIT_CONTROL":
        hold, reason = next(((h, r) for word, h, r in LIMITS if word in message), LIMIT_OTHER)
        return SendStatus(phone, code, message, "", 0, sms_base.HOLD, reason, hold)
    if code in BAD_NUMBERS:
        return SendStatus(phone, code, message, "", 0, sms_base.BAD_NUMBER, BAD_NUMBERS[code])
    return SendStatus(phone, code, message, "", 0, sms_base.FAILED, FAILURES.get(code, f"短信发送失败:{code}"))


def national(phone):
    """+8613800001234 -> 13800001234 (what QuerySendDetails takes; SendSms takes it too)."""
    return re.sub(r"^(\+86|0086)", "", str(phone))


@dataclass(frozen=True)
class Receipt:
    delivered: bool
    description: str       # ErrCode (DELIVERED, or the carrier's code of the failure)
    received_at: object    # naive UTC, or None


class AliyunSms:
    SIGN_SETTING, TEMPLATE_SETTING = _SIGN, _TEMPLATES
    RECEIPTS = "query"  # receipts.py asks per SMS (QuerySendDetails)

    def __init__(self, *, endpoint, access_key_id, access_key_secret, sign_name, timeout=5.0):
        self.url = endpoint.rstrip("/") + "/"
        self.access_key_id, self.access_key_secret = access_key_id, access_key_secret
        self.sign_name, self.timeout = sign_name, timeout

    @classmethod
    def from_settings(cls, settings):
        return cls(endpoint=settings["ALIYUN_SMS_ENDPOINT"], access_key_id=settings["ALIYUN_SMS_ACCESS_KEY_ID"],
                   access_key_secret=settings["ALIYUN_SMS_ACCESS_KEY_SECRET"], sign_name=settings[_SIGN],
                   timeout=settings["SMS_TIMEOUT"])

    def call(self, action, params):
        """POST one signed action; the answer when its Code is OK or a business code (isv.*), else SmsError /
        SmsRetryableError."""
        body = acs_rpc.signed(self.access_key_id, self.access_key_secret, action, VERSION, params)
        try:
            res = requests.post(self.url, data=body, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SmsRetryableError("NetworkError", exc.__class__.__name__) from exc
        try:
            answer = res.json()
            code = answer["Code"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SmsRetryableError("BadAnswer", f"HTTP {res.status_code}, not an Aliyun answer") from exc
        if code == "OK" or (code.startswith("isv.") and res.status_code < 500):
            return answer
        cls = SmsRetryableError if code.startswith(RETRYABLE) or res.status_code >= 500 else SmsError
        raise cls(code, answer.get("Message", ""), answer.get("RequestId", ""))

    def send(self, phones, template_id, params, session_context=""):
        """SendSms to each E.164 number of `phones` with the template's named parameters ({name: value}: Aliyun's
        ${name} variables); one SendStatus per number. `session_context` goes out as OutId."""
        statuses = []
        for phone in phones:
            answer = self.call("SendSms", {
                "PhoneNumbers": national(phone), "SignName": self.sign_name, "TemplateCode": str(template_id),
                "TemplateParam": json.dumps({k: str(v) for k, v in params.items()}, ensure_ascii=False),
                "OutId": session_context[:64]})
            statuses.append(status_of(phone, answer["Code"], answer.get("Message", ""), answer.get("BizId", "")))
        return statuses

    def query_details(self, phone, biz_id, send_date, page_size=10):
        """QuerySendDetails: the SmsSendDetailDTO items of `biz_id` sent to `phone` on `send_date` (China day)."""
        answer = self.call("QuerySendDetails", {"PhoneNumber": national(phone), "BizId": biz_id,
                                                "SendDate": send_date.strftime("%Y%m%d"), "PageSize": page_size,
                                                "CurrentPage": 1})
        if answer["Code"] != "OK":
            raise SmsError(answer["Code"], answer.get("Message", ""), answer.get("RequestId", ""))
        return (answer.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []

    def receipt(self, phone, biz_id, sent_at):
        """The receipt of one SMS sent at `sent_at` (naive UTC), or None while the carrier has not answered."""
        day = sent_at.replace(tzinfo=dt.UTC).astimezone(CHINA).date()
        for item in self.query_details(phone, biz_id, day):
            status = int(item.get("SendStatus") or WAITING)
            if status == WAITING:
                return None
            return Receipt(status == DELIVERED, item.get("ErrCode", ""), _utc(item.get("ReceiveDate")))
        return None


def _utc(china_time):
    """"2019-01-08 16:44:13" (China time) -> naive UTC, or None."""
    try:
        local = dt.datetime.strptime(china_time or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        return None
    return local.astimezone(dt.UTC).replace(tzinfo=None)

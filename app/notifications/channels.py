"""One notice on one channel: SMS (consent, quiet hours, the daily cap, the approved template), email, 微信客服 and
external contact. Each sender returns an Outcome (sending.py records it and falls back on FAILED); transient
failures raise (SmsRetryableError, EmailRetryableError, WeComRetryableError) so the job is retried."""
import datetime as dt
import logging
from dataclasses import dataclass

from flask import render_template

from app.core import links, sms
from app.core.base import utcnow
from app.core.extensions import settings
from app.notifications import catalogue, consent, policy
from app.notifications.models import Channel, State
from app.notifications.providers import sms_base, smtp_email
from app.notifications.providers.aliyun_sms import AliyunSms
from app.notifications.providers.sms_base import SmsError, SmsRetryableError
from app.notifications.providers.tencent_sms import TencentSms
from app.wecom.errors import WeComError, WeComRetryableError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one channel did with the notice."""
    state: str                 # State.SENDING / DELIVERED / FAILED / HELD
    reason: str = ""
    message_id: str = ""
    text: str = ""
    segments: int = 0
    until: object = None       # HELD: until when (naive UTC)

# kf/send_msg errcodes that mean the 48 h / 5-message window is closed (the sandbox's; see docs/conversation.md).
KF_WINDOW_ERRCODES = {95001, 95002}
SMS_CLIENTS = {"tencent": TencentSms, "aliyun": AliyunSms}


def link_of(spec, values):
    token = values.get("token", "")
    return links.interview_url(token) if spec.link == "interview" else links.status_url(token)


def sms_provider():
    """The client class of SMS_PROVIDER (sms.on() must be true)."""
    return SMS_CLIENTS[settings["SMS_PROVIDER"]]


def sms_client():
    return sms_provider().from_settings(settings)


def sms_template_id(template_key):
    """The provider's id of an approved template (Tencent's TemplateId, Aliyun's TemplateCode), or ""."""
    return (settings.get(sms_provider().TEMPLATE_SETTING) or {}).get(template_key, "")


def _local(when):
    return policy.to_local(when).strftime("%m-%d %H:%M")


def send_sms(step, notice, spec, now):
    phone = step["address"]
    if not sms.on():
        return Outcome(State.FAILED, "未开通短信服务(SMS_PROVIDER=off)")
    if consent.opted_out(phone):
        return Outcome(State.FAILED, "候选人已退订短信")
    hold = policy.sms_hold(notice.urgent, phone, now)
    if hold is not None:
        return Outcome(State.HELD, f"{hold.why},将于 {_local(hold.until)} 发送", until=hold.until)
    template_id = sms_template_id(spec.sms)
    if not template_id:
        return Outcome(State.FAILED, f"未配置短信模板 {spec.sms}({sms_provider().TEMPLATE_SETTING})")
    params = catalogue.sms_named_params(spec.sms, notice.values)
    text = catalogue.sms_text(spec.sms, list(params.values()), settings[sms_provider().SIGN_SETTING],
                              settings["PUBLIC_BASE_URL"])
    segments = catalogue.segments(text)
    try:
        [status] = sms_client().send([phone], template_id, params, session_context=f"notice-{notice.id}")
    except SmsRetryableError:
        raise
    except SmsError as exc:
        log.error("SMS refused for notice %s: %s", notice.id, exc.code)  # keys or app id wrong: fix the settings
        return Outcome(State.FAILED, f"短信服务拒绝请求:{exc.code}", text=text, segments=segments)
    if status.ok:
        return Outcome(State.SENDING, "已提交短信服务商,等待回执", message_id=status.serial_no, text=text,
                       segments=segments)
    return _sms_refusal(status, phone, now, text, segments)


def _sms_refusal(status, phone, now, text, segments):
    """What the app does with a number the provider did not accept (the verdict comes from the provider's table)."""
    if status.verdict == sms_base.HOLD:
        if status.hold == sms_base.MORNING:
            until = policy.next_morning(now)
        else:
            until = now + dt.timedelta(seconds=status.hold)
        return Outcome(State.HELD, status.reason.format(until=_local(until)), until=until)
    if status.verdict == sms_base.OPTED_OUT:
        consent.record(phone, True, "provider", detail=status.code)
    elif status.verdict == sms_base.RETRY:
        raise SmsRetryableError(status.code, status.message)
    return Outcome(State.FAILED, status.reason or f"短信发送失败:{status.code}", text=text, segments=segments)


def send_email(step, notice, spec, now):
    if not settings.get("SMTP_HOST"):
        return Outcome(State.FAILED, "未配置邮件服务(SMTP_HOST)")
    link = link_of(spec, notice.values)
    subject = spec.email_subject.format(**notice.values)
    body = catalogue.notice_text(notice.notice_key, notice.values, link="").rstrip(": ")
    company = notice.values.get("company") or settings.get("COMPANY_NAME", "")
    button = "开始AI面试" if spec.link == "interview" else "查看详情"
    html = render_template("notifications/email.html", subject=subject, body=body, link=link, button=button,
                           company=company)
    text = f"{body}\n\n{button}:{link}\n\n这封邮件是关于你在{company}的应聘,由招聘系统发出,请勿直接回复。"
    try:
        message_id = smtp_email.send(settings, step["address"], subject, text, html)
    except smtp_email.EmailRefused as exc:
        return Outcome(State.FAILED, str(exc))
    return Outcome(State.DELIVERED, "邮件服务器已接收", message_id=message_id, text=text)


def send_kf(step, notice, spec, now):
    from app.wecom import kf
    text = catalogue.notice_text(notice.notice_key, notice.values, link_of(spec, notice.values))
    try:
        answer = kf.send_text(step["via"], step["address"], text)
    except WeComRetryableError:
        raise
    except WeComError as exc:
        if exc.errcode in KF_WINDOW_ERRCODES:
            return Outcome(State.FAILED, "微信客服48小时/5条窗口已关闭")
        return Outcome(State.FAILED, f"企业微信错误 {exc.errcode}: {exc.errmsg}")
    return Outcome(State.DELIVERED, "", message_id=answer.get("msgid", ""), text=text)


def send_external(step, notice, spec, now):
    from app.wecom import external_contact
    text = catalogue.notice_text(notice.notice_key, notice.values, link_of(spec, notice.values))
    try:
        answer = external_contact.add_msg_template(step["via"], [step["address"]], text)
    except WeComRetryableError:
        raise
    except WeComError as exc:
        return Outcome(State.FAILED, f"企业微信错误 {exc.errcode}: {exc.errmsg}")
    if answer.get("fail_list"):
        return Outcome(State.FAILED, "企业微信未能创建发送任务(客户不是该成员的联系人?)")
    return Outcome(State.SENDING, "待成员在企业微信确认发送", message_id=answer.get("msgid", ""), text=text)


SENDERS = {Channel.SMS: send_sms, Channel.EMAIL: send_email, Channel.KF: send_kf, Channel.EXTERNAL: send_external}


def send(step, notice, spec, now=None):
    """The notice on the step's channel; an Outcome."""
    return SENDERS[step["channel"]](step, notice, spec, now or utcnow())

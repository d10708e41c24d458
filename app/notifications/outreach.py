"""What other domains call to tell a candidate something: the application's Reach (the candidate's phone, SMS
consent and email; the conversation's 微信客服 link and window, counting the notices sent there too; the external
contact), the notice's values (name, company, job, the link token) and `tell`, which plans the channels and
records the notice (sending.notify). The caller still posts the page text into the conversation.

The link token: only its hash is stored with the interview, so the token a notice links to is the one the last
invitation notice carried (invitations.py records it), as long as that interview is still the application's
newest. Every path that opens an interview with a new link announces it (interview.invitations.invite,
screening.actions.invite). Without one (the interview was opened under the applicant's own link) a notice is
recorded for the timeline with no channel: only the status page shows it.
"""
from app.conversation import channels as conversation_channels
from app.conversation.models import Channel as ConversationChannel
from app.core import domains, sms
from app.core.base import utcnow
from app.core.extensions import settings
from app.core.models import Application
from app.core.phones import e164_or_none, mask
from app.interview.invitations import hash_token, latest_interview
from app.notifications import consent, history, routing, sending
from app.notifications.models import Channel, Notice

DATE = "%-m月%-d日%H:%M"   # as the approved templates show a time: 3月12日18:00


def day(date):
    """A date as the templates show it: 3月12日."""
    return f"{date.month}月{date.day}日"


def reach_for(application, now=None):
    """How the application's candidate can be reached now (routing.Reach). SMS only with an SMS_PROVIDER (not off),
    email only with SMTP_HOST: a channel the deployment has not set up is not planned."""
    now = now or utcnow()
    candidate = application.candidate
    phone = e164_or_none(candidate.phone) if sms.on() else None
    email = (candidate.email or "").strip() if settings.get("SMTP_HOST") else ""
    links = conversation_channels.links_of(application.id)
    kf, external = links.get(ConversationChannel.KF), links.get(ConversationChannel.EXTERNAL)
    kf_open = False
    if kf is not None:
        window = conversation_channels.kf_window(kf, now)
        # the conversation counts its own messages; the notices sent on 微信客服 share the same 5
        kf_open = window.open and (window.used + history.kf_sent_since(application.id, kf.last_inbound_at)
                                   < conversation_channels.KF_MAX)
    return routing.Reach(phone=phone or "", sms_opted_out=bool(phone) and consent.opted_out(phone), email=email,
                         kf_customer=kf.address if kf else "", kf_account=kf.via if kf else "", kf_open=kf_open,
                         external_userid=external.address if external else "",
                         external_member=external.via if external else "")


def link_token(application_id):
    """The candidate's link token from the newest invitation notice, if it still opens their newest interview."""
    latest = latest_interview(application_id)
    if latest is None:
        return None
    for notice in (Notice.select(Notice.values).where((Notice.application == application_id)
                                                      & (Notice.notice_key == "invitation"))
                   .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(3)):
        token = (notice.values or {}).get("token")
        if token and hash_token(token) == latest.token_hash:
            return token
    return None


def values_for(application, token, **extra):
    return {"name": application.candidate.name, "company": settings["COMPANY_NAME"], "job": application.job.title,
            "token": token or "", **extra}


def tell(application_id, notice_key, extra, *, idempotency_key, urgent=None, token=None):
    """Record the notice for the application's candidate and send it on the best channel; (notice, created).
    `extra`: the values the notice needs besides name, company, job and token. (None, False) once the
    application's data is deleted: nothing is recorded or sent."""
    application = Application.get_by_id(application_id)
    if domains.erased(application):
        return None, False
    token = token or link_token(application_id)
    steps = routing.plan(notice_key, reach_for(application)) if token else []
    return sending.notify(application_id, notice_key, values_for(application, token, **extra), steps,
                          idempotency_key=idempotency_key, urgent=urgent)


def unreached_reason(application):
    """Why no channel reaches the candidate (for the inviting page): what is missing, in HR's words."""
    candidate = application.candidate
    if not sms.on():
        why = "未开通短信"
    elif not (candidate.phone or "").strip():
        why = "没有手机号"
    elif e164_or_none(candidate.phone) is None:
        why = f"手机号 {candidate.phone} 不是中国大陆手机号,无法发短信"
    elif consent.opted_out(candidate.phone):
        why = "候选人已退订短信"
    else:
        why = "短信不可用"
    return f"没有可用的渠道({why},也未关联微信),请把链接发给候选人"


def describe(steps):
    """'短信 138****1234 → 邮件 l***@example.com' for a page: the channels in the order they are tried."""
    def address(step):
        if step["channel"] == Channel.SMS:
            return mask(step["address"])
        if step["channel"] == Channel.EMAIL:
            name, _, domain = step["address"].partition("@")
            return f"{name[:1]}***@{domain}"
        return ""
    return " → ".join(f"{Channel.LABELS.get(s['channel'], s['channel'])} {address(s)}".strip() for s in steps)

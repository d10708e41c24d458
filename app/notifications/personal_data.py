"""What notifications store about a candidate: `export` for their data export, `erase` for the deletion
(declared as its `Domain.personal_data`, app/core/personal_data.py).

Export:
- "通知记录 Notices": each notice of the application (what it was, when), each channel it went to with the state
  and reason, and the address masked (the candidate knows their own phone and email).
- SMS consent: the phone's stop / resume records, under the application of that phone.

Erase:
- Notice, NoticeDelivery: deleted (the texts hold the name, the job and the link token; the addresses).
- PhoneCode: the codes sent to the candidate's phone are deleted (only HMACs, but tied to the phone).
- SmsConsent: an opt-out stays (phone, time, source): it is what keeps the number from being texted again if it
  applies once more, which is the person's own wish; opt-in records of the phone are deleted.
"""
from app.core.models import Application, Candidate
from app.core.personal_data import add, at, section
from app.core.phones import e164_or_none, mask
from app.notifications.catalogue import NOTICES
from app.notifications.models import Channel, Notice, NoticeDelivery, PhoneCode, SmsConsent, State

NOTICE_LABELS = {"notice": "通知", "created_at": "时间", "state": "结果", "channels": "渠道",
                 "channel": "渠道", "address": "发送到", "reason": "说明", "sent_at": "发出", "delivered_at": "送达"}
CONSENT_LABELS = {"phone": "手机号", "opted_out": "退订短信通知", "source": "方式", "created_at": "时间"}


def _address(channel, address):
    if channel == Channel.SMS:
        return mask(address)
    if channel == Channel.EMAIL and "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    return Channel.LABELS.get(channel, channel)


def _phones(ids):
    return {a: e164_or_none(p) for a, p in Application.select(Application.id, Candidate.phone).join(Candidate)
            .where(Application.id.in_(ids)).tuples()}


def export(application_ids):
    """{application_id: [sections]}: the notices with their deliveries, and the phone's SMS consent records."""
    ids = list(application_ids)
    out = {}
    by_app = {}
    for notice in Notice.select().where(Notice.application.in_(ids)).order_by(Notice.created_at):
        deliveries = NoticeDelivery.select().where(NoticeDelivery.notice == notice.id).order_by(NoticeDelivery.id)
        by_app.setdefault(notice.application_id, []).append({
            "notice": NOTICES[notice.notice_key].title if notice.notice_key in NOTICES else notice.notice_key,
            "created_at": at(notice.created_at), "state": State.LABELS.get(notice.state, notice.state),
            "channels": [{"channel": Channel.LABELS.get(d.channel, d.channel),
                          "address": _address(d.channel, d.address), "state": State.LABELS.get(d.state, d.state),
                          "reason": d.reason, "sent_at": at(d.sent_at), "delivered_at": at(d.delivered_at)}
                         for d in deliveries]})
    for app_id, records in by_app.items():
        add(out, app_id, section("notices", "通知记录 Notices", NOTICE_LABELS, records))
    from app.notifications.consent import SOURCES
    for app_id, phone in _phones(ids).items():
        rows = SmsConsent.select().where(SmsConsent.phone == phone).order_by(SmsConsent.created_at) if phone else []
        add(out, app_id, section("sms_consent", "短信通知退订记录 SMS consent", CONSENT_LABELS, [
            {"phone": mask(r.phone), "opted_out": "是" if r.opted_out else "否(恢复接收)",
             "source": SOURCES.get(r.source, r.source), "created_at": at(r.created_at)} for r in rows]))
    return out


def erase(application_ids):
    """Delete the notices of these applications and the codes of their phones; keep opt-outs (see above)."""
    ids = list(application_ids)
    phones = [p for p in _phones(ids).values() if p]
    counts = {
        "notices": Notice.delete().where(Notice.application.in_(ids)).execute(),
        "phone_codes": PhoneCode.delete().where(PhoneCode.phone.in_(phones)).execute() if phones else 0,
        "sms_consent_opt_ins": SmsConsent.delete().where(
            SmsConsent.phone.in_(phones) & (SmsConsent.opted_out == False)).execute() if phones else 0,  # noqa: E712
    }
    return {"counts": counts, "keys": []}

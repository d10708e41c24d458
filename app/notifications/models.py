"""Notices to candidates and their deliveries per channel, SMS consent, and the codes that prove a phone."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.core.base import BaseModel, JSONField, Statuses, utcnow
from app.core.models import Application


class Channel(Statuses):
    """Where a notice can reach the candidate: kf, 微信客服 inside its 48 h / 5-message window; external, an
    external-contact message task an HR member confirms; sms; email. The status page always shows it (the caller
    posts it there)."""
    LABELS = {"kf": "微信客服", "external": "企业微信客户联系", "sms": "短信", "email": "邮件"}


class State(Statuses):
    """queued -> sending (handed to the channel) -> delivered | failed: reason; held: waiting (quiet hours, the
    day's cap, a provider's per-number limit) until `not_before`; cancelled: the application closed first."""
    LABELS = {"queued": "排队中", "held": "等待发送", "sending": "发送中", "delivered": "已送达", "failed": "失败",
              "cancelled": "已取消"}
    DONE = ("delivered", "failed", "cancelled")


class Notice(BaseModel):
    """One candidate-facing notice of one application, sent once (UNIQUE idempotency key)."""
    application = ForeignKeyField(Application, backref="notices", on_delete="CASCADE")
    notice_key = CharField(max_length=40)          # catalogue.NOTICES key
    idempotency_key = CharField(max_length=128, unique=True)
    values = JSONField(default=dict)               # the named values of the texts (name, job, token ...)
    plan = JSONField(default=list)                 # [{"channel", "address", "via"}] in the order to try
    urgent = BooleanField(default=False)
    state = CharField(max_length=12, default=State.QUEUED, index=True)
    reason = TextField(default="")
    not_before = DateTimeField(null=True)          # held until then
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    staff_told_at = DateTimeField(null=True)       # HR was told nothing reached the candidate (unreached.py)


class NoticeDelivery(BaseModel):
    """The notice on one channel: what was sent, the provider's id, and what became of it."""
    notice = ForeignKeyField(Notice, backref="deliveries", on_delete="CASCADE")
    channel = CharField(max_length=12)
    address = CharField(max_length=120)            # E.164 phone, email address, external_userid
    state = CharField(max_length=12, default=State.QUEUED)
    reason = TextField(default="")
    provider_message_id = CharField(max_length=128, default="", index=True)  # SMS SerialNo, kf msgid, Message-ID
    text = TextField(default="")                   # exactly what went out (the SMS with its signature)
    segments = IntegerField(default=0)             # SMS billed per 70/67 characters
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    delivered_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("notice", "channel"), True), (("channel", "address", "sent_at"), False))


class SmsConsent(BaseModel):
    """Append-only: a phone stopped (or resumed) notice SMS, when and how. The latest row decides."""
    phone = CharField(max_length=20, index=True)   # E.164
    opted_out = BooleanField()
    source = CharField(max_length=20)              # sms_reply ("T"), link, staff
    detail = CharField(max_length=300, default="")
    created_at = DateTimeField(default=utcnow)


class PhoneCode(BaseModel):
    """A 6-digit code sent to prove a phone: only its HMAC is stored; 5 minutes, 5 tries, single use."""
    phone = CharField(max_length=20)
    purpose = CharField(max_length=24)
    code_hash = CharField(max_length=64)
    attempts = IntegerField(default=0)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("phone", "purpose", "created_at"), False),)


NOTIFICATION_MODELS = [Notice, NoticeDelivery, SmsConsent, PhoneCode]

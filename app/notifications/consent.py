"""Whether a phone still takes notice SMS: a "T" reply, the unsubscribe link or HR stops them, recorded with the
time and the source (SmsConsent rows, append-only; the latest decides). Verification codes the person asks for
are not notices and still go out."""
from itsdangerous import BadSignature, URLSafeSerializer

from app.core.extensions import settings
from app.core.phones import to_e164
from app.notifications.models import SmsConsent

# What a reply must say (after trimming, any case) to stop notices; carriers use the same words.
STOP_WORDS = {"T", "TD", "N", "R", "退订", "退定"}
SOURCES = {"sms_reply": "短信回复", "link": "退订链接", "staff": "HR操作", "provider": "服务商免打扰名单"}


def opted_out(phone):
    """True when the latest record of `phone` (any format) stops notice SMS."""
    latest = (SmsConsent.select(SmsConsent.opted_out).where(SmsConsent.phone == to_e164(phone))
              .order_by(SmsConsent.created_at.desc(), SmsConsent.id.desc()).first())
    return bool(latest and latest.opted_out)


def record(phone, opted_out_now, source, detail=""):
    """Append a consent record; returns it (a repeat of the current state is recorded too: it has a time)."""
    if source not in SOURCES:
        raise ValueError(f"unknown consent source {source!r}")
    return SmsConsent.create(phone=to_e164(phone), opted_out=opted_out_now, source=source, detail=detail[:300])


def is_stop_word(text):
    return (text or "").strip().upper() in STOP_WORDS


def _serializer():
    return URLSafeSerializer(settings["SECRET_KEY"], salt="sms-unsubscribe")


def unsubscribe_token(phone):
    """The token of the unsubscribe link of `phone` (signed with the app secret, so it names only that phone)."""
    return _serializer().dumps(to_e164(phone))


def phone_of_token(token):
    """The phone an unsubscribe token names, or None when it was not made here."""
    try:
        return _serializer().loads(token)
    except BadSignature:
        return None

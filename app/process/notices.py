"""Notices and reminders sent once: a SentNotice row is claimed (UNIQUE key) before sending and released if the
send fails, so a rerun job or sweep neither repeats a sent notice nor loses a failed one."""
import logging

from peewee import IntegrityError

from app.conversation.models import Channel, Message, Sender
from app.core import domains, synthetic
from app.core.models import Application
from app.core.tx import transaction
from app.notifications import outreach
from app.process.models import SentNotice
from app.wecom.messages import send_markdown

log = logging.getLogger(__name__)

# What the application page's "已发提醒与通知" calls a sent notice's kind, for the kinds that are neither a reminder
# (reminders.KINDS) nor a process step (audit.KIND_LABELS); privacy_request is sent by app/privacy/hr_reminders.py.
LABELS = {"account": "企业微信账号", "hired": "入职通知", "onboarding": "入职清单", "privacy_request": "数据删除申请",
          "slots_offered": "复试可预约"}


def claim(key, application_id, kind, recipients=()):
    """True when this call owns the notice `key` (nobody sent it before)."""
    try:
        with transaction():
            SentNotice.create(key=key[:128], application=application_id, kind=kind, recipients=list(recipients))
        return True
    except IntegrityError:
        return False


def was_sent(key):
    """Whether the notice `key` went out already (a read, for sweeps that check often: claim writes)."""
    return SentNotice.select().where(SentNotice.key == key[:128]).exists()


def release(key):
    SentNotice.delete().where(SentNotice.key == key[:128]).execute()


def send_once(key, application_id, kind, recipients, send):
    """Call `send()` unless `key` was sent already; returns whether it sent now. A failing send is re-raised
    (the job retries) after releasing the claim. Nothing is sent about a synthetic demo application."""
    if synthetic.is_synthetic(application_id) or not claim(key, application_id, kind, recipients):
        return False
    try:
        send()
    except Exception:
        release(key)
        raise
    return True


def to_members(key, application_id, kind, userids, markdown):
    """A markdown message to members, once."""
    userids = sorted({u for u in userids if u})
    if not userids:
        return False
    return send_once(key, application_id, kind, userids, lambda: send_markdown(userids, markdown))


def to_candidate(key, application_id, kind, text):
    """A system message in the candidate's conversation (their status page), once; none once the application's
    data is deleted."""
    if domains.erased(Application.get_by_id(application_id)):
        return False
    if not claim(key, application_id, kind, ["candidate"]):
        return False
    try:
        with transaction():
            Message.create(application=application_id, sender_kind=Sender.SYSTEM, sender="system",
                           channel=Channel.SYSTEM, body=text, notice_key=key[:64])
    except IntegrityError:
        pass  # the message exists already
    return True


def tell_candidate(key, application_id, kind, text, notice_key, values=None, urgent=None):
    """`text` in the candidate's conversation (to_candidate) and the catalogue's `notice_key` on the channel that
    reaches them (notifications: 微信客服, external contact, SMS, email), each once per `key`; returns whether
    the conversation message is new. `values`: what the notice needs besides name, company, job and link."""
    posted = to_candidate(key, application_id, kind, text)
    outreach.tell(application_id, notice_key, values or {}, idempotency_key=f"process:{key}", urgent=urgent)
    return posted


def sent_for(application_id):
    return list(SentNotice.select().where(SentNotice.application == application_id).order_by(SentNotice.created_at))

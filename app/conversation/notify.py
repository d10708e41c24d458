"""Tell HR in WeCom when a candidate writes: one app message per burst, not one per message.

The first message of a burst sets a Redis key (SET NX with a TTL) and enqueues NOTIFY_STAFF_OF_MESSAGE; later
messages find the key and add nothing. The burst ends when the key expires or when staff reply (the next
message after a reply is news again).
"""
import logging

from app.conversation.models import Message
from app.core import jobs, links, staff
from app.core.extensions import redis_client
from app.core.jobs import JobSpec
from app.core.queues import FAST
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)

BURST_SECONDS = 15 * 60


def _key(application_id):
    return f"conversation:burst:{application_id}"


def message_arrived(application_id, message_id):
    """Called after a candidate's message committed. A Redis failure is logged: the message stands."""
    try:
        if redis_client.get().set(_key(application_id), message_id, nx=True, ex=BURST_SECONDS):
            jobs.enqueue(NOTIFY_STAFF_OF_MESSAGE, application_id, message_id)
    except Exception:  # noqa: BLE001 - the message is stored and shown; only the notice is lost
        log.exception("no WeCom notice for message %s of application %s", message_id, application_id)


def burst_over(application_id):
    try:
        redis_client.get().delete(_key(application_id))
    except Exception:  # noqa: BLE001 - worst case HR is not told about the next message within the burst
        log.exception("could not end the message burst of application %s", application_id)


def notify_staff(application_id, message_id):
    """Send HR the app message about a candidate's new message (the job; at most once per message)."""

    marker = f"conversation:notified:{message_id}"
    conn = redis_client.get()
    message = Message.get_or_none(Message.id == message_id)
    hr = staff.hr_userids()
    if message is None or not hr or conn.exists(marker):
        return False
    application = message.application
    preview = plain(" ".join(message.body.split())[:60]) or "(附件)"
    files = message.attachments.count()
    text = (f"**{plain(application.candidate.name)}** · {application.job.title} 发来新消息\n"
            f"> {preview}" + (f"(附件 {files} 个)" if files else "") + "\n"
            f"[查看并回复]({links.conversation_url(application.id)})")
    send_markdown(hr, text)
    conn.set(marker, 1, ex=30 * 24 * 3600)
    return True


NOTIFY_STAFF_OF_MESSAGE = JobSpec(notify_staff, FAST, "conversation-notify-{0}-{1}")

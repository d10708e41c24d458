"""The one handler of the kf_msg_or_event callback: read the kf account's new messages once (kf/sync_msg from the
stored cursor) and route each: a customer linked to an application -> its conversation (app/conversation);
anyone else -> the funnel's intake, which reads a resume sent through 微信客服 (app/screening/kf_intake.py) and,
once it made an application, links the customer to it so later messages join that conversation."""
import datetime as dt
import logging

from app.conversation import channels, inbound
from app.conversation.models import Channel
from app.core.extensions import redis_client
from app.core.models import EventStatus
from app.screening import kf_intake
from app.wecom import kf

log = logging.getLogger(__name__)


def handle_kf_event(event):
    """A stored kf_msg_or_event WeComEvent; returns (status, result)."""
    message = event.payload["message"]
    token, open_kfid = message.get("Token") or "", message.get("OpenKfId") or ""
    cursor_key = f"wecom:kf-cursor:{open_kfid}"
    conn = redis_client.get()
    cursor = (conn.get(cursor_key) or b"").decode()
    notes = []
    while True:
        answer = kf.sync_msg(token, cursor, open_kfid)
        for msg in answer.get("msg_list") or []:
            notes.append(_route(open_kfid, msg))
        cursor = answer.get("next_cursor") or cursor
        conn.set(cursor_key, cursor)  # each page once: a retried job starts after what it already handled
        if not answer.get("has_more"):
            break
    return EventStatus.HANDLED, "; ".join(n for n in notes if n) or "no new messages"


def _route(open_kfid, msg):
    user = msg.get("external_userid") or ""
    if inbound.store_message(msg):
        return f"{user}: message stored"
    note, application_id = kf_intake.handle_message(open_kfid, msg)
    if application_id:
        sent_at = dt.datetime.fromtimestamp(int(msg.get("send_time") or 0), dt.UTC).replace(tzinfo=None)
        channels.link(application_id, Channel.KF, address=user, via=open_kfid, last_inbound_at=sent_at)
    return note

"""Messages candidates write in 微信客服: a kf_msg_or_event callback -> kf/sync_msg -> the conversation.

Only customers linked to an application (a ChannelLink of kind kf) are stored; their last message opens the
48-hour window for our replies. The sync cursor is kept per kf account in Redis.
"""
import datetime as dt
import logging

from app.conversation import services
from app.conversation.models import Channel, ChannelLink
from app.extensions import redis_client
from app.models import EventStatus
from app.wecom import kf

log = logging.getLogger(__name__)

TEXT_OF = {"image": "[图片,请在企业微信查看]", "voice": "[语音,请在企业微信查看]", "video": "[视频,请在企业微信查看]",
           "file": "[文件,请在企业微信查看]"}


def handle_kf_event(event):
    """A stored kf_msg_or_event WeComEvent: sync the new messages; returns (status, result)."""
    message = event.payload["message"]
    token, open_kfid = message.get("Token") or "", message.get("OpenKfId") or ""
    cursor_key = f"wecom:kf-cursor:{open_kfid}"
    conn = redis_client.get()
    cursor = (conn.get(cursor_key) or b"").decode()
    stored = 0
    while True:
        answer = kf.sync_msg(token, cursor, open_kfid)
        for msg in answer.get("msg_list") or []:
            stored += bool(_store(msg))
        cursor = answer.get("next_cursor") or cursor
        conn.set(cursor_key, cursor)
        if not answer.get("has_more"):
            break
    return EventStatus.HANDLED, f"{stored} kf message(s) stored"


def _store(msg):
    if msg.get("origin") != kf.ORIGIN_CUSTOMER:
        return None
    link = ChannelLink.get_or_none((ChannelLink.kind == Channel.KF) & (ChannelLink.via == msg.get("open_kfid"))
                                   & (ChannelLink.address == msg.get("external_userid")))
    if link is None:
        log.info("kf message %s from an unlinked customer ignored", msg.get("msgid"))
        return None
    sent_at = dt.datetime.fromtimestamp(int(msg.get("send_time") or 0), dt.UTC).replace(tzinfo=None)
    msgtype = msg.get("msgtype")
    body = (msg.get("text") or {}).get("content", "") if msgtype == "text" else TEXT_OF.get(msgtype, f"[{msgtype}]")
    stored = services.post_inbound(link.application_id, body, channel=Channel.KF,
                                   external_msgid=str(msg.get("msgid"))[:128], sent_at=sent_at)
    if link.last_inbound_at is None or sent_at > link.last_inbound_at:
        ChannelLink.update(last_inbound_at=sent_at).where(ChannelLink.id == link.id).execute()
    return stored

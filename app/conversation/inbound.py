"""Messages candidates write in 微信客服 go into their application's conversation.

Only customers linked to an application (a ChannelLink of kind kf) are stored; their last message opens the
48-hour window for our replies.
"""
import datetime as dt
import logging

from app.conversation import services
from app.conversation.models import Channel, ChannelLink
from app.wecom import kf

log = logging.getLogger(__name__)

TEXT_OF = {"image": "[图片,请在企业微信查看]", "voice": "[语音,请在企业微信查看]", "video": "[视频,请在企业微信查看]",
           "file": "[文件,请在企业微信查看]"}


def store_message(msg):
    """Store one synced kf message of a customer linked to an application; None when it is not one of those.

    The kf account is read once per callback by wecom_callbacks/kf_events.py, which hands every message here first."""
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

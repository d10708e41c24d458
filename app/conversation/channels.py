"""Delivering staff messages beyond the status page, within each channel's limits.

- 微信客服 (kf): at most 5 messages within 48 hours of the candidate's last kf message. Our own count decides
  before sending (the 6th is held for the status page and HR is told); WeCom (and the sandbox) refuse anyway.
- External contact: a message task the HR member confirms in WeCom (add_msg_template); it is
  "awaiting confirmation" until they do.
The status page shows every message whatever happens here.
"""
import datetime as dt
import logging
from dataclasses import dataclass

from app.conversation.models import Channel, ChannelLink, Delivery, DeliveryState, Message
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.queues import FAST
from app.wecom import external_contact, kf
from app.wecom.errors import WeComError, WeComRetryableError

log = logging.getLogger(__name__)

KF_WINDOW = dt.timedelta(hours=48)
KF_MAX = 5


@dataclass(frozen=True)
class KfWindow:
    open: bool
    used: int
    closes_at: dt.datetime | None
    reason: str

    @property
    def left(self):
        return max(0, KF_MAX - self.used) if self.open else 0


def kf_window(link, now=None):
    """Whether a kf message may go to this candidate now, how many went since their last message, and why not."""
    now = now or utcnow()
    if link.last_inbound_at is None:
        return KfWindow(False, 0, None, "候选人还没有在微信客服发过消息")
    closes_at = link.last_inbound_at + KF_WINDOW
    used = (Delivery.select().join(Message)
            .where((Message.application == link.application_id) & (Delivery.channel == Channel.KF)
                   & (Delivery.state.in_([DeliveryState.QUEUED, DeliveryState.SENT]))
                   & (Delivery.created_at >= link.last_inbound_at)).count())
    if now >= closes_at:
        return KfWindow(False, used, closes_at, "距候选人上次在微信客服发消息已超过48小时")
    if used >= KF_MAX:
        return KfWindow(False, used, closes_at, f"候选人上次发消息后48小时内最多发{KF_MAX}条,已用完")
    return KfWindow(True, used, closes_at, "")


def links_of(application_id):
    return {link.kind: link for link in ChannelLink.select().where(ChannelLink.application == application_id)}


def plan(message):
    """Create the message's deliveries (inside the posting transaction); return them."""
    deliveries = []
    for kind, link in links_of(message.application_id).items():
        state, detail = DeliveryState.QUEUED, ""
        if kind == Channel.KF:
            window = kf_window(link)
            if not window.open:
                state, detail = DeliveryState.HELD, window.reason
        deliveries.append(Delivery.create(message=message, channel=kind, state=state, detail=detail))
    return deliveries


def deliver(message_id):
    """Send the message's queued deliveries (the DELIVER_MESSAGE job). Transient WeCom errors raise (RQ retries);
    a refusal is written on the delivery for HR to see."""
    message = Message.get_or_none(Message.id == message_id)
    if message is None:
        return []
    links = links_of(message.application_id)
    done = []
    for delivery in Delivery.select().where((Delivery.message == message.id)
                                            & (Delivery.state == DeliveryState.QUEUED)):
        link = links.get(delivery.channel)
        if link is None:
            _mark(delivery, DeliveryState.FAILED, "候选人的联系渠道已解除")
            continue
        try:
            state, detail = SENDERS[delivery.channel](link, message)
        except WeComRetryableError:
            raise
        except WeComError as exc:
            state, detail = _refused(delivery.channel, exc)
        _mark(delivery, state, detail)
        done.append((delivery.channel, state))
    return done


def _send_kf(link, message):
    answer = kf.send_text(link.via, link.address, message.body)
    return DeliveryState.SENT, answer.get("msgid", "")


def _send_external(link, message):
    answer = external_contact.add_msg_template(link.via, [link.address], message.body)
    if answer.get("fail_list"):
        return DeliveryState.FAILED, "企业微信未能创建发送任务(客户不是该成员的联系人?)"
    return DeliveryState.AWAITING_CONFIRMATION, answer.get("msgid", "")


SENDERS = {Channel.KF: _send_kf, Channel.EXTERNAL: _send_external}

# kf/send_msg errcodes that mean the 48 h / 5-message window is closed (see docs/conversation.md).
KF_WINDOW_ERRCODES = {95001, 95002}


def _refused(channel, exc):
    if channel == Channel.KF and exc.errcode in KF_WINDOW_ERRCODES:
        return DeliveryState.HELD, f"微信客服拒绝:{exc.errmsg}(仅状态页可见)"
    return DeliveryState.FAILED, f"企业微信错误 {exc.errcode}: {exc.errmsg}"


def _mark(delivery, state, detail):
    Delivery.update(state=state, detail=detail[:500], updated_at=utcnow()).where(Delivery.id == delivery.id).execute()


def link(application_id, kind, address, via, last_inbound_at=None):
    """Record how to reach the candidate on `kind` (one link per kind; a new one replaces the old)."""
    if kind not in SENDERS:
        raise ValueError(f"unknown channel {kind!r}")
    ChannelLink.delete().where((ChannelLink.application == application_id) & (ChannelLink.kind == kind)).execute()
    return ChannelLink.create(application=application_id, kind=kind, address=address[:64], via=via[:64],
                              last_inbound_at=last_inbound_at)


DELIVER_MESSAGE = JobSpec(deliver, FAST, "deliver-message-{0}")

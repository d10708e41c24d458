"""What the SMS provider reports back, fetched on a schedule (PULL_SMS_RECEIPTS): delivery receipts move an SMS
delivery from 发送中 to 已送达 or 失败 (and a failure falls back to the notice's next channel), and replies of "T"
(or 退订) stop notice SMS to that phone.

Tencent hands each receipt and reply out once (PullSmsSendStatus / PullSmsReplyStatus), so each is applied as it is
read (one transaction per pulled batch of up to 100). Aliyun is asked per SMS (QuerySendDetails): every delivery
still 发送中 that was sent within ALIYUN_RECEIPT_DAYS is looked up (at most ALIYUN_QUERIES per run, the ones not
asked longest first); Aliyun pushes replies to the URL read_pushed_replies answers (views.aliyun_replies). Other
replies are logged only."""
import datetime as dt
import logging

from app.core import sms
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.phones import e164_or_none, mask
from app.core.queues import FAST
from app.core.tx import transaction
from app.notifications import consent, sending
from app.notifications.channels import sms_client
from app.notifications.models import Channel, NoticeDelivery, State

log = logging.getLogger(__name__)
MAX_PULLS = 20  # 100 per pull: at most 2,000 receipts per run, the next run takes the rest
ALIYUN_RECEIPT_DAYS = 3  # QuerySendDetails reaches 30 days back; a receipt comes within minutes or not at all
ALIYUN_QUERIES = 200     # QuerySendDetails calls per run (its QPS limit is 5,000)


def _when(unix):
    try:
        return dt.datetime.fromtimestamp(int(unix), dt.UTC).replace(tzinfo=None)
    except (TypeError, ValueError):
        return None


def apply_receipt(receipt):
    """One PullSmsSendStatus item; True when it matched a delivery of ours."""
    delivery = (NoticeDelivery.select().where((NoticeDelivery.channel == Channel.SMS)
                                              & (NoticeDelivery.provider_message_id == receipt.get("SerialNo", "")))
                .first())
    if delivery is None:
        return False  # a phone code, or a receipt of another system on the same SMS app
    settle(delivery, receipt.get("ReportStatus") == "SUCCESS", receipt.get("Description"),
           _when(receipt.get("UserReceiveTime")))
    return True


def settle(delivery, delivered, description, received_at):
    """Apply one receipt to its SMS delivery: 已送达, or 失败 and the notice's next channel."""
    if delivered:
        sending.channel_delivered(delivery.id, received_at)
    else:
        sending.channel_failed(delivery.id, f"短信未送达:{description or '运营商未送达'}")


def apply_reply(reply):
    """One PullSmsReplyStatus item (Tencent); True when it stopped notice SMS."""
    return read_reply(reply.get("PhoneNumber", ""), reply.get("ReplyContent", ""))


def read_reply(phone, text):
    """A candidate's reply to our SMS; "T" (a stop word) stops notice SMS to the phone. True when it did."""
    phone, text = e164_or_none(str(phone or "")), str(text or "")
    if phone and consent.is_stop_word(text):
        consent.record(phone, True, "sms_reply", detail=text)
        return True
    log.info("SMS reply from %s not handled (%d characters)", mask(phone or ""), len(text))
    return False


def read_pushed_replies(items):
    """Aliyun's pushed replies (上行短信 SmsUp, a JSON array of {phone_number, content, ...}); how many stopped
    notice SMS. ValueError when the body is not such an array (nothing read)."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError("not a JSON array of objects")
    with transaction():
        return sum(read_reply(item.get("phone_number"), item.get("content")) for item in items)


def query_pending(client, now=None):
    """Aliyun: look up the receipt of each SMS delivery still 发送中 (sent within ALIYUN_RECEIPT_DAYS); how many
    were settled. Each lookup touches updated_at, so the next run asks the others first."""
    now = now or utcnow()
    pending = (NoticeDelivery.select().where(
        (NoticeDelivery.channel == Channel.SMS) & (NoticeDelivery.state == State.SENDING)
        & (NoticeDelivery.provider_message_id != "")
        & (NoticeDelivery.sent_at >= now - dt.timedelta(days=ALIYUN_RECEIPT_DAYS)))
        .order_by(NoticeDelivery.updated_at, NoticeDelivery.id).limit(ALIYUN_QUERIES))
    settled = 0
    for delivery in list(pending):
        receipt = client.receipt(delivery.address, delivery.provider_message_id, delivery.sent_at)
        with transaction():
            if receipt is None:
                NoticeDelivery.update(updated_at=utcnow()).where(
                    (NoticeDelivery.id == delivery.id) & (NoticeDelivery.state == State.SENDING)).execute()
            else:
                settle(delivery, receipt.delivered, receipt.description, receipt.received_at)
                settled += 1
    return settled


def pull(client=None):
    """Fetch and apply receipts and replies until the provider has none; {"receipts": n, "replies": n}."""
    if not sms.on():
        return {"receipts": 0, "replies": 0}
    client = client or sms_client()
    if client.RECEIPTS == "query":  # Aliyun: asked per SMS, no replies
        return {"receipts": query_pending(client), "replies": 0}
    counts = {"receipts": 0, "replies": 0}
    for kind, fetch, apply in (("receipts", client.pull_send_status, apply_receipt),
                               ("replies", client.pull_replies, apply_reply)):
        for _ in range(MAX_PULLS):
            items = fetch()
            with transaction():  # one commit per pulled batch (the fallbacks are enqueued after it)
                for item in items:
                    apply(item)
            counts[kind] += len(items)
            if not items:
                break
    return counts


PULL_SMS_RECEIPTS = JobSpec(pull, FAST, "pull-sms-receipts", retries=0)

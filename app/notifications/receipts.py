"""What the SMS provider reports back, pulled on a schedule (PULL_SMS_RECEIPTS): delivery receipts move an SMS
delivery from 发送中 to 已送达 or 失败 (and a failure falls back to the notice's next channel), and replies of "T"
(or 退订) stop notice SMS to that phone. The provider hands each receipt and reply out once, so each is applied as
it is read (one transaction per pulled batch of up to 100). Other replies are logged only (phase 2: into the
candidate's conversation)."""
import datetime as dt
import logging

from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.queues import FAST
from app.core.tx import transaction
from app.notifications import consent, sending
from app.notifications.channels import sms_client
from app.notifications.models import Channel, NoticeDelivery
from app.notifications.phones import e164_or_none, mask

log = logging.getLogger(__name__)
MAX_PULLS = 20  # 100 per pull: at most 2,000 receipts per run, the next run takes the rest


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
    if receipt.get("ReportStatus") == "SUCCESS":
        sending.channel_delivered(delivery.id, _when(receipt.get("UserReceiveTime")))
    else:
        sending.channel_failed(delivery.id, f"短信未送达:{receipt.get('Description') or '运营商未送达'}")
    return True


def apply_reply(reply):
    """One PullSmsReplyStatus item; True when it stopped notice SMS."""
    phone = e164_or_none(reply.get("PhoneNumber", ""))
    text = reply.get("ReplyContent", "")
    if phone and consent.is_stop_word(text):
        consent.record(phone, True, "sms_reply", detail=text)
        return True
    log.info("SMS reply from %s not handled (%d characters)", mask(phone or ""), len(text))
    return False


def pull(client=None):
    """Pull and apply receipts and replies until the provider has none; {"receipts": n, "replies": n}."""
    if settings.get("SMS_PROVIDER") != "tencent":
        return {"receipts": 0, "replies": 0}
    client = client or sms_client()
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

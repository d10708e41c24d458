"""What the application's timeline shows of its notices, and what the 微信客服 window must count (phase 2 reads
these; the conversation domain owns the window itself)."""
from app.notifications.catalogue import NOTICES
from app.notifications.models import Channel, Notice, NoticeDelivery, State


def for_application(application_id):
    """The notices of an application, oldest first: [{"key", "title", "state", "state_label", "reason",
    "not_before", "created_at", "channels": [{"channel", "label", "state", "state_label", "reason", "sent_at",
    "delivered_at", "segments"}]}] (a failed channel before the one that worked, in the order tried)."""
    notices = list(Notice.select().where(Notice.application == application_id).order_by(Notice.created_at, Notice.id))
    deliveries = {}
    for d in (NoticeDelivery.select().where(NoticeDelivery.notice.in_([n.id for n in notices]))
              .order_by(NoticeDelivery.created_at, NoticeDelivery.id)):
        deliveries.setdefault(d.notice_id, []).append(d)
    return [{"key": n.notice_key, "title": NOTICES[n.notice_key].title if n.notice_key in NOTICES else n.notice_key,
             "state": n.state, "state_label": State.LABELS.get(n.state, n.state), "reason": n.reason,
             "not_before": n.not_before, "created_at": n.created_at,
             "channels": [{"channel": d.channel, "label": Channel.LABELS.get(d.channel, d.channel), "state": d.state,
                           "state_label": State.LABELS.get(d.state, d.state), "reason": d.reason,
                           "sent_at": d.sent_at, "delivered_at": d.delivered_at, "segments": d.segments}
                          for d in deliveries.get(n.id, [])]}
            for n in notices]


def kf_sent_since(application_id, since):
    """Notices that went to the candidate on 微信客服 since `since` (the 48 h / 5-message window counts them)."""
    return (NoticeDelivery.select().join(Notice)
            .where((Notice.application == application_id) & (NoticeDelivery.channel == Channel.KF)
                   & (NoticeDelivery.state == State.DELIVERED) & (NoticeDelivery.sent_at >= since)).count())

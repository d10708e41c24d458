"""The conversation of one application: who may open it, posting messages and notices, reading the thread."""
import logging

from peewee import IntegrityError, prefetch

from app.conversation import attachments, channels, notify
from app.conversation.channels import DELIVER_MESSAGE
from app.conversation.models import Attachment, Channel, Delivery, DeliveryState, Message, Sender
from app.core import domains, jobs, phases, pipeline, rate_limits
from app.core.base import utcnow
from app.core.errors import BadRequest, TooManyAttempts
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.localtime import local_iso, local_time, zone_short
from app.core.models import Application, StaffUser, StageEvent
from app.core.queues import FAST
from app.core.tx import after_commit, transaction
from app.interview.invitations import latest_interview

log = logging.getLogger(__name__)

MAX_BODY = 2000
# The candidate's sending limits: (count, seconds) per application.
SEND_LIMITS = ((5, 60), (40, 24 * 3600))
UPLOAD_LIMITS = ((20, 3600),)


def _rate_limit(application_id, what, limits, message):
    wait = rate_limits.count_use(f"conversation:rate:{what}:{application_id}", limits)
    if wait is not None:
        raise TooManyAttempts(message, code=f"too_many_{what}", retry_after_s=wait)


def check_upload_rate(application_id):
    _rate_limit(application_id, "uploads", UPLOAD_LIMITS, "上传太频繁,请稍后再试 Too many uploads, try again later")


def _clean_body(body):
    body = (body if isinstance(body, str) else "").replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY:
        raise BadRequest(f"消息最多 {MAX_BODY} 字,这条有 {len(body)} 字,请删减后再发送 The message has {len(body)} "
                         f"characters, at most {MAX_BODY}", code="message_too_long", length=len(body),
                         max_length=MAX_BODY)
    return body


def post_candidate_message(interview, body, attachment_ids=()):
    """The candidate writes from the status page; HR hears of it once per burst (notify.py)."""
    body = _clean_body(body)
    application_id = interview.application_id
    if not body and not attachment_ids:
        raise BadRequest("请输入消息或添加附件 Write a message or add an attachment", code="message_empty")
    files = attachments.for_message(application_id, attachment_ids)
    _rate_limit(application_id, "messages", SEND_LIMITS, "发送太频繁,请稍后再试 Too many messages, try again later")
    with transaction():
        message = Message.create(application=application_id, sender_kind=Sender.CANDIDATE, sender="candidate",
                                 channel=Channel.PAGE, body=body)
        if files:
            taken = (Attachment.update(message=message)
                     .where(Attachment.id.in_([f.id for f in files]) & Attachment.message.is_null()).execute())
            if taken != len(files):  # purged or sent meanwhile: send nothing rather than a message without its file
                raise BadRequest(attachments.GONE_MESSAGE, code="invalid_attachment")
        after_commit(lambda: notify.message_arrived(application_id, message.id))
    return message


def post_inbound(application_id, body, *, channel, external_msgid, sent_at):
    """A candidate's message that arrived on another channel (微信客服); stored once per external msgid."""
    try:
        with transaction():
            message = Message.create(application=application_id, sender_kind=Sender.CANDIDATE, sender="candidate",
                                     channel=channel, body=body[:MAX_BODY], external_msgid=external_msgid,
                                     created_at=sent_at)
    except IntegrityError:
        return None
    notify.message_arrived(application_id, message.id)
    return message


def post_staff_message(application_id, userid, body):
    """HR or a manager replies; returns (message, deliveries). The status page always shows it; each linked
    channel gets a delivery, queued for the DELIVER_MESSAGE job or held when the channel's limit is used up."""
    body = _clean_body(body)
    if not body:
        raise BadRequest("回复不能为空 The reply is empty", code="message_empty")
    with transaction():
        message = Message.create(application=application_id, sender_kind=Sender.STAFF, sender=userid,
                                 channel=Channel.WEB, body=body)
        deliveries = channels.plan(message)
        if any(d.state == DeliveryState.QUEUED for d in deliveries):
            jobs.enqueue_after_commit(DELIVER_MESSAGE, message.id)
        after_commit(lambda: notify.burst_over(application_id))
    return message, deliveries


def post_stage_notice(stage_event_id):
    """The system notice of one stage change (the follow-up table's POST_STAGE_NOTICE); once per event."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    if event is None:
        return None
    application = event.application
    if domains.erased(application):
        return None
    interview = latest_interview(application.id)
    text = phases.notice_text(event.to_stage, job=application.job.title, company=settings["COMPANY_NAME"],
                              expires=(f"{local_time(interview.expires_at, '%m月%d日 %H:%M')}({zone_short()})"
                                       if interview else ""),
                              actor=event.actor, message=event.candidate_message)
    if text is None:
        return None
    try:
        with transaction():
            return Message.create(application=application.id, sender_kind=Sender.SYSTEM, sender="system",
                                  channel=Channel.SYSTEM, body=text, notice_key=f"stage-event:{event.id}",
                                  created_at=event.created_at)
    except IntegrityError:
        return Message.get(Message.notice_key == f"stage-event:{event.id}")


def thread(application_id):
    """Every message of the application, oldest first, with attachments and deliveries loaded."""
    query = Message.select().where(Message.application == application_id).order_by(Message.created_at, Message.id)
    return prefetch(query, Attachment, Delivery)


def staff_names(messages):
    """{userid: name} of the staff who wrote, from sign-ins (no WeCom call while rendering)."""
    userids = {m.sender for m in messages if m.sender_kind == Sender.STAFF}
    if not userids:
        return {}
    return {row.userid: row.name for row in StaffUser.select().where(StaffUser.userid.in_(list(userids)))
            if row.name}


SUPERSEDED = "已失效,请使用最新的面试链接"


def superseded_invitations(messages, current):
    """Ids of the invitation notices that a newer link replaced (HR invited again after an expired link or an
    identity lock; `current`, the application's newest interview): the link they announced no longer opens and
    their deadline no longer holds, so the page marks them. The current link's notice is posted after its
    interview was opened; a re-invitation at the same stage posts none, and the page's deadline is the new one."""
    events = {int(m.notice_key.split(":", 1)[1]): m for m in messages
              if m.notice_key and m.notice_key.startswith("stage-event:") and m.created_at < current.created_at}
    if not events:
        return set()
    return {events[e.id].id for e in StageEvent.select(StageEvent.id)
            .where(StageEvent.id.in_(list(events)) & (StageEvent.to_stage == "ai_invited"))}


def candidate_status(interview):
    """Everything the status page shows, as plain values."""
    application = Application.get_by_id(interview.application_id)
    event = pipeline.last_change(application.id)
    phase = phases.phase_for(application.stage, event)
    due = None
    if application.stage == "ai_invited":
        due = interview.expires_at
    elif phase.days and not phase.final:
        since = event.created_at if event else application.updated_at
        due = phases.add_working_days(since, phase.days)
    messages = thread(application.id)
    return {"application": application, "job": application.job, "phase": phase, "steps": phases.STEPS,
            "due": due, "messages": messages, "names": staff_names(messages),
            "superseded": superseded_invitations(messages, latest_interview(application.id)),
            "superseded_note": SUPERSEDED,
            "max_body": MAX_BODY, "max_attachments": attachments.MAX_PER_MESSAGE,
            "max_bytes": attachments.max_bytes()}


def export(application_id):
    """The conversation as plain data, for the candidate's data export (privacy; times in the display zone)."""
    return [{"at": local_iso(m.created_at), "from": m.sender_kind, "channel": m.channel, "text": m.body,
             "attachments": [attachments.attachment_out(a) for a in m.attachments],
             "deliveries": [{"channel": d.channel, "state": d.state} for d in m.deliveries]}
            for m in thread(application_id)]


def mark_delivery(delivery_id, state, detail=""):
    Delivery.update(state=state, detail=detail[:500], updated_at=utcnow()).where(Delivery.id == delivery_id).execute()


POST_STAGE_NOTICE = JobSpec(post_stage_notice, FAST, "stage-notice-{0}")

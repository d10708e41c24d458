"""The conversation of one application: messages, their attachments and deliveries, the candidate's channels."""
from peewee import BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.core.base import BaseModel, Statuses, utcnow
from app.core.models import Application, Job
from app.interview.models import Interview, UploadStatus


class Sender(Statuses):
    """Who wrote a message: the candidate, a staff member (HR or a manager), or the system (a notice)."""
    LABELS = {"candidate": "候选人", "staff": "招聘方", "system": "系统"}


class Channel(Statuses):
    """Where a message was written or delivered: page, the candidate's status page (always); kf, 微信客服;
    external, an external-contact message task an HR member confirms; web, the staff application page."""
    LABELS = {"page": "状态页", "kf": "微信客服", "external": "企业微信客户联系", "web": "网页", "system": "系统"}


class DeliveryState(Statuses):
    """queued -> sent | held (the channel's limit: only the status page shows it) | awaiting_confirmation
    (an external-contact task the member still has to confirm in WeCom) | failed. LABELS: what the chat shows."""
    LABELS = {"queued": "发送中", "sent": "已送达", "held": "未发送,仅状态页可见",
              "awaiting_confirmation": "待成员在企业微信确认发送", "failed": "发送失败"}


class Message(BaseModel):
    application = ForeignKeyField(Application, backref="messages", on_delete="CASCADE")
    sender_kind = CharField(max_length=12)   # Sender
    sender = CharField(max_length=64)        # a staff userid, "candidate" or "system"
    channel = CharField(max_length=12)       # Channel it was written in
    body = TextField(default="")
    # A system notice's identity (e.g. "stage-event:12"): UNIQUE, so a rerun job posts it once.
    notice_key = CharField(max_length=64, null=True, unique=True)
    # An inbound 微信客服 message's msgid: UNIQUE, so a repeated sync stores it once.
    external_msgid = CharField(max_length=128, null=True, unique=True)
    created_at = DateTimeField(default=utcnow, index=True)


class Purpose(Statuses):
    """What a candidate's file is for. CHAT: an attachment of the conversation (HR and the job's managers see
    it). HR_DOCUMENT: a document of the background check or the onboarding checklist (ID card, 离职证明...):
    the chat routes never serve it; only HR opens it, through app/process/documents.py, each view logged."""
    LABELS = {"chat": "对话附件", "hr_document": "背景调查/入职材料"}


class Attachment(BaseModel):
    """A file the candidate sent: type detected from its bytes, stored under MEDIA_ROOT/attachments/."""
    application = ForeignKeyField(Application, backref="attachments", on_delete="CASCADE")
    message = ForeignKeyField(Message, backref="attachments", null=True, on_delete="CASCADE")
    storage_key = CharField(max_length=255)
    filename = CharField(max_length=120)
    mime_type = CharField(max_length=80)
    kind = CharField(max_length=12)  # image / document
    size_bytes = BigIntegerField()
    purpose = CharField(max_length=12, default=Purpose.CHAT)  # Purpose (migration step 16)
    created_at = DateTimeField(default=utcnow)


class AttachmentUpload(BaseModel):
    """A chunked upload session of one attachment (the same resumable protocol as the answers' uploads)."""
    id = CharField(max_length=32, primary_key=True)
    application = ForeignKeyField(Application, on_delete="CASCADE")
    interview = ForeignKeyField(Interview, on_delete="CASCADE")
    filename = CharField(max_length=120)
    total_bytes = BigIntegerField()
    chunk_bytes = IntegerField()
    total_chunks = IntegerField()
    status = CharField(max_length=20, default=UploadStatus.OPEN)  # UploadStatus (as the answers' uploads)
    purpose = CharField(max_length=12, default=Purpose.CHAT)  # the Attachment's purpose once complete
    attachment = ForeignKeyField(Attachment, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)


class Delivery(BaseModel):
    """One outbound message on one channel beyond the status page."""
    message = ForeignKeyField(Message, backref="deliveries", on_delete="CASCADE")
    channel = CharField(max_length=12)  # Channel.KF / Channel.EXTERNAL
    state = CharField(max_length=24, default=DeliveryState.QUEUED)
    detail = TextField(default="")  # why held or failed, in words HR reads; the msgid when sent
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("message", "channel"), True),)


class ChannelLink(BaseModel):
    """How the candidate of an application can be reached beyond the status page.

    kind kf: `address` is the 微信客服 customer's external_userid, `via` the open_kfid, `last_inbound_at` when
    the customer last wrote (the 48 h / 5-message window starts there). kind external: `address` is the
    external_userid, `via` the HR member whose external contact the candidate is.
    """
    application = ForeignKeyField(Application, backref="channel_links", on_delete="CASCADE")
    kind = CharField(max_length=12)
    address = CharField(max_length=64)
    via = CharField(max_length=64)
    last_inbound_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("application", "kind"), True), (("kind", "via", "address"), False))


class ReplyTemplate(BaseModel):
    """A quick reply HR saved for one job (the built-in ones live in app/conversation/drafts.py)."""
    job = ForeignKeyField(Job, backref="reply_templates", on_delete="CASCADE")
    title = CharField(max_length=40)
    body = TextField()
    created_by = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)


CONVERSATION_MODELS = [Message, Attachment, AttachmentUpload, Delivery, ChannelLink, ReplyTemplate]

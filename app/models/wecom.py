"""WeCom state: received callback events, sent cards, approvals, and staff roles."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.models.base import BaseModel, JSONField, utcnow
from app.models.candidates import Application


class EventStatus:
    """received -> handled | refused (not allowed, e.g. a tap by a non-manager); ignored: nothing to do;
    failed: the handler kept failing until the sweep gave up (app/services/wecom_events.py)."""
    RECEIVED = "received"
    HANDLED = "handled"
    REFUSED = "refused"
    IGNORED = "ignored"
    FAILED = "failed"
    FINAL = (HANDLED, REFUSED, IGNORED, FAILED)


class CardStatus:
    """sending -> sent -> decided -> updated (buttons greyed out); retry (a transient send failure); failed."""
    SENDING = "sending"
    SENT = "sent"
    DECIDED = "decided"
    UPDATED = "updated"
    RETRY = "retry"
    FAILED = "failed"


class WeComEvent(BaseModel):
    """A callback as received; `dedupe_key` is UNIQUE so a redelivery cannot be stored (or handled) twice."""
    dedupe_key = CharField(max_length=255, unique=True)
    msg_type = CharField(max_length=32)
    event_type = CharField(max_length=64, default="", index=True)
    from_user = CharField(max_length=64, default="")
    agent_id = IntegerField(null=True)
    raw_xml = TextField()
    payload = JSONField(default=dict)
    status = CharField(max_length=16, default=EventStatus.RECEIVED)  # EventStatus
    result = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    handled_at = DateTimeField(null=True)


class CardMessage(BaseModel):
    """A template card we sent. `task_id` is UNIQUE: the same result card cannot be sent twice."""
    task_id = CharField(max_length=128, unique=True)
    application = ForeignKeyField(Application, backref="cards", null=True, on_delete="CASCADE")
    kind = CharField(max_length=20, default="result")  # result / test
    userids = JSONField(default=list)
    card = JSONField(default=dict)
    status = CharField(max_length=16, default=CardStatus.SENDING)  # CardStatus
    # The latest unused response_code (from the send reply or a click); each works once, for 72 h.
    response_code = CharField(max_length=255, default="")
    response_code_used = BooleanField(default=False)
    decision = CharField(max_length=32, default="")
    decided_by = CharField(max_length=64, default="")
    decided_by_name = CharField(max_length=60, default="")
    error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class Approval(BaseModel):
    """A WeCom approval (an offer) tied to an application; sp_status follows sys_approval_change."""
    sp_no = CharField(max_length=64, unique=True)
    application = ForeignKeyField(Application, backref="approvals", on_delete="CASCADE")
    kind = CharField(max_length=20, default="offer")
    creator = CharField(max_length=64)
    sp_status = IntegerField(default=1)
    detail = JSONField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class StaffUser(BaseModel):
    """A member who signed in to /admin or /m. HR comes from HR_USERIDS (or is granted here); managers are
    derived from Job.manager_userids."""
    userid = CharField(max_length=64, unique=True)
    name = CharField(max_length=60, default="")
    is_hr = BooleanField(default=False)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

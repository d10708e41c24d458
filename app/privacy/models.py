"""Deletion requests: they hold no personal fields and outlive a deletion (the access log is app/core/access_log.py)."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from app.core.base import BaseModel, JSONField, utcnow
from app.core.models import Application, Candidate


class RequestStatus:
    """pending (HR decides before `deadline`) -> confirmed (the deletion job runs) -> done; or pending -> kept
    (HR recorded a legal reason to keep the data; the candidate sees the reason)."""
    PENDING = "pending"
    CONFIRMED = "confirmed"
    DONE = "done"
    KEPT = "kept"
    OPEN = (PENDING, CONFIRMED)


class DeletionRequest(BaseModel):
    candidate = ForeignKeyField(Candidate, backref="deletion_requests", on_delete="CASCADE")
    # The application whose status page the candidate asked from (None when HR started it).
    application = ForeignKeyField(Application, null=True, on_delete="SET NULL")
    requested_by = CharField(max_length=64)   # "candidate" or the HR member's userid
    status = CharField(max_length=12, default=RequestStatus.PENDING, index=True)
    deadline = DateTimeField()                 # HR decides before this (PRIVACY_DEADLINE_DAYS after the request)
    decided_by = CharField(max_length=64, default="")
    decided_at = DateTimeField(null=True)
    reason = TextField(default="")             # the legal reason to keep the data (status kept)
    completed_at = DateTimeField(null=True)
    summary = JSONField(null=True)             # what the deletion removed: {"files": n, "answers": n, ...}
    created_at = DateTimeField(default=utcnow)


PRIVACY_MODELS = [DeletionRequest]

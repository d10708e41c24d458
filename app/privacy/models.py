"""Deletion requests: they hold no personal fields and outlive a deletion (the access log is app/core/access_log.py).
Data packages (the export with its files, app/privacy/archive.py): one row per scope, the zip in storage."""
from peewee import BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.core.base import BaseModel, JSONField, Statuses, utcnow
from app.core.models import Application, Candidate


class RequestStatus(Statuses):
    """pending (HR decides before `deadline`) -> confirmed (the deletion job runs) -> done; or pending -> kept
    (HR recorded a legal reason to keep the data; the candidate sees the reason)."""
    LABELS = {"pending": "待处理", "confirmed": "已确认,删除中", "done": "已删除", "kept": "依法保留"}
    OPEN = ("pending", "confirmed")


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


class ArchiveStatus(Statuses):
    """pending (the job builds it) -> ready (downloadable until `expires_at`) or failed (`error` says why in
    Chinese; pressing again builds anew); ready -> expired (the retention purge removed the zip)."""
    LABELS = {"pending": "生成中", "ready": "可下载", "failed": "生成失败", "expired": "已过期"}


class ExportArchive(BaseModel):
    """The data package of one scope (a candidate's link: its application; HR: the whole record), at most one at a
    time: `scope_key` is unique, and a new build after a failure or expiry reuses the row (`attempt` + 1)."""
    candidate = ForeignKeyField(Candidate, on_delete="CASCADE")
    application = ForeignKeyField(Application, null=True, on_delete="CASCADE")  # None: HR's whole record
    scope_key = CharField(max_length=40, unique=True)   # "application:<id>" or "candidate:<id>"
    requested_by = CharField(max_length=64)             # "candidate" or the HR member's userid
    status = CharField(max_length=12, default=ArchiveStatus.PENDING)
    attempt = IntegerField(default=1)                   # which build: the job's key, so a stale job does nothing
    storage_key = CharField(max_length=255, default="")
    size_bytes = BigIntegerField(default=0)
    file_count = IntegerField(default=0)
    error = TextField(default="")
    created_at = DateTimeField(default=utcnow)          # when this build was asked for
    finished_at = DateTimeField(null=True)
    expires_at = DateTimeField(null=True)


PRIVACY_MODELS = [DeletionRequest, ExportArchive]

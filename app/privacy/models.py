"""Deletion requests and the access log. Neither holds a candidate's personal fields: both outlive a deletion."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

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


class Action:
    """What an access-log row records."""
    VIEW_REPORT = "view_report"
    VIEW_MEDIA = "view_media"
    VIEW_POSTER = "view_poster"
    VIEW_ATTACHMENT = "view_attachment"
    EXPORT_JSON = "export_json"
    EXPORT_HTML = "export_html"
    REQUEST_DELETION = "request_deletion"
    CONFIRM_DELETION = "confirm_deletion"
    KEEP_DATA = "keep_data"
    DELETED = "deleted"
    JOIN_CANDIDATE = "join_candidate"
    VIEW_DOCUMENT = "view_document"
    LABELS = {VIEW_REPORT: "查看报告", VIEW_MEDIA: "播放录像/录音", VIEW_POSTER: "查看录像封面",
              VIEW_ATTACHMENT: "查看附件", EXPORT_JSON: "导出数据 JSON", EXPORT_HTML: "导出数据 HTML",
              REQUEST_DELETION: "申请删除", CONFIRM_DELETION: "确认删除", KEEP_DATA: "保留数据(附理由)",
              DELETED: "数据已删除", JOIN_CANDIDATE: "合并候选人记录(附证明)",
              VIEW_DOCUMENT: "查看背景调查/入职材料"}


class AccessLog(BaseModel):
    """Who (a staff userid, "candidate" or "system") did what, when, to which of a candidate's records."""
    candidate = ForeignKeyField(Candidate, backref="access_log", on_delete="CASCADE")
    application_id = IntegerField(null=True)
    actor = CharField(max_length=64)
    action = CharField(max_length=24)          # Action
    target = CharField(max_length=64, default="")  # e.g. "report:12", "answer:40", "attachment:3"
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("candidate", "created_at"), False),)


PRIVACY_MODELS = [DeletionRequest, AccessLog]

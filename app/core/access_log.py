"""The access log (PIPL): one INSERT per view of a report, a recording, a poster or a document, and per export or
deletion step, from every domain's views. Views call `record` after their permission check, so a refused request
leaves no row. It holds no personal fields: it outlives a deletion."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from app.core.base import BaseModel, Statuses, utcnow
from app.core.models import Candidate


class Action(Statuses):
    """What an access-log row records (view_poster is no longer written: the report's row covers its stills; older
    rows keep it)."""
    LABELS = {"view_report": "查看报告", "view_media": "播放录像/录音", "view_poster": "查看录像封面",
              "view_attachment": "查看附件", "export_json": "导出数据 JSON", "export_html": "导出数据 HTML",
              "export_pdf": "导出数据 PDF",
              "export_zip": "下载数据包(含文件)", "request_deletion": "申请删除", "confirm_deletion": "确认删除",
              "keep_data": "保留数据(附理由)", "deleted": "数据已删除", "join_candidate": "合并候选人记录(附证明)",
              "view_document": "查看背景调查/入职材料", "view_resume": "查看简历文件",
              # HR recorded the candidate's withdrawal of biometric consent (after the interview)
              "withdraw_biometric": "记录撤回生物识别同意(人脸结果已删除)"}


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




def record(actor, action, candidate_id, application_id=None, target=""):
    """Write one row: `actor` (staff userid, "candidate" or "system") did `action` on `target`."""
    return AccessLog.insert(candidate=candidate_id, application_id=application_id, actor=actor, action=action,
                            target=target).execute()


def parse_target(target):
    """A row's target read back: ("report", 12, "") from "report:12"; ("candidate", 5, "hr_merge") from a join's
    "hr_merge:candidate:5" (the proof first); the number None when there is none."""
    parts = (target or "").split(":")
    number = int(parts[-1]) if parts[-1].isdigit() else None
    if len(parts) == 3:
        return parts[1], number, parts[0]
    return parts[0], number, ""


def record_view(staff, action, application, target):
    """A staff member viewed one of the application's records."""
    return record(staff.userid, action, application.candidate_id, application.id, target)


PROBE_BYTES = 2   # a Range of fewer bytes from byte 0 is a player's probe, not a play


def starts_playback(range_header):
    """True for the request that starts playing a recording: no Range, or a Range from byte 0 that is not a probe
    of the first bytes (Safari asks for bytes=0-1 before it plays). The player's later Range requests while playing
    or seeking are the same play and are not logged again. The report page's players fetch nothing before play is
    pressed (preload="none"), so opening the page logs no play."""
    if not range_header:
        return True
    unit, _, ranges = range_header.partition("=")
    if unit.strip() != "bytes":
        return True
    first, _, last = ranges.split(",")[0].strip().partition("-")
    if first != "0":
        return False
    return not (last.isdigit() and int(last) < PROBE_BYTES)


def for_candidate(candidate_id, limit=None):
    """The candidate's log, newest first."""
    query = (AccessLog.select().where(AccessLog.candidate == candidate_id)
             .order_by(AccessLog.created_at.desc(), AccessLog.id.desc()))
    return list(query.limit(limit) if limit else query)


def label(action):
    return Action.LABELS.get(action, action)

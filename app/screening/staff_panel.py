"""The 简历与筛选 panel of the staff application page: how the application came in, the resume (the original file
opens from here), the screening with its reasons, and HR's actions; and the resume file itself."""
import io
from dataclasses import dataclass

from app.core.errors import Gone, NotFound
from app.core.storage import get_storage
from app.screening import actions, workbench
from app.screening.intake import CHANNELS
from app.screening.job_settings import questions_by_id
from app.screening.models import Intake, ResumeStatus
from app.screening.parsing import current_resume
from app.screening.resume_files import KINDS

MIME_TYPES = {"pdf": "application/pdf",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
ACTION_STAGES = ("applied", "screened", "on_hold")   # where HR's screening actions apply


@dataclass(frozen=True)
class ResumeFile:
    """What app/core/candidate_files needs to stream a resume."""
    mime_type: str
    kind: str
    filename: str
    resume_id: int


def panel(application, member):
    """What the panel shows; None for an application HR invited directly (no intake, no resume)."""
    intake = Intake.get_or_none(Intake.application == application.id)
    resume = current_resume(application.id)
    if intake is None and resume is None:
        return None
    asked = questions_by_id([application.job_id]).get(application.job_id, {})
    return {
        "intake": intake,
        "channel": CHANNELS.get(intake.channel, intake.channel) if intake else CHANNELS["hr_invite"],
        "answers": [(asked.get(k) or k, v) for k, v in (intake.answers or {}).items()] if intake else [],
        "resume": resume,
        "resume_kind": KINDS.get(resume.kind, resume.kind) if resume else "",
        "resume_status": ResumeStatus.LABELS.get(resume.status, resume.status) if resume else "",
        "reading": bool(resume and resume.status == ResumeStatus.PENDING),
        "size_kb": max(1, round(resume.size_bytes / 1024)) if resume else 0,
        "row": workbench.row_of(member, application.id),
        "actions": actions.ACTIONS if member.is_hr and application.stage in ACTION_STAGES else {},
        # while HR screens, the panel comes before the process panel (下一步, timeline); after, below it
        "first": application.stage in ACTION_STAGES,
    }


def open_resume(application_id):
    """(ResumeFile, file object) of the application's current resume; NotFound without one, Gone once the
    retention purge deleted the file."""
    resume = current_resume(application_id)
    if resume is None:
        raise NotFound("没有简历文件 No resume file", code="resume_not_found")
    if not get_storage().exists(resume.file_key):
        raise Gone("简历文件已按保留期限删除 The file was deleted at the end of its retention period",
                   code="resume_purged")
    fileobj = get_storage().open(resume.file_key)
    mime = MIME_TYPES.get(resume.kind)
    if mime is None:  # a photo: JPEG or PNG, told by its first bytes (read once, then streamed from the start)
        data = fileobj.read()
        fileobj.close()
        mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        fileobj = io.BytesIO(data)
    return ResumeFile(mime, resume.kind, resume.file_name or f"resume-{application_id}", resume.id), fileobj

"""Parse a stored resume: text (with OCR where needed), fields, tokens; a bad file is marked failed, visibly."""
import datetime as dt
import logging

from app.core import jobs
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.models import Application
from app.core.queues import FAST, MEDIA
from app.core.storage import get_storage
from app.screening import experience, ranking, resume_fields, resume_files, roles
from app.screening.models import Resume, ResumeStatus
from app.screening.screen import SCREEN_APPLICATION

log = logging.getLogger(__name__)


def parse_resume(resume_id, today=None):
    """Read the resume file and store what it says; returns the Resume (already parsed by this version: as is)."""
    resume = Resume.get_or_none(Resume.id == resume_id)
    if resume is None or (resume.status == ResumeStatus.PARSED
                          and resume.parser_version == resume_fields.parser_version()):
        return resume
    with get_storage().open(resume.file_key) as f:
        data = f.read()
    try:
        text, _kind, method = resume_files.extract_text(data)
    except resume_files.ResumeFileError as exc:
        (Resume.update(status=ResumeStatus.FAILED, error=exc.message, parser_version=resume_fields.parser_version(),
                       parsed_at=utcnow()).where(Resume.id == resume.id).execute())
        (Application.update(problem=f"简历无法读取 Resume unreadable: {exc.message}")
         .where(Application.id == resume.application_id).execute())
        log.info("resume %s unreadable: %s", resume.id, exc.code)
        return Resume.get_by_id(resume.id)
    fields = resume_fields.parse(text, today=today)
    profile = experience.blocks(text, dt.date.fromisoformat(fields["parsed_on"]))
    fields["experience_tokens"] = " ".join(ranking.tokens(experience.entries_text(text, profile)))
    fields["roles"] = roles.work_vectors(text, profile)   # screening's meaning
    (Resume.update(status=ResumeStatus.PARSED, error="", method=method, raw_text=text,
                   tokens=" ".join(ranking.tokens(text)), fields=fields, parser_version=resume_fields.parser_version(),
                   parsed_at=utcnow()).where(Resume.id == resume.id).execute())
    return Resume.get_by_id(resume.id)


def record_failure(resume_id, message, final):
    """A parse job failed (not a bad file: those are handled above); once retries are used up, show it to HR."""
    if not final:
        return
    resume = Resume.get_or_none(Resume.id == resume_id)
    if resume is None or resume.status == ResumeStatus.PARSED:
        return
    Resume.update(status=ResumeStatus.FAILED, error=message[:1000]).where(Resume.id == resume_id).execute()
    (Application.update(problem=f"简历解析失败 Resume parsing failed: {message[:300]}")
     .where(Application.id == resume.application_id).execute())


def current_resume(application_id):
    """The newest resume of an application (a re-application replaces the previous one)."""
    return (Resume.select().where(Resume.application == application_id).order_by(Resume.id.desc()).first())


def is_current(resume):
    current = current_resume(resume.application_id)
    return current is not None and current.id == resume.id


def reparse_all():
    """Enqueue a parse of every current resume read by an older parser version; returns how many."""
    count = 0
    for resume in Resume.select(Resume.id, Resume.application).where(
            Resume.parser_version != resume_fields.parser_version()):
        if is_current(resume):
            jobs.enqueue(PARSE_RESUME, resume.id)
            count += 1
    return count


def parse_resume_job(resume_id):
    """Read the resume; when it is the application's current one and readable, screen the application next."""
    resume = parse_resume(resume_id)
    if resume is not None and resume.status == ResumeStatus.PARSED and is_current(resume):
        jobs.enqueue(SCREEN_APPLICATION, resume.application_id)


PARSE_RESUME = JobSpec(parse_resume_job, MEDIA, "parse-resume-{0}", on_failure=record_failure)
REPARSE_RESUMES = JobSpec(reparse_all, FAST, "reparse-resumes", retries=0)

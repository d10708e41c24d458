"""Applying through a posting: the shared links, the application form, the applicant's token.

Every application through a posting is filed under a NEW candidate record with the name and phone typed on the
form: a phone number is not proof of who someone is, so an application is never joined to an existing candidate
with the same phone here (not even for the same job). HR sees the same-phone records side by side and may join
them (app/screening/ownership.join_candidate); nothing about them is shown to the applicant.

The token: `secrets.token_urlsafe(24)`, shown once on the confirmation page; only its SHA-256 is stored
(`Intake.token_hash`). When HR invites the applicant, their first interview is opened under the same hash, so the
link they already have (/p/applied/<token>) leads on to the interview.
"""
import hashlib
import secrets

from app.core import jobs, phones
from app.core.errors import BadRequest, NotFound, found
from app.core.extensions import settings
from app.core.models import Application, Candidate, Job, JobStatus
from app.core.storage import get_storage
from app.core.tx import after_commit, transaction
from app.interview.invitations import hash_token
from app.screening import resume_files
from app.screening.job_settings import settings_of
from app.screening.models import Intake, JobVersion, PostingLink, Resume
from app.screening.parsing import PARSE_RESUME

CHANNELS = {"direct": "直接链接", "wechat_group": "微信群", "moments": "朋友圈", "qr_poster": "海报二维码",
            "kf": "微信客服", "referral": "内推", "hr_invite": "HR邀请"}


def create_link(job_id, channel, created_by=""):
    if channel not in CHANNELS or channel == "hr_invite":
        raise BadRequest("未知渠道 Unknown channel", code="channel_unknown")
    if channel == "kf" and not settings.get("WECOM_KF_OPEN_KFID"):
        raise BadRequest("未配置微信客服账号(WECOM_KF_OPEN_KFID) No WeChat customer-service account is configured",
                         code="kf_not_configured")
    return PostingLink.create(job=job_id, channel=channel, code=secrets.token_urlsafe(9), created_by=created_by)


def links_of(job_id):
    return list(PostingLink.select().where(PostingLink.job == job_id).order_by(PostingLink.id))


def posting(code):
    """(link, job, settings) of an open posting; NotFound for an unknown link or a closed job."""
    link = found(PostingLink.get_or_none(PostingLink.code == (code or "")[:24]),
                 "岗位链接无效 This posting link is not valid", code="posting_not_found")
    job = link.job
    if job.status != JobStatus.OPEN:
        raise NotFound("该岗位已停止招聘 This job is no longer open", code="job_closed", status=410)
    return link, job, settings_of(job.id)


def _answers(questions, form_answers):
    out = {}
    for q in questions:
        answer = (form_answers.get(q["id"]) or "").strip()
        if answer not in q["options"]:
            raise BadRequest(f"请回答:{q['text']} Please answer every question", code="answer_required")
        out[q["id"]] = answer
    return out


def apply(code, name, phone, file_bytes, file_name, answers):
    """Store an application with its resume on a new candidate record; return (application, token, same_phone):
    `same_phone` says another candidate record has this phone (for HR; never shown to the applicant). Nothing
    is stored when the form or the file is bad."""
    link, job, settings = posting(code)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise BadRequest("请填写姓名 Name is required", code="name_required")
    phone = phones.normalise(phone)
    # answers None: the channel could not ask the knockout questions (kf); their criteria are then "uncertain".
    answers = {} if answers is None else _answers(settings.questions or [], answers)
    if not file_bytes and not file_name:
        raise BadRequest("请选择简历文件(PDF、Word 或简历照片) Please choose your resume file", code="resume_missing")
    try:
        kind = resume_files.precheck(file_bytes or b"")
    except resume_files.ResumeFileError as exc:
        raise BadRequest(resume_files.named_message(exc, file_name), code=exc.code) from exc
    digest = hashlib.sha256(file_bytes).hexdigest()
    token = secrets.token_urlsafe(24)
    key = f"resumes/{job.id}/{digest[:32]}.{ {'pdf': 'pdf', 'docx': 'docx', 'image': 'img'}[kind] }"
    with transaction():
        same_phone = Candidate.select().where(Candidate.phone == phone).exists()
        candidate = Candidate.create(name=name, phone=phone)
        application = Application.create(candidate=candidate, job=job)
        version = JobVersion.select().where(JobVersion.job == job.id).order_by(JobVersion.number.desc()).first()
        Intake.create(application=application, channel=link.channel, link=link, token_hash=hash_token(token),
                      answers=answers, job_version=version)
        resume = Resume.create(application=application, file_key=key, file_name=(file_name or "")[-200:],
                               kind=kind, size_bytes=len(file_bytes), sha256=digest)
        get_storage().save(key, file_bytes)   # last: a failed write rolls the rows back
        # A Redis failure leaves the resume "pending" until `resumes reparse` (it reads every resume the current
        # parser has not) enqueues it; the application stands.
        after_commit(lambda: jobs.enqueue_or_log(PARSE_RESUME, resume.id, recovery="flask --app wsgi resumes reparse"))
    return application, token, same_phone


def token_known(token):
    """Whether `token` is an applicant's status token (a cheap lookup for the rate limits)."""
    return bool(token) and len(token) <= 128 and Intake.select().where(Intake.token_hash == hash_token(token)).exists()


def find_intake(token):
    """The intake a status token opens, or NotFound."""
    if not token or len(token) > 128:
        raise NotFound("链接无效 This link is not valid", code="invalid_link")
    intake = found(Intake.get_or_none(Intake.token_hash == hash_token(token)),
                   "链接无效 This link is not valid", code="invalid_link")
    return intake


def job_title(job_id):
    job = Job.get_or_none(Job.id == job_id)
    return job.title if job else ""

"""Invitations: unguessable, expiring, single-interview links. Only a hash of the token is stored."""
import datetime as dt
import hashlib
import secrets
from pathlib import Path

from app.core import domains, phones, pipeline
from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, Gone, NotFound, found
from app.core.extensions import settings
from app.core.models import Application, Candidate, Job, JobStatus
from app.core.tx import transaction
from app.interview.models import AskedQuestion, Interview, InterviewStatus


def hash_token(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite(job_id, name, phone, *, actor="hr", source="cli", ttl_hours=None):
    """Invite a person by name and phone: open the interview (invite_candidate) and, after its commit, announce it
    on whatever reaches them (core.domains.announce_invitation: the notifications domain's SMS / WeChat notice).
    Every such path (HR's form, `flask --app wsgi invite`, `seed-demo`) comes here: the invitation notice keeps the
    link in clear (only its hash is stored), and later notices (复试, offer, onboarding) link to it, so a candidate
    invited without it could never be told anything but on their status page. Returns (interview, token, sent)."""
    interview, token = invite_candidate(job_id, name, phone, actor=actor, source=source, ttl_hours=ttl_hours)
    return interview, token, domains.announce_invitation(interview, token)


def invite_candidate(job_id, name, phone, *, actor="hr", source="cli", ttl_hours=None):
    """Create (or reuse) the candidate and application, open a new interview; return (interview, token).

    Nobody is told: inviting a person goes through `invite`, which announces the invitation."""
    name = (name or "").strip()
    if not name:
        raise BadRequest("请填写候选人姓名 Name is required", code="name_required")
    phone = phones.normalise(phone)   # the form a posting stores too, so a lookup by phone finds both
    job = found(Job.get_or_none(Job.id == job_id), f"岗位 {job_id} 不存在 Job not found", code="job_not_found")
    ttl = ttl_hours if ttl_hours is not None else settings["INVITE_TTL_HOURS"]
    token = secrets.token_urlsafe(24)
    with transaction():
        candidate = (Candidate.select().where((Candidate.phone == phone) & (Candidate.name == name)).first()
                     or Candidate.create(name=name, phone=phone))
        application, created = Application.get_or_create(candidate=candidate, job=job)
        if created and job.status != JobStatus.OPEN:   # its own candidates may still get a new link
            raise Conflict(f"岗位「{job.title}」已关闭,不能邀请新的候选人;如需继续招聘,请先在岗位页重新开放 "
                           "The job is closed", code="job_closed")
        interview = open_interview(application, hash_token(token), ttl, actor=actor, source=source)
    return interview, token


def open_interview(application, token_hash, ttl_hours, *, actor, source):
    """Open a new interview of an existing application under `token_hash` and move it to ai_invited.

    A new invitation retires the previous open one. The interview keeps the job's questions as they are now
    (Interview.questions): HR's later edits of the job reach the interviews opened after them only. Call inside a
    transaction.
    """
    (Interview.update(status=InterviewStatus.REVOKED)
     .where((Interview.application == application) & (Interview.status.in_(InterviewStatus.OPEN)))
     .execute())
    interview = Interview.create(application=application, token_hash=token_hash,
                                 expires_at=utcnow() + dt.timedelta(hours=ttl_hours),
                                 questions=AskedQuestion.snapshot(application.job.ordered_questions()))
    pipeline.advance_stage(application.id, "ai_invited", actor=actor, source=source,
                           reason="发送AI面试邀请 invitation sent")
    return interview


def held_questions(job_id):
    """Ids of the job's questions an unfinished interview holds: one invited or in progress whose link still works
    (Interview.questions; its candidate may still be shown them)."""
    open_ = (Interview.select(Interview.questions).join(Application)
             .where((Application.job == job_id) & Interview.status.in_(InterviewStatus.OPEN)
                    & (Interview.expires_at > utcnow())))
    return {q.id for interview in open_ for q in interview.asked_questions()}


def latest_interview(application_id):
    """The application's newest interview (a re-invitation replaces the old link), or None."""
    return (Interview.select().where(Interview.application == application_id)
            .order_by(Interview.created_at.desc(), Interview.id.desc()).first())


def token_exists(token):
    """Whether `token` opens an interview, whatever its state (a cheap lookup for the rate limits)."""
    return bool(token) and len(token) <= 128 and Interview.select().where(
        Interview.token_hash == hash_token(token)).exists()


def find_interview(token):
    """The interview a token opens; NotFound for an unknown token, Gone when expired, revoked or finished."""
    return _usable(_by_token(token))


def api_interview(token):
    """The interview a candidate's JSON API request opens (the mini-program, the H5's uploads): find_interview's
    answers, and Gone `data_deleted` once the candidate's data was deleted, whatever the interview rows left behind
    say (a finished interview, or an open one the deletion expired). The pages show the status page instead."""
    interview = _by_token(token)
    if domains.final_page(interview.application) is not None:
        raise data_deleted()
    return _usable(interview)


def data_deleted():
    return Gone("你的个人数据已删除,此链接不能再查看或提交任何内容 Your data was deleted", code="data_deleted")


def _by_token(token):
    if not token or len(token) > 128:
        raise NotFound("链接无效,请向HR索取新的面试链接 This link is not valid", code="invalid_link")
    return found(Interview.get_or_none(Interview.token_hash == hash_token(token)),
                 "链接无效,请向HR索取新的面试链接 This link is not valid", code="invalid_link")


def _usable(interview):
    if interview.status == InterviewStatus.REVOKED:
        raise Gone("该链接已失效,请使用HR最新发送的链接 This link was replaced by a newer one",
                   code="link_revoked")
    if interview.status != InterviewStatus.COMPLETED and interview.expires_at < utcnow():
        if interview.status != InterviewStatus.EXPIRED:
            _expire(interview)
        raise Gone("面试链接已过期,请联系HR重新邀请 This link has expired", code="link_expired")
    return interview


def open_link(token):
    """The interview a candidate's link opens for the pages beyond the interview itself (status, messages, second
    round, offer, my data): an expired link still opens them (and lets the candidate ask for a new one); an unknown
    or replaced link does not (find_interview's errors)."""
    try:
        return find_interview(token)
    except Gone as exc:
        if exc.code != "link_expired":
            raise
    return Interview.get(Interview.token_hash == hash_token(token))


def _expire(interview):
    with transaction():
        Interview.update(status=InterviewStatus.EXPIRED).where(Interview.id == interview.id).execute()
        app = interview.application
        if pipeline.can_move(app.stage, "expired"):
            pipeline.advance_stage(app.id, "expired", actor="system", source="system",
                                   reason="面试链接过期 invitation expired")


def qr_data_uri(url):
    """A QR code of `url` as a PNG data URI, for showing on a page."""
    import base64
    import io

    import qrcode

    buffer = io.BytesIO()
    qrcode.make(url, box_size=8, border=2).save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def qr_path(interview_id):
    """Where the QR code PNG of an interview's link is kept (purged once the link stops working)."""
    from pathlib import Path
    return Path(settings["MEDIA_ROOT"]) / "qr" / f"interview-{int(interview_id)}.png"


def write_qr_png(url, path):
    """Write a QR code of `url` to `path` (PNG) and return the path."""
    import qrcode

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    qrcode.make(url).save(str(path))
    return path

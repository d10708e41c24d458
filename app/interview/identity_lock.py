"""A candidate locked out of the identity check (IDENTITY_MAX_ATTEMPTS wrong name / last-4 tries,
interview_flow.verify_identity) is not left stuck: HR hears of it once in WeCom (the NOTIFY_IDENTITY_LOCKED job),
the candidate's status page says what happened and that HR was told instead of offering the interview, and HR
unlocks the link from the application page (after checking who the candidate is some other way, e.g. a call) or
invites again (a new link: the old one stops working, so HR sends the new one).
"""
import logging

from app.core import links, staff
from app.core.errors import Conflict, Forbidden
from app.core.extensions import redis_client, settings
from app.core.jobs import JobSpec
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview.models import Interview, InterviewStatus
from app.wecom.messages import send_markdown

log = logging.getLogger(__name__)

NOTIFIED = "identity-locked-notified:{}"  # a Redis marker per lock: HR is told once; an unlock clears it


def is_locked(interview):
    """Whether this open interview has used up its identity attempts without passing the check."""
    return (interview is not None and interview.status in InterviewStatus.OPEN
            and interview.identity_verified_at is None
            and interview.identity_attempts >= settings["IDENTITY_MAX_ATTEMPTS"])


def locked_interview(application_id):
    """The application's locked interview (its newest open one), or None."""
    interview = (Interview.select()
                 .where((Interview.application == application_id) & Interview.status.in_(InterviewStatus.OPEN))
                 .order_by(Interview.created_at.desc(), Interview.id.desc()).first())
    return interview if is_locked(interview) else None


def notify_hr(interview_id):
    """Tell HR in WeCom that the candidate is locked out (the NOTIFY_IDENTITY_LOCKED job); once per lock."""
    interview = Interview.get_or_none(Interview.id == interview_id)
    hr = staff.hr_userids()
    if not is_locked(interview) or not hr:
        return False
    conn = redis_client.get()
    marker = NOTIFIED.format(interview_id)
    if not conn.set(marker, 1, nx=True, ex=30 * 24 * 3600):
        return False
    application = interview.application
    try:
        send_markdown(hr, f"**{application.candidate.name}** · {application.job.title}\n"
                          f"> AI 面试身份核验连续 {interview.identity_attempts} 次不符(姓名或手机号后四位),链接已锁定。"
                          "请先电话等方式确认是候选人本人,再在应聘记录页解锁,或重新邀请。\n"
                          f"[解锁或重新邀请]({links.application_url(application.id)}#identity-lock)")
    except Exception:
        conn.delete(marker)  # not sent: the job's retry may send it
        raise
    return True


def unlock(application_id, member):
    """HR gives the locked link its identity attempts back; returns the interview. Only HR: unlocking lets
    someone try names and digits again, so it follows a check of who the candidate is."""
    if member is None or not member.is_hr:
        raise Forbidden("只有HR可以解锁 Only HR can unlock", code="not_allowed")
    interview = locked_interview(application_id)
    if interview is None:
        raise Conflict("该候选人的面试链接没有被锁定 The link is not locked", code="not_locked")
    with transaction():
        changed = (Interview.update(identity_attempts=0)
                   .where((Interview.id == interview.id) & Interview.identity_verified_at.is_null()
                          & (Interview.identity_attempts >= settings["IDENTITY_MAX_ATTEMPTS"])).execute())
    if not changed:
        raise Conflict("该候选人的面试链接没有被锁定 The link is not locked", code="not_locked")
    redis_client.get().delete(NOTIFIED.format(interview.id))
    log.info("identity check of interview %s unlocked by %s", interview.id, member.userid)
    return Interview.get_by_id(interview.id)


NOTIFY_IDENTITY_LOCKED = JobSpec(notify_hr, FAST, "identity-locked-{0}")

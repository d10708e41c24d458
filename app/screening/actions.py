"""What HR does from the ranked list (invite to the AI interview, reject with a message, hold), in bulk, and the
per-job rules applied after screening. Nothing here rejects on a model score."""
import logging
import secrets

from app.core import domains, pipeline
from app.core.errors import AppError, BadRequest
from app.core.extensions import settings
from app.core.models import Application
from app.core.tx import transaction
from app.interview.invitations import hash_token, open_interview
from app.interview.models import Interview
from app.screening.matching import failed_knockout
from app.screening.models import Intake

log = logging.getLogger(__name__)

ACTIONS = {"invite": "邀请AI面试", "reject": "淘汰", "hold": "待定"}
SOURCE = "workbench"   # stage events from here do not notify HR of HR's own action (follow_ups.DECISION_SOURCES)


def invite(application_id, actor, source="web", sent=None):
    """Open the application's AI interview and tell the candidate (core.domains.announce_invitation: the
    notifications domain's SMS / WeChat notice); returns the new token, or None when the interview opened under
    the applicant's own token (the link they already hold, /p/applied/<token>, now leads to the interview).

    The applicant's own token is reused only when nothing but their page would reach them: a notice needs the
    link in clear, and only its hash is kept. What was sent is appended to `sent` when given."""
    application = Application.get_by_id(application_id)
    intake = Intake.get_or_none(Intake.application == application_id)
    token = None
    if intake is not None and not Interview.select().where(Interview.token_hash == intake.token_hash).exists() \
            and not domains.invitation_reaches(application):
        token_hash = intake.token_hash
    else:
        token = secrets.token_urlsafe(24)
        token_hash = hash_token(token)
    with transaction():
        interview = open_interview(application, token_hash, settings["INVITE_TTL_HOURS"], actor=actor,
                                   source=source)
    if token:
        announced = domains.announce_invitation(interview, token)
        if sent is not None:
            sent.extend(announced)
    return token


def reject(application_id, actor, message, source=SOURCE):
    """Reject with a message the candidate sees: on a posting applicant's page (Intake.candidate_message) and, at any
    stage, in the rejection's stage notice on the status page (StageEvent.candidate_message)."""
    message = (message or "").strip()
    if not message:
        raise BadRequest("请填写给候选人的说明 Write the message the candidate will see", code="message_required")
    with transaction():
        event = pipeline.advance_stage(application_id, "rejected", actor=actor, source=source, reason=message,
                                       candidate_message=message)
        Intake.update(candidate_message=message[:500]).where(Intake.application == application_id).execute()
    return event


def hold(application_id, actor):
    return pipeline.advance_stage(application_id, pipeline.ON_HOLD, actor=actor, source=SOURCE,
                                  reason="筛选时待定 held while screening")


def bulk(action, application_ids, actor, message=""):
    """Apply one action to many applications; returns {"done": [...], "failed": [(id, reason)], "tokens": {id:
    token}, "sent": [what each invitation notice was sent on, outreach-style dicts]}."""
    if action not in ACTIONS:
        raise BadRequest("未知操作 Unknown action", code="action_unknown")
    if action == "reject" and not (message or "").strip():
        raise BadRequest("请填写给候选人的说明 Write the message the candidate will see", code="message_required")
    result = {"done": [], "failed": [], "tokens": {}, "sent": []}
    for application_id in application_ids:
        try:
            if action == "invite":
                token = invite(application_id, actor, sent=result["sent"])
                if token:
                    result["tokens"][application_id] = token
            elif action == "reject":
                reject(application_id, actor, message)
            else:
                hold(application_id, actor)
            result["done"].append(application_id)
        except AppError as exc:
            result["failed"].append((application_id, exc.message))
    return result


def apply_rules(application_id, screening, job_settings):
    """After screening an applicant: a failed knockout rejects only if HR turned that on; a score at or above the
    job's auto-invite threshold invites. Only applications still at "applied" are touched."""
    if Application.get_by_id(application_id).stage != "applied":
        return None
    if screening.knockout_failed and job_settings.knockout_rejects:
        failed = [v for v in screening.verdicts if failed_knockout(v)]
        why = ";".join(f"{v['label']}({v['why']})" for v in failed)
        reject(application_id, "system", f"未满足岗位的必要条件:{why} The job's required conditions were not met",
               source="system")
        return "rejected"
    if job_settings.auto_invite_at is not None and screening.score >= job_settings.auto_invite_at \
            and not screening.knockout_failed:
        invite(application_id, "system", source="system")
        return "invited"
    return None

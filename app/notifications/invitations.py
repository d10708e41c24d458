"""The invitation notice (the notifications domain's `Domain.invitations`): HR's single invite (/admin/invite),
`flask --app wsgi invite`, `seed-demo` (interview.invitations.invite), the workbench's bulk invite and the re-invite
call `core.domains.announce_invitation(interview, token)` once the
interview is open, and this sends the link on the best channel (outreach.tell). The page text still goes into the
conversation through the ai_invited stage notice."""
from app.core.base import utcnow
from app.core.localtime import local_time, zone_short
from app.notifications import outreach, policy, routing
from app.notifications.catalogue import NOTICES
from app.notifications.models import Channel, Notice, State


def held_until(application):
    """When the newest invitation notice, held (quiet hours, the daily cap), is due to go out; None when it is not
    held. The applicant's page says so instead of "the link was sent"."""
    newest = (Notice.select(Notice.state, Notice.not_before)
              .where((Notice.application == application.id) & (Notice.notice_key == "invitation"))
              .order_by(Notice.created_at.desc(), Notice.id.desc()).first())
    return newest.not_before if newest is not None and newest.state == State.HELD else None


def reaches(application):
    """Whether the invitation would go beyond the status page (a channel is planned)."""
    return bool(routing.plan("invitation", outreach.reach_for(application)))


def announce(interview, token):
    """Send the invitation of `interview` (its link `token`); {"application_id", "candidate", "notice_id",
    "state", "state_label", "channels", "summary"} for the inviting page."""
    application = interview.application
    notice, created = outreach.tell(application.id, "invitation",
                                    {"deadline": local_time(interview.expires_at, outreach.DATE)},
                                    idempotency_key=f"invite:{interview.id}", token=token)
    if notice is None:   # the candidate's data was deleted meanwhile: nothing was recorded or sent
        return {"application_id": application.id, "candidate": application.candidate.name, "notice_id": None,
                "title": NOTICES["invitation"].title, "state": State.CANCELLED,
                "state_label": State.LABELS[State.CANCELLED], "channels": [], "summary": "候选人数据已删除,未发送",
                "created": False}
    summary = outreach.describe(notice.plan) or outreach.unreached_reason(application)
    night = _held_for_the_night(notice)
    if night is not None:   # the worker will hold it: the page (and seed-demo's lines) say so, not "sent"
        summary += f"(夜间免打扰,短信将于 {local_time(night)}({zone_short()})发送)"
    return {"application_id": application.id, "candidate": application.candidate.name, "notice_id": notice.id,
            "title": NOTICES["invitation"].title, "state": notice.state,
            "state_label": State.LABELS.get(notice.state, notice.state), "channels": notice.plan,
            "summary": summary, "created": created}


def _held_for_the_night(notice):
    """When the quiet hours end, if this notice's SMS would be held for them now (not urgent, SMS planned)."""
    if notice.urgent or not any(step["channel"] == Channel.SMS for step in notice.plan):
        return None
    return policy.quiet_until(utcnow())

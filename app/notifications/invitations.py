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
    """When the newest invitation notice, recorded as held by the worker (quiet hours, the daily cap, a provider's
    limit), is due to go out; None when it is not held. The applicant's page says so instead of "the link was
    sent". (announce foretells the same hold before the worker runs: policy.sms_hold.)"""
    newest = (Notice.select(Notice.state, Notice.not_before)
              .where((Notice.application == application.id) & (Notice.notice_key == "invitation"))
              .order_by(Notice.created_at.desc(), Notice.id.desc()).first())
    return newest.not_before if newest is not None and newest.state == State.HELD else None


def link_token(application):
    """The token of the application's newest interview as its invitation notice carries it (outreach.link_token),
    or None. Only the applicant's own page asks (/p/applied/<token>: its holder is the applicant, the person the
    notice goes to), so it can open the interview at once instead of waiting for a held SMS."""
    return outreach.link_token(application.id)


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
    hold = _sms_hold(notice)
    if hold is not None:   # the worker will hold it: the page (and seed-demo's lines) say so, not "sent"
        summary += f"({hold.why},短信将于 {local_time(hold.until)}({zone_short()})发送)"
    return {"application_id": application.id, "candidate": application.candidate.name, "notice_id": notice.id,
            "title": NOTICES["invitation"].title, "state": notice.state,
            "state_label": State.LABELS.get(notice.state, notice.state), "channels": notice.plan,
            "summary": summary, "created": created}


def _sms_hold(notice):
    """The policy.Hold the sender would put on this notice's SMS now (quiet hours, the daily cap), or None (no SMS
    planned, or it may go now)."""
    phone = next((step["address"] for step in notice.plan if step["channel"] == Channel.SMS), None)
    return None if phone is None else policy.sms_hold(notice.urgent, phone, utcnow())

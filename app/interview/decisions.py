"""Managers' decisions (card tap or web button) and offer approvals, moved through the pipeline."""
import logging

from app.core import jobs, links, pipeline, staff, synthetic
from app.core.errors import BadRequest, Conflict, Forbidden, NotFound, found
from app.core.extensions import redis_client
from app.core.jobs import JobSpec
from app.core.models import Application, EventStatus, StageEvent
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview import decision_options
from app.interview.models import CardMessage, CardStatus
from app.interview.refused_taps import ANSWER_REFUSED_TAP
from app.interview.result_cards import (
    UPDATE_DECISION_CARD,
    card_of,
    mark_decided,
    parse_button_key,
    refuse_raced_tap,
    result_card_key,
)
from app.wecom import users
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)
# sys_approval_change SpStatus: 2 passed; 3 rejected, 4 revoked, 6 revoked after passing, 7 deleted.


def decide(application_id, decision, actor, source, *, response_code=None, task_id=None, reason=""):
    """Apply a manager's decision; return the StageEvent, or None when it was already applied.

    The stage's follow-ups (app/core/follow_ups.py) grey out the card's buttons naming who decided and tell
    HR, after commit.
    """
    option, application, member = decision_context(application_id, decision, actor)
    repeated = application.stage == decision
    if not (repeated or decision_options.can_decide(application.stage)):
        raise pipeline.IllegalTransition(
            f"当前阶段「{pipeline.STAGE_LABELS[application.stage]}」不能再对AI面试结果做决定 "
            f"The AI interview result can no longer be decided at {application.stage}",
            from_stage=application.stage, to_stage=decision)
    name = member.display_name if member.name else users.display_name(actor)
    with transaction():
        card = _card_for(application_id, task_id, actor, response_code)
        if source == "card":
            _refuse_stale_tap(application_id, card, decision)
        reason = (reason or "").strip()[:500]
        event = pipeline.advance_stage(application_id, decision, actor=actor, source=source,
                                       reason=f"{option.done_label}：{reason}" if reason else option.done_label)
        # The card is marked in the same transaction, with the stage event's time (what the greyed card says): the
        # stage's follow-ups run after commit and grey out the cards marked here.
        if card is not None and (not repeated or not card.decision):
            mark_decided(card, decision, actor, name, response_code, at=event.created_at if event else None)
            if repeated:  # no stage change, so no follow-up: grey out this card here
                jobs.enqueue_after_commit(UPDATE_DECISION_CARD, card.id, decision,
                                          recovery="the interview sweep re-enqueues it")
    return event


def _refuse_stale_tap(application_id, card, decision):
    """A tap that raced a decision already on its card (or on the application's result card): Conflict."""
    decided = [c for c in (card, card_of(result_card_key(application_id))) if c is not None and c.decision]
    if decided:
        refuse_raced_tap(decided[0].decision, decision)


def decision_context(application_id, decision, actor):
    """(Decision, Application, staff member) for a decision by `actor`; BadRequest, NotFound or Forbidden."""
    option = decision_options.get(decision)
    if option is None:
        raise BadRequest(f"未知决定 Unknown decision {decision!r}", code="bad_decision")
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    return option, application, staff.require_manager(actor, application.job_id, "对该岗位的候选人做决定")


def _card_for(application_id, task_id, actor, response_code):
    """The card the decision was made on (or the application's result card for a web decision)."""
    if task_id:
        card = CardMessage.get_or_none(CardMessage.task_id == task_id)
        if card is not None:
            return card if card.application_id == application_id else None
        if response_code:
            # A card this app did not record (sent by the sandbox CLI or another tool): track it from the tap.
            return CardMessage.create(task_id=task_id[:128], application=application_id, kind="external",
                                      userids=[actor], status=CardStatus.SENT)
    return card_of(result_card_key(application_id))


def handle_card_event(event):
    """A template_card_event (a WeComEvent row): decide, or explain why not. Returns a short result."""
    message = event.payload["message"]
    application_id, decision = parse_button_key(message.get("EventKey"))
    try:
        result = decide(application_id, decision, event.from_user, "card",
                        response_code=message.get("ResponseCode"), task_id=message.get("TaskId"))
    except (Forbidden, NotFound, Conflict) as exc:
        # The tapper's card greys out with where things stand and they are told why (app/interview/refused_taps).
        jobs.enqueue(ANSWER_REFUSED_TAP, event.id, exc.code, application_id, decision_options.get(decision).label)
        return EventStatus.REFUSED, f"{exc.code}: {exc.message}"
    return EventStatus.HANDLED, "no change (already decided)" if result is None else f"stage event {result.id}"


def notify_hr(stage_event_id):
    """Tell HR about a manager's decision (once per stage event); a changed decision also reaches the managers."""

    marker = f"wecom:hr-notified:{stage_event_id}"
    conn = redis_client.get()
    if conn.exists(marker):
        return False
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    hr = staff.hr_userids()
    if event is None or not hr or synthetic.is_synthetic(event.application_id):
        return False
    app = event.application
    url = links.application_url(app.id)
    who = users.display_name(event.actor)
    changed = event.from_stage in decision_options.CHANGEABLE_STAGES
    if changed:  # the card's button still shows the first decision (its code is used): say it in a message
        labels = pipeline.STAGE_LABELS
        action = f"将决定从「{labels[event.from_stage]}」改为「{labels[event.to_stage]}」\n> {plain(event.reason)}"
        hr = sorted((set(hr) | set(app.job.manager_userids or [])) - {event.actor}) or hr
    else:
        action = f"选择了「{pipeline.STAGE_LABELS[event.to_stage]}」"
    text = (f"**{plain(app.candidate.name)}** · {app.job.title}\n> {who} {action}"
            f"({pipeline.SOURCE_LABELS.get(event.source, event.source)})\n[查看应聘记录]({url})")
    send_markdown(hr, text)
    conn.set(marker, 1, ex=30 * 24 * 3600)
    return True


NOTIFY_HR = JobSpec(notify_hr, FAST, "notify-hr-{0}")

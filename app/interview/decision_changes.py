"""Changing a decision already made on an AI report (进入复试 / 淘汰), with a reason, audited.

HR may change it at any time (including reopening a rejected application); the manager who made it may within
DECISION_CHANGE_MINUTES. The change is a stage move through the pipeline (its follow-ups tell HR and the job's
managers) and the result card's row records the new decision, so the card, the report and the application agree.
"""
import datetime as dt

from app.core import pipeline
from app.core.base import utcnow
from app.core.errors import BadRequest, Forbidden
from app.core.extensions import settings
from app.core.models import StageEvent
from app.core.tx import transaction
from app.interview import decision_options, result_cards
from app.interview.decisions import decision_context
from app.interview.models import CardMessage
from app.wecom import users

DECISION_SOURCES = ("card", "web")


def last_decision(application):
    """The stage event of the decision the application stands on, or None when something happened since."""
    event = (StageEvent.select().where(StageEvent.application == application.id)
             .order_by(StageEvent.created_at.desc(), StageEvent.id.desc()).first())
    if event is None or event.to_stage != application.stage or event.source not in DECISION_SOURCES:
        return None
    return event


def decided_note(application):
    """Who made the decision the application stands on, when (local time) and where, for the pages a card opens:
    {"label", "who", "when", "source"}, or None when no person's decision is the current state."""
    event = last_decision(application)
    if event is None or decision_options.get(event.to_stage) is None:
        return None
    return result_cards.decided_note(pipeline.STAGE_LABELS[event.to_stage], event)


def _window():
    return dt.timedelta(minutes=int(settings.get("DECISION_CHANGE_MINUTES") or
                                    decision_options.DEFAULT_CHANGE_MINUTES))


def may_change(member, event):
    """HR always; the manager who decided, within the change window."""
    if member is None or event is None:
        return False
    return bool(member.is_hr) or (member.userid == event.actor and utcnow() - event.created_at <= _window())


def change_options(application, member):
    """The decisions `member` may change the application's current decision to (none when it may not)."""
    if application.stage not in decision_options.CHANGEABLE_STAGES:
        return []
    if not may_change(member, last_decision(application)):
        return []
    return [d for d in decision_options.DECISIONS if d.key != application.stage]


def change_decision(application_id, decision, actor, reason):
    """Change the application's decision to `decision`; return the StageEvent."""
    _, application, member = decision_context(application_id, decision, actor)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise BadRequest("请写明更改决定的原因 Give a reason for the change", code="reason_required")
    before = application.stage
    if before not in decision_options.CHANGEABLE_STAGES or last_decision(application) is None:
        raise pipeline.IllegalTransition("当前阶段没有可以更改的决定 There is no decision to change now",
                                         from_stage=before, to_stage=decision)
    if not may_change(member, last_decision(application)):
        minutes = int(_window().total_seconds() // 60)
        raise Forbidden(f"只有HR，或做出决定的经理在 {minutes} 分钟内，可以更改决定 "
                        f"Only HR, or the deciding manager within {minutes} minutes, can change it",
                        code="change_not_allowed")
    if decision == before:
        raise BadRequest("新的决定与当前决定相同 The decision is unchanged", code="decision_unchanged")
    name = member.display_name if member.name else users.display_name(actor)
    with transaction():
        event = pipeline.advance_stage(
            application_id, decision, actor=actor, source="web",
            reason=f"更改决定（原为「{pipeline.STAGE_LABELS[before]}」）：{reason}")
        (CardMessage.update(decision=decision, decided_by=actor, decided_by_name=name, decided_at=event.created_at,
                            updated_at=utcnow())
         .where((CardMessage.application == application_id) & (CardMessage.decision != "")).execute())
        return event

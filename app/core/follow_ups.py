"""What happens after a stage change: the one table of follow-up jobs per stage.

`pipeline.advance_stage` calls `enqueue_follow_ups` once the stage change has committed. Each entry names a
job of the registry and a function that finds the ids that job needs (the report, the cards to grey out),
so a job never searches for its subject. A stage with no entry enqueues nothing.
"""
import logging

from app.conversation.stages import NOTICES
from app.core import jobs
from app.interview import result_cards

log = logging.getLogger(__name__)

# Stage changes made by a person deciding (card tap or staff page), as opposed to the system or an approval.
DECISION_SOURCES = ("card", "web")


def _report(event):
    """The report that moved the application to ai_scored."""
    from app.interview.reports import latest_report  # reports moves stages: imported late to avoid a cycle

    report = latest_report(event.application_id)
    return [(report.id,)] if report else []


def _decided_cards(event):
    """The application's cards marked with this decision whose buttons are not greyed out yet."""
    return [(card_id, decision) for card_id, decision in result_cards.cards_awaiting_update(event.application_id)
            if decision == event.to_stage]


def _decided_by_a_person(event):
    return [(event.id,)] if event.source in DECISION_SOURCES else []


def _told_to_the_candidate(event):
    """The stage change itself: its notice lands in the candidate's conversation (app/conversation/stages.py)."""
    return [(event.id,)]


_AFTER_DECISION = [(jobs.UPDATE_DECISION_CARD, _decided_cards), (jobs.NOTIFY_HR, _decided_by_a_person)]
_NOTICE = [(jobs.POST_STAGE_NOTICE, _told_to_the_candidate)]
def _the_event(event):
    return [(event.id,)]


# app/process: the offer follows its approval (passed: offer_sent; refused: on_hold); a hire gets a WeCom account.
_OFFER = [(jobs.OFFER_STAGE_CHANGED, _the_event)]

# app/process: a closed application's upcoming second-round booking is cancelled (slot freed, WeCom schedule and
# meeting cancelled, the panel told); a past one stays.
_CLOSED = [(jobs.APPLICATION_CLOSED, _the_event)]

# to_stage -> [(job, args_for(event) -> [args, ...])]
FOLLOW_UPS = {
    "ai_scored": [(jobs.PUSH_RESULT_CARD, _report)],
    "second_round": _AFTER_DECISION + _NOTICE,
    "on_hold": _AFTER_DECISION + _OFFER,
    "rejected": _AFTER_DECISION + _NOTICE + _CLOSED,
    "withdrawn": _NOTICE + _CLOSED,
    "expired": _NOTICE + _CLOSED,
    "background_check": _NOTICE + [(jobs.START_CHECK, _the_event)],
    "offer_sent": _NOTICE + _OFFER,
    "onboarding": [(jobs.START_ONBOARDING, _the_event)],
    "hired": _NOTICE + [(jobs.CREATE_EMPLOYEE_ACCOUNT, _the_event)],
}
# Every other stage the candidate hears about gets its notice (NOTICES names them; internal stages none).
for _stage in NOTICES:
    FOLLOW_UPS.setdefault(_stage, _NOTICE)


def has_follow_ups(stage):
    return stage in FOLLOW_UPS


def enqueue_follow_ups(event):
    """Enqueue the follow-up jobs of one committed stage change; return the job ids.

    Runs after the commit: a Redis failure here is logged, not raised (the change stands), and the scheduled
    sweep (app/core/sweeps.py) sends the stranded result card or card update later.
    """
    queued = []
    for spec, args_for in FOLLOW_UPS.get(event.to_stage, []):
        for args in args_for(event):
            try:
                queued.append(jobs.enqueue(spec, *args).id)
            except Exception:  # noqa: BLE001 - the commit stands; the sweep recovers
                log.exception("follow-up %s%s of stage event %s not enqueued", spec.name, args, event.id)
    return queued

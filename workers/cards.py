"""Card and notification jobs (fast queue). WeCom's 45009/-1 raise, so RQ's Retry backs off."""
from app.services import decisions, identity_lock, result_cards
from workers.context import with_app


@with_app
def push_result_card(report_id):
    """Send the report's result card to the job's managers (at most once, by the card's task id)."""
    card = result_cards.push_result_card(report_id)
    return card.id


@with_app
def update_decision_card(card_id, decision):
    """Grey out the decided card's buttons."""
    return result_cards.update_decision_card(card_id, decision)


@with_app
def grey_erased_card(task_id, userids, response_code):
    """Grey out a deleted candidate's card."""
    return result_cards.grey_erased_card(task_id, userids, response_code)


@with_app
def notify_hr(stage_event_id):
    """Tell HR about a manager's decision."""
    return decisions.notify_hr(stage_event_id)


@with_app
def notify_identity_locked(interview_id):
    """Tell HR that a candidate is locked out of the identity check."""
    return identity_lock.notify_hr(interview_id)

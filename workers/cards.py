"""Card and notification jobs (fast queue). WeCom's 45009/-1 raise, so RQ's Retry backs off."""
from workers.context import with_app


@with_app
def update_decision_card(card_id):
    """Grey out the decided card's buttons."""
    from app.services.decision_cards import update_decision_card as update
    return update(card_id)


@with_app
def notify_hr(stage_event_id):
    """Tell HR about a manager's decision."""
    from app.services.decisions import notify_hr as notify
    return notify(stage_event_id)

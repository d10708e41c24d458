"""Handle stored WeCom callback events (enqueued by /wecom/callback on the fast queue)."""
import logging

from workers.context import with_app

log = logging.getLogger(__name__)


@with_app
def handle_event(event_id):
    """Run the handler of one WeComEvent; a duplicate or finished event changes nothing."""
    from app.errors import BadRequest
    from app.models import WeComEvent, utcnow
    from app.services import decisions

    event = WeComEvent.get_or_none(WeComEvent.id == event_id)
    if event is None or event.status in ("handled", "refused", "ignored"):
        return None
    handlers = {"template_card_event": decisions.handle_card_event,
                "sys_approval_change": decisions.handle_approval_change}
    handler = handlers.get(event.event_type)
    try:
        status, result = handler(event) if handler else ("ignored", "no handler")
    except BadRequest as exc:
        status, result = "refused", f"{exc.code}: {exc.message}"
    (WeComEvent.update(status=status, result=result[:1000], handled_at=utcnow())
     .where(WeComEvent.id == event.id).execute())
    log.info("WeCom event %s (%s from %s): %s %s", event.id, event.event_type, event.from_user, status, result)
    return status

"""Handle stored WeCom callback events (rows written by wecom_callbacks/inbox.py), once each."""
import logging

from app.core.base import utcnow
from app.core.errors import BadRequest
from app.core.jobs import JobSpec
from app.core.models import EventStatus, WeComEvent
from app.core.queues import FAST
from app.interview import decisions
from app.process import approvals
from wecom_callbacks import kf_events

log = logging.getLogger(__name__)

HANDLERS = {"template_card_event": decisions.handle_card_event,
            "sys_approval_change": approvals.handle_approval_change,
            "kf_msg_or_event": kf_events.handle_kf_event}


def handle_event(event_id):
    """Run the handler of one WeComEvent; return its new status. A duplicate or finished event changes nothing."""
    event = WeComEvent.get_or_none(WeComEvent.id == event_id)
    if event is None or event.status in EventStatus.FINAL:
        return None
    handler = HANDLERS.get(event.event_type)
    try:
        status, result = handler(event) if handler else (EventStatus.IGNORED, "no handler")
    except BadRequest as exc:
        status, result = EventStatus.REFUSED, f"{exc.code}: {exc.message}"
    (WeComEvent.update(status=status, result=result[:1000], handled_at=utcnow())
     .where(WeComEvent.id == event.id).execute())
    log.info("WeCom event %s (%s from %s): %s %s", event.id, event.event_type, event.from_user, status, result)
    return status


HANDLE_WECOM_EVENT = JobSpec(handle_event, FAST, "wecom-event-{0}")

"""Handle stored WeCom callback events (rows written by wecom_callbacks/inbox.py), once each, and hand back to
their job the events whose handler kept failing.

A handler that raises leaves its event `received` and RQ retries the job (2, 10, 30 s). When WeCom or the database
is down longer than that, the sweep (`retry_stranded`, every 20 s) enqueues the job again at each of RETRY_AGES
after the event arrived, and marks the event `failed` at GIVE_UP_AGE: bounded, with a backoff, and never silently
`received` forever.
"""
import datetime as dt
import logging

from app.core import jobs
from app.core.base import utcnow
from app.core.errors import BadRequest
from app.core.extensions import redis_client
from app.core.jobs import JobSpec
from app.core.models import EventStatus, WeComEvent
from app.core.queues import FAST
from app.interview import decisions
from app.process import offers, round_decisions
from wecom_callbacks import kf_events

log = logging.getLogger(__name__)

def handle_card_tap(event):
    """A button tapped on a card: a second-round decision card (keys r:…) or an AI result card (d:…)."""
    key = str((event.payload.get("message") or {}).get("EventKey") or "")
    round_card = key.startswith(f"{round_decisions.CARD_KEY}:")
    return (round_decisions.handle_card_event if round_card else decisions.handle_card_event)(event)


HANDLERS = {"template_card_event": handle_card_tap,
            "sys_approval_change": offers.handle_approval_change,
            "kf_msg_or_event": kf_events.handle_kf_event}
# Seconds after an event arrived when the sweep hands it back to its job (after the job's own retries are done).
RETRY_AGES = (60, 300, 900, 1800, 3600)
GIVE_UP_AGE = 2 * 3600


def handle_event(event_id):
    """Run the handler of one WeComEvent; return its new status. A duplicate or finished event changes nothing.
    A handler that raises leaves the event `received` with the error in `result`, and the error is re-raised."""
    event = WeComEvent.get_or_none(WeComEvent.id == event_id)
    if event is None or event.status in EventStatus.FINAL:
        return None
    handler = HANDLERS.get(event.event_type)
    try:
        status, result = handler(event) if handler else (EventStatus.IGNORED, "no handler")
    except BadRequest as exc:
        status, result = EventStatus.REFUSED, f"{exc.code}: {exc.message}"
    except Exception as exc:
        (WeComEvent.update(result=f"attempt failed: {exc.__class__.__name__}: {exc}"[:1000])
         .where((WeComEvent.id == event.id) & (WeComEvent.status == EventStatus.RECEIVED)).execute())
        raise
    (WeComEvent.update(status=status, result=result[:1000], handled_at=utcnow())
     .where(WeComEvent.id == event.id).execute())
    log.info("WeCom event %s (%s from %s): %s %s", event.id, event.event_type, event.from_user, status, result)
    return status


def retry_stranded(now=None):
    """Enqueue again the handled-type events still `received` at a retry age (once per age); mark those past
    GIVE_UP_AGE `failed`. Returns how many were enqueued."""
    now = now or utcnow()
    conn = redis_client.get()
    count = 0
    stranded = WeComEvent.select().where(
        (WeComEvent.status == EventStatus.RECEIVED) & WeComEvent.event_type.in_(list(HANDLERS))
        & (WeComEvent.created_at <= now - dt.timedelta(seconds=RETRY_AGES[0])))
    for event in stranded:
        age = (now - event.created_at).total_seconds()
        if age >= GIVE_UP_AGE:
            _give_up(event)
            continue
        due = sum(1 for seconds in RETRY_AGES if age >= seconds)
        # One hand-back per retry age, whichever sweep sees it first; the mark outlives the event's retries.
        if conn.set(f"wecom:event-retry:{event.id}:{due}", 1, nx=True, ex=GIVE_UP_AGE + 3600):
            jobs.enqueue(HANDLE_WECOM_EVENT, event.id)
            count += 1
    if count:
        log.info("sweep handed %s WeCom events back to their job", count)
    return count


def _give_up(event):
    result = f"gave up after {len(RETRY_AGES)} retries by the sweep; {event.result}"[:1000]
    changed = (WeComEvent.update(status=EventStatus.FAILED, result=result, handled_at=utcnow())
               .where((WeComEvent.id == event.id) & (WeComEvent.status == EventStatus.RECEIVED)).execute())
    if changed:
        log.error("WeCom event %s (%s from %s) failed for good: %s", event.id, event.event_type, event.from_user,
                  result)


def listing(status=None, limit=50):
    """The latest events (of one status), newest first: what `flask wecom events` prints."""
    query = WeComEvent.select().order_by(WeComEvent.id.desc()).limit(limit)
    return list(query.where(WeComEvent.status == status) if status else query)


HANDLE_WECOM_EVENT = JobSpec(handle_event, FAST, "wecom-event-{0}")

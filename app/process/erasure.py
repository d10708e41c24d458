"""What the process after the AI report erases when a candidate's data is deleted (app/privacy/deletion
.execute_deletion calls `erase` inside its transaction, after the applications were withdrawn).

Deleted (rows only about the person):
- Scorecard: ratings with comments about the candidate, concerns, the summary. The rollup's ScorecardFact and
  ScorecardDimensionFact go with them when the caller rewrites the facts.
- Booking: the reminders walk every booking and would ask the panel again for the scorecards deleted above. A
  booking whose interview has not ended yet also has its WeCom schedule and meeting cancelled after the commit
  (their text names the candidate, and the interview will not happen); past ones stay in the panel's WeCom
  calendars (not scrubbed, like WeComEvent.raw_xml).
- Offer: the salary, the start date, the typed full name that accepted it, a decline reason, the WeCom userid of
  the hire. The stage trail already says an offer was made, sent, accepted; its approval's detail is cleared by
  the caller. Without the row, the offer reminders and the expiry sweep have nothing left to act on.
- CheckItem: the CHSI code, the employer's name, the file sent, HR's note.
- OnboardingItem: ID details, address, emergency contact, files sent, HR's notes.
- SentNotice: the record of notices sent about the person (a hire's account notice lists their WeCom userid).
  Their keys name offer, round and booking ids; on SQLite a deleted offer's id can be given again, and a kept
  key would then stop the next offer's notice.

Kept, free text blanked (the anonymised trail, like the stage events):
- Round: the panel, duration, format and place stay (who interviews is the staff's record: an interviewer's
  sign-in and round list come from the panels); the manager's notes for the panel (focus) and the candidate's
  note go. What the candidate answered (declined / other time) is a code and stays.
- CheckOrder: the provider, status, consent version and time (the evidence that the check was consented to)
  and the vendor's order id (what HR needs to ask a vendor to delete its copy) stay; HR's decision note goes.
- ProcessEvent: kind, actor and time stay; the detail (reasons, notes, times the candidate proposed, the hire's
  userid) goes.
- RoundSlot stays (which slots were offered).

InterviewerWindow, Slot, BusyInterval, OfferPolicy and ReminderSetting hold nothing about a candidate.
"""
import logging

from app.models import utcnow
from app.process.models import (
    Booking,
    CheckItem,
    CheckOrder,
    Offer,
    OnboardingItem,
    ProcessEvent,
    Round,
    Scorecard,
    SentNotice,
    Slot,
)
from app.services.tx import after_commit

log = logging.getLogger(__name__)


def _cancel_calendar(schedule_id, meeting_id):
    """Enqueue the cancel; a Redis failure is logged (the deletion stands; the entry stays in WeCom)."""
    from app.services import jobs
    try:
        jobs.enqueue(jobs.CANCEL_CALENDAR, schedule_id, meeting_id)
    except Exception:  # noqa: BLE001 - the committed deletion must not fail on the calendar
        log.exception("privacy: cancelling WeCom schedule %s / meeting %s not enqueued", schedule_id, meeting_id)


def erase(application_ids):
    """Delete or blank what the process stores about these applications; return {"counts": {...}, "keys": []}
    (no stored files: documents the candidate sent are conversation attachments, removed by the caller).
    Idempotent: a second call finds nothing to delete."""
    ids = list(application_ids)
    round_ids = [r for (r,) in Round.select(Round.id).where(Round.application.in_(ids)).tuples()]
    order_ids = [o for (o,) in CheckOrder.select(CheckOrder.id).where(CheckOrder.application.in_(ids)).tuples()]
    upcoming = [(b.schedule_id, b.meeting_id) for b in
                Booking.select(Booking.schedule_id, Booking.meeting_id).join(Slot)
                .where(Booking.round.in_(round_ids) & (Slot.end_at > utcnow())
                       & ((Booking.schedule_id != "") | (Booking.meeting_id != "")))]
    counts = {
        "scorecards": Scorecard.delete().where(Scorecard.round.in_(round_ids)).execute(),
        "bookings": Booking.delete().where(Booking.round.in_(round_ids)).execute(),
        "rounds": Round.update(focus="", candidate_note="").where(Round.id.in_(round_ids)).execute(),
        "offers": Offer.delete().where(Offer.application.in_(ids)).execute(),
        "check_items": CheckItem.delete().where(CheckItem.order.in_(order_ids)).execute(),
        "check_orders": CheckOrder.update(decision_note="").where(CheckOrder.id.in_(order_ids)).execute(),
        "onboarding_items": OnboardingItem.delete().where(OnboardingItem.application.in_(ids)).execute(),
        "process_events": ProcessEvent.update(detail="").where(ProcessEvent.application.in_(ids)).execute(),
        "sent_notices": SentNotice.delete().where(SentNotice.application.in_(ids)).execute(),
    }
    for schedule_id, meeting_id in upcoming:
        after_commit(lambda s=schedule_id, m=meeting_id: _cancel_calendar(s, m))
    return {"counts": counts, "keys": []}

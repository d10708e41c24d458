"""The decision notice after a person's decision on the application (the follow-up table: second_round and
rejected, declared in domain.py): "the result changed, see your page"; the page itself (the conversation's stage
notice) says what. Nothing is said in the SMS itself: a rejection is read on a lock screen."""
from app.core.jobs import JobSpec
from app.core.models import StageEvent
from app.core.queues import FAST
from app.notifications import outreach

DECISION_STAGES = ("second_round", "rejected")


def send_decision(stage_event_id):
    """Record and send the decision notice of one stage change, once (the SEND_DECISION_NOTICE job)."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    if event is None:
        return None
    notice, _ = outreach.tell(event.application_id, "decision", {}, idempotency_key=f"decision:{event.id}")
    return notice.id if notice else None


SEND_DECISION_NOTICE = JobSpec(send_decision, FAST, "decision-notice-{0}")

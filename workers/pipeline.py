"""Follow-up work after a stage change."""
import logging

from workers.context import with_app

log = logging.getLogger(__name__)

# to_stage -> [(queue, dotted job path)], each called with the application id.
FOLLOW_UPS = {
    "ai_scored": [("fast", "workers.results.push_result_card")],
}


@with_app
def on_stage_changed(event_id):
    """Dispatch the follow-up jobs of one stage change (at most once each, by job id)."""
    from app.models import StageEvent
    from app.services.queues import enqueue

    event = StageEvent.get_or_none(StageEvent.id == event_id)
    if event is None:
        log.warning("stage event %s vanished", event_id)
        return []
    queued = []
    for queue_name, func in FOLLOW_UPS.get(event.to_stage, []):
        job_id = f"{func.rsplit('.', 1)[-1]}-{event.id}"
        enqueue(queue_name, func, event.application_id, job_id=job_id)
        queued.append(job_id)
    return queued

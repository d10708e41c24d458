"""What happens after a stage change: the follow-up jobs the domains declare per stage (`Domain.follow_ups`).

`pipeline.advance_stage` calls `enqueue_follow_ups` once the stage change has committed. Each entry pairs a job
with a function that finds the ids that job needs from the stage event (the report, the cards to grey out), so a
job never searches for its subject. A stage no domain follows up enqueues nothing.
"""

from app.core import domains, jobs


def follow_ups(stage):
    """[(JobSpec, args_for(event) -> [args, ...])] of every registered domain for a move to `stage`."""
    return [item for d in domains.registered() for item in d.follow_ups.get(stage, ())]


def has_follow_ups(stage):
    return bool(follow_ups(stage))


def the_event(event):
    """The usual args_for: the job takes the stage event's id."""
    return [(event.id,)]


def enqueue_follow_ups(event):
    """Enqueue the follow-up jobs of one committed stage change; return the job ids.

    Runs after the commit: a Redis failure here is logged, not raised (the change stands), and the scheduled
    sweep (app/core/sweeps.py) re-enqueues the stranded work later.
    """
    queued = []
    for spec, args_for in follow_ups(event.to_stage):
        for args in args_for(event):
            job = jobs.enqueue_or_log(spec, *args, recovery=f"stage event {event.id}: the sweep re-enqueues it")
            if job is not None:
                queued.append(job.id)
    return queued

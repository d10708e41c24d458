"""Candidate-rights jobs (fast queue): run a confirmed deletion request."""
from app.privacy import deletion
from workers.context import with_app


@with_app
def execute_deletion(request_id):
    """Delete the candidate's data of one confirmed request (idempotent: a rerun returns the stored summary)."""
    return deletion.execute_deletion(request_id)

"""The access log: one INSERT per view of a report, a recording, a poster or a file, and per export or deletion
step. Views call `record` after their permission check, so a refused request leaves no row."""
from app.privacy.models import AccessLog, Action


def record(actor, action, candidate_id, application_id=None, target=""):
    """Write one row: `actor` (staff userid, "candidate" or "system") did `action` on `target`."""
    return AccessLog.insert(candidate=candidate_id, application_id=application_id, actor=actor, action=action,
                            target=target).execute()


def record_view(staff, action, application, target):
    """A staff member viewed one of the application's records."""
    return record(staff.userid, action, application.candidate_id, application.id, target)


def starts_playback(range_header):
    """True for the request that starts playing a recording (no Range, or a Range from byte 0): the player's
    later Range requests while seeking are the same view and are not logged again."""
    if not range_header:
        return True
    unit, _, ranges = range_header.partition("=")
    return unit.strip() != "bytes" or ranges.strip().startswith("0-")


def for_candidate(candidate_id, limit=None):
    """The candidate's log, newest first."""
    query = (AccessLog.select().where(AccessLog.candidate == candidate_id)
             .order_by(AccessLog.created_at.desc(), AccessLog.id.desc()))
    return list(query.limit(limit) if limit else query)


def label(action):
    return Action.LABELS.get(action, action)

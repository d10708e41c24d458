"""Server-side records of staff sign-ins, so a session can be revoked (logout) and ends after a working day.

The signed cookie carries the userid and a random session id; Redis holds `staff-session:<id>` -> userid with a
TTL of STAFF_SESSION_HOURS. A cookie whose record is gone (logged out, expired, revoked) signs nobody in, even if
it was copied before the logout.
"""
import secrets

from app.core.extensions import redis_client, settings

PREFIX = "staff-session:"


def start(userid):
    """Record a new sign-in of `userid`; return its session id."""
    sid = secrets.token_urlsafe(24)
    redis_client.get().set(PREFIX + sid, userid, ex=int(settings["STAFF_SESSION_HOURS"] * 3600))
    return sid


def is_active(sid, userid):
    """True when `sid` is a live sign-in of `userid`."""
    if not sid or not userid or not isinstance(sid, str):
        return False
    stored = redis_client.get().get(PREFIX + sid)
    return stored is not None and stored.decode() == userid


def revoke(sid):
    if sid and isinstance(sid, str):
        redis_client.get().delete(PREFIX + sid)

"""One request at a time completes an upload session (an answer's, an attachment's): a Redis lock per session."""
import logging
from contextlib import contextmanager

from redis.exceptions import LockError

from app.core.errors import Conflict
from app.core.extensions import redis_client, settings

log = logging.getLogger(__name__)


@contextmanager
def completion_lock(name, upload_id):
    """Hold the lock `lock:<name>:<upload_id>` while one request completes an upload; Conflict when it is held.

    One complete at a time per upload: a double tap waits briefly, then finds the finished work. The lock expires
    after UPLOAD_LOCK_SECONDS, so a web process killed while completing blocks the retry for at most that long; a
    retry meanwhile gets 409 upload_in_progress at once (never a hang, never a LockError 500). Correctness must
    not rest on the lock: the caller's unique row (the Answer, the upload's attachment) settles a race.
    """
    lock = redis_client.get().lock(f"lock:{name}:{upload_id}", timeout=settings["UPLOAD_LOCK_SECONDS"],
                                   blocking_timeout=2)
    if not lock.acquire():
        raise Conflict("上一次提交仍在处理中,请稍候几秒再试 The previous submit is still running, retry shortly",
                       code="upload_in_progress", retry_after_s=5)
    try:
        yield
    finally:
        try:
            lock.release()
        except LockError:
            log.warning("%s %s: the completion lock expired before the work ended", name, upload_id)

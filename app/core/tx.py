"""Transactions whose follow-up work (enqueueing jobs) runs only after the outermost commit.

A follow-up that fails (Redis refusing, say) is logged and the next one runs: the change is committed, so the
request that made it must not fail. What picks such work up later is each job's sweep (app/core/sweeps.py).
"""
import contextlib
import logging
import threading

from app.core.db import database

log = logging.getLogger(__name__)
_state = threading.local()


def _pending():
    if not hasattr(_state, "callbacks"):
        _state.callbacks = []
        _state.depth = 0
    return _state


@contextlib.contextmanager
def transaction():
    """An atomic block; callbacks registered with after_commit run once the outermost block commits."""
    state = _pending()
    state.depth += 1
    try:
        with database.atomic():
            yield
    except BaseException:
        state.depth -= 1
        if state.depth == 0:
            state.callbacks = []
        raise
    state.depth -= 1
    if state.depth == 0:
        callbacks, state.callbacks = state.callbacks, []
        for callback in callbacks:
            _run(callback)


def after_commit(callback):
    """Run `callback` after the current transaction() commits, or now when there is none."""
    state = _pending()
    if state.depth == 0:
        _run(callback)
    else:
        state.callbacks.append(callback)


def _run(callback):
    try:
        callback()
    except Exception:  # noqa: BLE001 - the change is committed; its follow-up's failure is logged, not raised
        log.exception("a follow-up failed after the commit (the change stands): %r", callback)

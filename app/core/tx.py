"""Transactions whose follow-up work (enqueueing jobs) runs only after the outermost commit."""
import contextlib
import threading

from app.core.db import database

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
            callback()


def after_commit(callback):
    """Run `callback` after the current transaction() commits, or now when there is none."""
    state = _pending()
    if state.depth == 0:
        callback()
    else:
        state.callbacks.append(callback)

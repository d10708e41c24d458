"""How a page's form runs its service call: the one try / flash of every staff and candidate form."""
from flask import flash

from app.core.errors import AppError


def run(action, done=None):
    """Call `action()`. When it works, flash `done` (a text, or done(result) for a text built from the result);
    when it raises AppError, flash the error's message (Chinese first). Returns (True, result) or (False, None):
    the view then redirects (or renders) as it likes."""
    try:
        result = action()
    except AppError as exc:
        flash(exc.message)
        return False, None
    if done:
        flash(done(result) if callable(done) else done)
    return True, result

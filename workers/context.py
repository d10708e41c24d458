"""The app context a job runs in: one app per worker process, a DB connection per job."""
import functools

_app = None


def get_app():
    global _app
    if _app is None:
        from app import create_app
        _app = create_app()
    return _app


def set_app(app):
    """Use an existing app (the worker entry point and tests)."""
    global _app
    _app = app


def with_app(func):
    """Run a job inside the app context with its own database connection.

    Under an existing app context (a SimpleWorker inside a test or a CLI command) the job uses that one.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from flask import has_app_context

        from app.core.db import database
        if has_app_context():
            return func(*args, **kwargs)
        with get_app().app_context():
            with database.connection_context():
                return func(*args, **kwargs)
    return wrapper

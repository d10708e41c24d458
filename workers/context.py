"""The app a worker process runs its jobs in: one app per process, a database connection per job."""
import contextlib

from rq import SimpleWorker, Worker

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


@contextlib.contextmanager
def job_context():
    """The app context and a database connection of its own for one job; under an existing app context (a test, a
    CLI command) the job uses that one."""
    from flask import has_app_context

    from app.core.db import database
    if has_app_context():
        yield
        return
    with get_app().app_context(), database.connection_context():
        yield


class AppWorkerMixin:
    """Every job runs inside `job_context`: jobs are the domains' service functions themselves, no wrappers."""

    def perform_job(self, job, queue):
        with job_context():
            return super().perform_job(job, queue)


class AppWorker(AppWorkerMixin, Worker):
    """Forks a work horse per job (the fast queue: no models in the process)."""


class AppSimpleWorker(AppWorkerMixin, SimpleWorker):
    """Runs jobs in its own process, where the models are loaded (a forked horse deadlocks inside CTranslate2)."""

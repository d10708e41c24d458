"""Liveness and readiness probes: 200 when ready, 503 (never 500) when a dependency is down or misconfigured.

`/healthz` checks that the process can reach its database (a wrong DATABASE_URL is a 503 there too); `/readyz`
checks the database and Redis. Neither goes through the app's per-request database connection.
"""
from flask import Blueprint, jsonify

from app.core.db import database
from app.core.extensions import redis_client

bp = Blueprint("health", __name__)


def _check_database():
    try:
        with database.connection_context():
            database.execute_sql("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - a probe reports any failure
        return f"error: {exc.__class__.__name__}"


def _check_redis():
    try:
        redis_client.get().ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"


def _answer(checks):
    ready = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), (200 if ready else 503)


@bp.get("/healthz")
def healthz():
    return _answer({"database": _check_database()})


@bp.get("/readyz")
def readyz():
    return _answer({"database": _check_database(), "redis": _check_redis()})

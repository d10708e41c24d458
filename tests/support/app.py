"""The app on a fresh database (real SQLite or PostgreSQL) and a clean real Redis DB."""
import os
from pathlib import Path

import pytest
import redis

from app import create_app
from app.core.db import database

ROOT = Path(__file__).resolve().parents[2]


def _per_worker(redis_url, postgres_url, worker):
    """Under pytest-xdist (`-n 2`, worker "gw0", "gw1" ...) each worker gets a Redis db and a PostgreSQL database of
    its own, since every test empties them: the base db number minus the worker's number, and the base database's
    name with "_gw<N>" (created here when missing). Without xdist the URLs are the base ones."""
    if not worker:
        return redis_url, postgres_url
    number = int(worker.removeprefix("gw"))
    base, _, db = redis_url.rpartition("/")
    if int(db or 0) - number < 0:
        raise RuntimeError(f"TEST_REDIS_URL {redis_url}: too few Redis dbs below it for worker {worker}")
    redis_url = f"{base}/{int(db or 0) - number}"
    server, _, name = postgres_url.rpartition("/")
    _create_database(postgres_url, f"{name}_{worker}")
    return redis_url, f"{server}/{name}_{worker}"


def _create_database(base_url, name):
    import psycopg2
    try:
        conn = psycopg2.connect(base_url)
    except psycopg2.OperationalError:
        return  # PostgreSQL is down: the tests that need it say so when they connect
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


REDIS_TEST_URL, POSTGRES_TEST_URL = _per_worker(
    os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14"),
    os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    os.environ.get("PYTEST_XDIST_WORKER", ""))


def _reset_postgres():
    """An empty schema: every table, index and sequence of the previous test gone."""
    database.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")  # a run killed between the two left none
    database.execute_sql("CREATE SCHEMA public")


def make_app(tmp_path, db="sqlite", migrate=True, **overrides):
    """Create an app on a fresh database of kind `db` with media under tmp_path; migrations applied unless not
    `migrate` (the database is then left as it is)."""
    url = f"sqlite:///{tmp_path / 'test.db'}" if db == "sqlite" else POSTGRES_TEST_URL
    config = {
        "TESTING": True,
        "APP_ENV": "test",
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": url,
        "REDIS_URL": REDIS_TEST_URL,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PUBLIC_BASE_URL": "http://testserver",
        "WTF_CSRF_ENABLED": False,
        # No SMS and no WeCom unless a test wires its own sandbox (tests/support/wecom.py, tests/notifications):
        # nothing goes to a development sandbox on port 5100 (a running demo's phones would get the tests' cards),
        # and port 1 refuses at once, as 5100 does when nothing runs there.
        "SMS_PROVIDER": "off",
        "WECOM_API_BASE": "http://127.0.0.1:1/cgi-bin/",
    }
    config.update(overrides)
    app = create_app(config)
    if not migrate:
        return app
    from app.core.migrations import upgrade
    with database.connection_context():
        if db == "postgresql":
            _reset_postgres()
        upgrade()
    return app


def import_job(name):
    """A shipped job template (job_templates/<name>) as a job in the current app."""
    from app.screening.job_templates import import_template
    return import_template((ROOT / "job_templates" / name).read_text(encoding="utf-8"))


@pytest.fixture
def redis_conn():
    conn = redis.Redis.from_url(REDIS_TEST_URL)
    conn.flushdb()
    yield conn
    conn.flushdb()


@pytest.fixture
def app(tmp_path, redis_conn):
    app = make_app(tmp_path)
    with app.app_context(), database.connection_context():
        yield app


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_app(request, tmp_path, redis_conn):
    """The same test on SQLite and on PostgreSQL."""
    app = make_app(tmp_path, db=request.param)
    with app.app_context(), database.connection_context():
        yield app


@pytest.fixture
def pg_app(tmp_path, redis_conn):
    """The app on PostgreSQL only: for a test that holds rows or tables with PostgreSQL's locks."""
    app = make_app(tmp_path, db="postgresql")
    with app.app_context(), database.connection_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo_job(app):
    """The shipped backend-engineer template as a job."""
    return import_job("backend-engineer.yaml")

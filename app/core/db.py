"""The database proxy, bound to SQLite or PostgreSQL by `init_db` inside create_app."""
from urllib.parse import urlparse

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect

database = DatabaseProxy()

SQLITE_PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000, "synchronous": "normal"}


class WriterSqliteDatabase(SqliteDatabase):
    """SQLite whose transactions start with BEGIN IMMEDIATE: each takes the write lock when it begins, so a second
    process's transaction waits (busy_timeout) at its BEGIN. With SQLite's default deferred BEGIN, a transaction that
    read and then wrote failed at once with "database is locked" when another process had written in between (in
    WAL mode the busy timeout does not apply to that case); seen with two models workers in the demo."""

    def begin(self, lock_type=None):
        super().begin(lock_type or "IMMEDIATE")


def make_database(url):
    """Open (lazily) the database named by a DATABASE_URL."""
    scheme = urlparse(url).scheme
    if scheme.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            from pathlib import Path
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return WriterSqliteDatabase(path or ":memory:", pragmas=SQLITE_PRAGMAS, check_same_thread=False)
    if scheme in ("postgres", "postgresql"):
        # A pool: connecting per request cost ~10 ms and halved callback throughput (bench/results/callback*.md).
        url = "postgresql+pool://" + url.split("://", 1)[1]
        return connect(url, max_connections=POOL_SIZE, stale_timeout=300, timeout=10)
    return connect(url)


POOL_SIZE = 20


def init_db(url):
    """Bind the proxy to the database at `url` and return it (closing a previous pool first)."""
    previous = database.obj
    if previous is not None and hasattr(previous, "close_all"):
        previous.close_all()
    db = make_database(url)
    database.initialize(db)
    return db


def plain_rows(query):
    """A query's rows as plain DB-API tuples, without peewee's per-row conversion: for the analytics pages, which
    read thousands of rows of numbers (the conversion was most of their time)."""
    return database.execute(query).fetchall()

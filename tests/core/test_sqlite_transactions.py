"""SQLite transactions take the write lock when they begin (app/core/db.WriterSqliteDatabase).

With SQLite's default deferred BEGIN, a transaction that read and then wrote failed at once with "database is locked"
when another process had written in between (WAL mode does not wait out the busy timeout for that case)."""
import sqlite3

import pytest

from app.core.db import make_database


@pytest.fixture
def files(tmp_path):
    path = tmp_path / "t.db"
    db = make_database(f"sqlite:///{path}")
    db.execute_sql("CREATE TABLE t (n INTEGER)")
    # Another process's connection; it waits at most 50 ms for a lock before giving up.
    other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    yield db, other
    other.close()
    db.close()


def test_a_transaction_holds_the_write_lock_from_its_first_statement(files):
    db, other = files
    with db.atomic():
        db.execute_sql("SELECT count(*) FROM t").fetchone()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO t VALUES (2)")
        db.execute_sql("INSERT INTO t VALUES (1)")   # the read-then-write that used to fail
    assert other.execute("SELECT n FROM t").fetchall() == [(1,)]


def test_nested_blocks_and_rollback_still_work(files):
    db, other = files
    with db.atomic():
        db.execute_sql("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), db.atomic():
            db.execute_sql("INSERT INTO t VALUES (2)")
            raise RuntimeError("roll this block back")
    assert other.execute("SELECT n FROM t").fetchall() == [(1,)]
    other.execute("INSERT INTO t VALUES (3)")   # no lock is left behind once the block ends
    assert [n for (n,) in other.execute("SELECT n FROM t ORDER BY n")] == [1, 3]

"""Migrations: frozen steps build exactly the schema the models declare, on SQLite and PostgreSQL, from an empty
database and from a release-14 database full of rows, losing nothing (issue 22.4)."""
import sqlite3
from pathlib import Path

import pytest

from app.core import migrations
from app.core.db import database
from app.core.domains import all_models
from app.core.migrations import MigrationError, SchemaVersion, schema, upgrade
from app.core.migrations.ops import is_sqlite
from app.core.models import Application, Question
from app.interview.models import AskedQuestion, Interview
from tests.support.app import make_app
from tests.support.rows import fill_every_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "migrations"


def _wipe():
    """An empty database (the test's own)."""
    if not is_sqlite(database):
        database.execute_sql("DROP SCHEMA public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
        return
    database.execute_sql("PRAGMA foreign_keys = OFF")
    tables = database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND name NOT LIKE 'sqlite_%'").fetchall()
    for (table,) in tables:
        database.execute_sql(f'DROP TABLE "{table}"')
    database.execute_sql("PRAGMA foreign_keys = ON")


def _fresh_schema():
    """What the live models make (create_tables), read back from the database."""
    _wipe()
    database.create_tables(all_models())
    described = schema.describe(database)
    _wipe()
    return described


def _counts():
    return {t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in database.get_tables() if not t.startswith("sqlite_")}


def test_steps_are_numbered_from_the_baseline_once_each(tmp_path):
    assert [s.number for s in migrations.steps()][:2] == [14, 15]
    for name in ("0014_baseline.py", "0015_a.py", "0015_b.py"):
        (tmp_path / name).write_text("def upgrade(db):\n    pass\n")
    with pytest.raises(MigrationError, match="once each"):
        migrations.steps(tmp_path)
    (tmp_path / "0015_b.py").rename(tmp_path / "0017_b.py")
    with pytest.raises(MigrationError, match="once each"):
        migrations.steps(tmp_path)


def test_upgrade_twice_applies_nothing_the_second_time(any_db_app):
    assert upgrade() == []
    assert [row.version for row in SchemaVersion.select().order_by(SchemaVersion.version)] == [
        s.number for s in migrations.steps()]


def test_every_step_from_the_baseline_with_rows_gives_the_models_schema(any_db_app):
    fresh = _fresh_schema()
    assert upgrade(until=migrations.BASELINE) == [migrations.BASELINE]
    before = fill_every_table(database.obj)
    assert all(before.values()), before
    upgrade()
    assert schema.differences(fresh, schema.describe(database)) == []
    after = _counts()
    assert {t: after[t] for t in before} == before            # no row lost on the way


def test_step_30_gives_every_interview_its_jobs_questions_as_they_are(any_db_app):
    """The interviews made before step 30 get their job's questions (in the job's order, text, timing, anchors):
    every interview then reads its questions one way (Interview.questions)."""
    _wipe()
    upgrade(until=29)
    fill_every_table(database.obj)
    database.execute_sql("UPDATE question SET dimension_names = '[\"语言表达\"]', "
                         "anchors = '{\"语言表达\": {\"1\": \"差\"}}'")
    upgrade()
    interviews = list(Interview.select())
    assert interviews
    for interview in interviews:
        job = Application.get_by_id(interview.application_id).job_id
        questions = list(Question.select().where(Question.job == job).order_by(Question.position))
        assert questions and interview.asked_questions() == [
            AskedQuestion(**{f: getattr(q, f) for f in AskedQuestion.FIELDS}) for q in questions]
        assert all(q.dimension_names == ["语言表达"] and q.anchors == {"语言表达": {"1": "差"}}
                   for q in interview.asked_questions())


def _load_release14(kind, tmp_path):
    dump = (FIXTURES / f"release14.{kind}.sql").read_text(encoding="utf-8")
    if kind == "sqlite":
        path = tmp_path / "release14.db"
        con = sqlite3.connect(path)
        con.executescript(dump)
        con.close()
        return make_app(tmp_path, DATABASE_URL=f"sqlite:///{path}", migrate=False)
    app = make_app(tmp_path, db="postgresql", migrate=False)
    lines = [line for line in dump.splitlines() if not line.startswith("\\") and "set_config('search_path'" not in line]
    with app.app_context(), database.connection_context():
        _wipe()
        database.execute_sql("\n".join(lines))
    return app


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_release_14_database_upgrades_in_place_and_keeps_every_row(kind, tmp_path, redis_conn):
    app = _load_release14(kind, tmp_path)
    with app.app_context(), database.connection_context():
        before = _counts()
        job_ids = [r[0] for r in database.execute_sql("SELECT id FROM job ORDER BY id").fetchall()]
        assert sum(before.values()) > 200 and len(job_ids) == 4
        legacy = schema.describe(database)
        applied = upgrade()
        assert applied[0] == migrations.BASELINE + 1
        upgraded = schema.describe(database)
        after = _counts()
        assert {t: after[t] for t in before if t != "schema_version"} == {
            t: n for t, n in before.items() if t != "schema_version"}
        assert [r[0] for r in database.execute_sql("SELECT id FROM job ORDER BY id").fetchall()] == job_ids
        fresh = _fresh_schema()
        assert schema.differences(fresh, upgraded) == []
        if kind == "sqlite":  # what step 15 mended (the comparison does see it)
            missing = schema.differences(fresh, legacy)
            assert any(d.startswith("job column family") for d in missing)
            assert any(d.startswith("report autoincrement") for d in missing)


def test_a_sqlite_rebuild_cascades_nothing_and_new_ids_are_never_reused(tmp_path, redis_conn):
    app = _load_release14("sqlite", tmp_path)
    with app.app_context(), database.connection_context():
        dimensions = database.execute_sql("SELECT COUNT(*) FROM dimension").fetchone()[0]
        upgrade()                            # step 15 rebuilds `job`, which dimensions reference ON DELETE CASCADE
        assert database.execute_sql("SELECT COUNT(*) FROM dimension").fetchone()[0] == dimensions
        top, interview = database.execute_sql("SELECT id, interview_id FROM report ORDER BY id DESC").fetchone()
        database.execute_sql(f"DELETE FROM report WHERE id = {top}")
        database.execute_sql("INSERT INTO report (interview_id, total, dimensions, flags, model_version, created_at,"
                             " integrity) VALUES (?, 1, '{}', '[]', 't', '2026-12-01', '{}')", (interview,))
        assert database.execute_sql("SELECT MAX(id) FROM report").fetchone()[0] == top + 1


def test_a_step_that_leaves_broken_foreign_keys_is_rolled_back(tmp_path, redis_conn):
    app = make_app(tmp_path)
    bad = tmp_path / "steps"
    bad.mkdir()
    for path in migrations.STEPS_DIR.glob("0*.*"):       # the steps and their frozen copies
        (bad / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    number = migrations.steps()[-1].number + 1
    (bad / f"{number:04d}_orphan.py").write_text(
        "def upgrade(db):\n    db.execute_sql(\"INSERT INTO dimension (job_id, name, description, weight, keywords,"
        " rubric, position) VALUES (999, 'x', '', 1, '[]', '[]', 0)\")\n")
    with app.app_context(), database.connection_context():
        with pytest.raises(MigrationError, match="broken foreign keys"):
            upgrade(directory=bad)
        assert database.execute_sql("SELECT COUNT(*) FROM dimension").fetchone()[0] == 0
        assert number not in migrations.applied()


def test_a_database_from_before_release_14_is_refused_with_a_clear_message(any_db_app):
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=12, name="old")
    with pytest.raises(MigrationError, match="release 14"):
        upgrade()


def test_the_baseline_never_imports_a_live_model():
    for step in migrations.steps():
        source = step.path.read_text(encoding="utf-8")
        imports = [line for line in source.splitlines() if line.startswith(("from app", "import app"))]
        assert all(line.startswith("from app.core.migrations") for line in imports), (step.path.name, imports)

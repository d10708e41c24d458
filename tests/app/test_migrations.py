"""Migrations: upgrade is idempotent, and a later migration works on fresh and on existing databases."""
from peewee import TextField

from app.db import database
from app.migrations import MIGRATIONS, SchemaVersion, add_column_if_missing, add_index_if_missing, upgrade


def test_upgrade_twice_applies_nothing_the_second_time(any_db_app):
    assert upgrade() == []
    assert [row.version for row in SchemaVersion.select()] == [m[0] for m in MIGRATIONS]


def test_add_column_if_missing_on_an_old_and_a_fresh_table(any_db_app):
    from playhouse.migrate import SchemaMigrator
    migrator = SchemaMigrator.from_database(database.obj)
    database.execute_sql("CREATE TABLE legacy_thing (id INTEGER PRIMARY KEY)")
    add_column_if_missing(database, migrator, "legacy_thing", "label", TextField(default=""))
    add_column_if_missing(database, migrator, "legacy_thing", "label", TextField(default=""))  # no-op
    assert "label" in {c.name for c in database.get_columns("legacy_thing")}
    add_index_if_missing(database, migrator, "legacy_thing", ["label"])
    add_index_if_missing(database, migrator, "legacy_thing", ["label"])  # no-op
    assert sum(list(i.columns) == ["label"] for i in database.get_indexes("legacy_thing")) == 1
    database.execute_sql("DROP TABLE legacy_thing")


def test_migration_13_adds_its_columns_to_a_database_from_before_it(any_db_app):
    from playhouse.migrate import SchemaMigrator, migrate

    from app.analytics.models import RollupState
    from app.models import Application, Candidate, Dimension, Job
    from app.screening.models import JobVersion
    job = Job.create(title="后端开发工程师")
    added = [("job", "family"), ("job", "version"), ("report", "job_version"), ("analytics_weight_change", "version"),
             ("analytics_application_fact", "channel"), ("analytics_score_fact", "channel")]
    migrator = SchemaMigrator.from_database(database.obj)
    for table, column in added:                      # the schema as migration 12 left it
        migrate(migrator.drop_column(table, column))
    # made after the drops (SQLite rebuilds a table to drop a column, and that cascades): rows referencing the job
    for number in (1, 2):
        JobVersion.create(job=job.id, number=number, snapshot={})
    Dimension.create(job=job.id, name="逻辑思维", weight=100)
    Application.create(job=job.id, candidate=Candidate.create(name="李明", phone="13800001234"))
    SchemaVersion.delete().where(SchemaVersion.version == 13).execute()
    RollupState.create(key="event", value=7)

    assert upgrade() == [13]
    for table, column in added:
        assert column in {c.name for c in database.get_columns(table)}, (table, column)
    assert database.execute_sql(f"SELECT version, family FROM job WHERE id = {job.id}").fetchone() == (2, "")
    assert RollupState.select().count() == 0         # the rollup is rebuilt, so every fact gets its channel
    # nothing that references the job was lost (peewee's NOT NULL column on SQLite rebuilt `job` and cascaded)
    assert (JobVersion.select().count(), Dimension.select().count(), Application.select().count()) == (2, 1, 1)


def test_migration_14_adds_the_scorecard_rollup_to_a_database_from_before_it(any_db_app):
    from app.analytics import rollup
    from app.analytics.models import RollupState, ScorecardDimensionFact, ScorecardFact
    from app.models import Application, Candidate, Job
    from app.process.models import Round, Scorecard
    app = Application.create(job=Job.create(title="后端开发工程师"),
                             candidate=Candidate.create(name="李明", phone="13800001234"))
    Scorecard.create(round=Round.create(application=app, duration_min=45, format="onsite", created_by="t"),
                     interviewer="iv_a", recommendation="yes", ratings={"专业能力": {"score": 4}})
    rollup.refresh()
    database.drop_tables([ScorecardFact, ScorecardDimensionFact])  # the schema as migration 13 left it
    SchemaVersion.delete().where(SchemaVersion.version == 14).execute()

    assert upgrade() == [14]
    assert RollupState.select().count() == 0         # the next refresh rebuilds, scorecards included
    assert rollup.refresh() == 1
    assert [(f.application_id, f.interviewer, f.mean_score) for f in ScorecardFact.select()] == [(app.id, "iv_a", 4.0)]
    assert [(d.dimension, d.panel_mean) for d in ScorecardDimensionFact.select()] == [("专业能力", 4.0)]

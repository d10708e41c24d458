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

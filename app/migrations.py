"""Numbered schema migrations applied in place (`flask --app wsgi db upgrade`, the Procfile's release step).

A migration is a function of (database, migrator). Never edit one that has shipped: add the next number.
Migration 1 creates the tables of the *current* models (safe=True), so on a fresh database it already makes
what later migrations add. Every later migration must therefore be a no-op when its change is present: use
`add_column_if_missing` / `add_index_if_missing` below (or check `database.get_columns` yourself).
"""
import logging

from peewee import CharField, DateTimeField, IntegerField, Model
from playhouse.migrate import SchemaMigrator

from app.db import database
from app.models.base import utcnow

log = logging.getLogger(__name__)


class SchemaVersion(Model):
    version = IntegerField(primary_key=True)
    name = CharField(max_length=120)
    applied_at = DateTimeField(default=utcnow)

    class Meta:
        database = database
        table_name = "schema_version"


def _initial(db, migrator):
    from app.models import ALL_MODELS
    db.create_tables(ALL_MODELS, safe=True)


def add_column_if_missing(db, migrator, table, name, field):
    """Add a column unless the table already has it (a fresh database got it from migration 1)."""
    from playhouse.migrate import migrate
    if name not in {c.name for c in db.get_columns(table)}:
        migrate(migrator.add_column(table, name, field))


def add_index_if_missing(db, migrator, table, columns, unique=False):
    """Add an index on `columns` unless one with exactly those columns exists."""
    from playhouse.migrate import migrate
    if not any(list(i.columns) == list(columns) for i in db.get_indexes(table)):
        migrate(migrator.add_index(table, tuple(columns), unique))


def _funnel_tables(db, migrator):
    """Issue 11: job versions, screening settings, posting links, intakes, resumes, screenings (new tables only)."""
    from app.screening.models import FUNNEL_MODELS
    db.create_tables(FUNNEL_MODELS, safe=True)


MIGRATIONS = [
    (1, "initial schema", _initial),
    (2, "funnel: postings, resumes, screening, job versions", _funnel_tables),
]


def pending():
    """Return the migrations not yet applied, in order."""
    database.create_tables([SchemaVersion], safe=True)
    done = {row.version for row in SchemaVersion.select(SchemaVersion.version)}
    return [m for m in MIGRATIONS if m[0] not in done]


def upgrade():
    """Apply every pending migration, each in its own transaction; return the versions applied."""
    applied = []
    migrator = SchemaMigrator.from_database(database.obj)
    for version, name, func in pending():
        with database.atomic():
            func(database, migrator)
            SchemaVersion.create(version=version, name=name)
        log.info("applied migration %s: %s", version, name)
        applied.append(version)
    return applied

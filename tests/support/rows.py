"""A row in every table of a database, whatever its schema: read the tables back from the database (peewee's
reflection) and insert values of each column's type, foreign keys pointing at the rows made before.

Used by the migration tests (rows present while the steps run) and by tools/fixtures/make_release14_db.py (the
release-14 databases the upgrade test starts from). Plain peewee only: it must also run against old code.
"""
import datetime as dt

from peewee import (
    BigIntegerField,
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    SqliteDatabase,
)
from playhouse.reflection import Introspector


def _value(field, n):
    if isinstance(field, BooleanField):
        return n % 2 == 0
    if isinstance(field, (IntegerField, BigIntegerField)):
        return n
    if isinstance(field, (FloatField, DecimalField)):
        return n + 0.5
    if isinstance(field, DateTimeField):
        return dt.datetime(2026, 11, 1, 9, 30) + dt.timedelta(minutes=n)
    if isinstance(field, DateField):
        return dt.date(2026, 11, 1) + dt.timedelta(days=n)
    return f"t{n}"  # short (any VARCHAR length) and unique


def _ordered(models):
    """Models with the tables they reference first."""
    done, out = set(), []

    def visit(model, path=()):
        if model in done or model in path:
            return
        for fk in model._meta.refs:
            if fk.rel_model is not model:
                visit(fk.rel_model, path + (model,))
        done.add(model)
        out.append(model)

    for model in models:
        visit(model)
    return out


def fill_every_table(db, rows_per_table=2, first=1, skip=("schema_version",)):
    """Insert `rows_per_table` rows into every table (values numbered from `first`, so a second call with another
    `first` meets no UNIQUE constraint); return {table: rows now in it}."""
    models = Introspector.from_database(db).generate_models(skip_invalid=True)
    made = {}
    n = first - 1
    models = {name: m for name, m in models.items() if name not in skip and not name.startswith("sqlite_")}
    for model in _ordered(list(models.values())):
        table = model._meta.table_name
        made[table] = []
        # SQLite numbers an INTEGER PRIMARY KEY itself; PostgreSQL only a SERIAL one (a nextval default).
        serial = {c.name for c in db.get_columns(table) if c.primary_key and (
            isinstance(db, SqliteDatabase) and c.data_type.upper() == "INTEGER" or "nextval" in str(c.default or ""))}
        for i in range(rows_per_table):
            n += 1
            values = {}
            for field in model._meta.sorted_fields:
                if field.primary_key and field.column_name in serial:
                    continue
                if isinstance(field, ForeignKeyField):
                    targets = made.get(field.rel_model._meta.table_name) or []
                    values[field.name] = targets[i % len(targets)] if targets else None
                    continue
                values[field.name] = _value(field, n)
            pk = model._meta.primary_key
            inserted = model.insert(values).execute()
            made[table].append(values[pk.name] if pk and pk.name in values else inserted)
    return {m._meta.table_name: m.select().count() for m in models.values()}

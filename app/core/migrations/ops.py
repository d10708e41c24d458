"""The operations a migration step uses, on SQLite and PostgreSQL, always with frozen models (never live ones).

Steps run inside one transaction each, with SQLite's foreign keys switched off (see `runner`): a SQLite table rebuild
drops the old table, and with foreign keys on that deletes every row referencing it through ON DELETE CASCADE.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from peewee import SqliteDatabase

from app.core.migrations import freeze


def is_sqlite(db) -> bool:
    return isinstance(getattr(db, "obj", db), SqliteDatabase)


def bind(db, models):
    """Bind frozen models to the real database (not the proxy) and return them."""
    real = getattr(db, "obj", db)
    for model in models:
        model._meta.set_database(real)
    return models


def load(step_file) -> dict:
    """{table name: frozen model} of the JSON copy beside a step (`NNNN_name.json` next to `NNNN_name.py`)."""
    path = Path(step_file).with_suffix(".json")
    return freeze.models(json.loads(path.read_text(encoding="utf-8")))


def tables(frozen: dict) -> list:
    """The frozen models a step creates or changes (the stubs left out)."""
    return [m for m in frozen.values() if not m.frozen_stub]


def create_tables(db, models):
    """Create the frozen models' tables and their indexes (the tables must not exist)."""
    real = getattr(db, "obj", db)
    real.create_tables(bind(db, models), safe=False)
    for model in models:
        for sql in model.frozen_index_sql:
            db.execute_sql(sql)


def create_table_sql(db, model, name: str | None = None) -> str:
    """The CREATE TABLE statement the frozen model makes on this database, optionally under another name."""
    bind(db, [model])
    real = getattr(db, "obj", db)
    sql, params = real.get_sql_context().sql(model._schema._create_table(safe=False)).query()
    assert not params
    if name:
        sql = sql.replace(f'CREATE TABLE "{model._meta.table_name}"', f'CREATE TABLE "{name}"', 1)
    return sql


def add_columns(db, model, *names: str, fill: dict | None = None):
    """Add the columns `names` of the frozen `model` (the whole table after the change) to its table.

    A NOT NULL column needs a value for the existing rows: `fill[column]` or the field's constant default. The result
    equals a table created with the columns: no DEFAULT stays in the database (defaults live in the models). SQLite
    cannot add a NOT NULL column without a DEFAULT, so there the table is rebuilt from `model`.
    """
    bind(db, [model])
    table, fill = model._meta.table_name, fill or {}
    fields = [model._meta.fields[n] for n in names]
    if is_sqlite(db) and any(not f.null for f in fields):
        rebuild_sqlite_table(db, model, fill)
        return
    real = getattr(db, "obj", db)
    for field in fields:
        ctx = real.get_sql_context()
        value = fill.get(field.column_name, None if callable(field.default) else field.default)
        if not field.null and value is None:
            raise ValueError(f"NOT NULL column {table}.{field.column_name} needs a fill value for existing rows")
        null, field.null = field.null, True
        column = ctx.sql(field.ddl(ctx)).query()[0]
        field.null = null
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN {column}')
        if not null:
            db.execute_sql(f'UPDATE "{table}" SET "{field.column_name}" = {real.param}', (field.db_value(value),))
            db.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{field.column_name}" SET NOT NULL')
    add_indexes(db, model, *names)


def add_indexes(db, model, *names: str):
    """Create the frozen model's indexes (field and Meta indexes, named as peewee names them) that involve `names`."""
    real = getattr(db, "obj", db)
    bind(db, [model])
    for index in model._meta.fields_to_index():
        if any(getattr(e, "name", None) in names for e in index._expressions):
            db.execute_sql(*real.get_sql_context().sql(model._schema._create_index(index, safe=False)).query())


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def sqlite_table_matches(db, model) -> bool:
    """Does the SQLite table have exactly the DDL the frozen model makes?"""
    row = db.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                         (model._meta.table_name,)).fetchone()
    return row is not None and _normal(row[0]) == _normal(create_table_sql(db, model))


def rebuild_sqlite_table(db, model, fill: dict | None = None):
    """Rebuild a SQLite table as the frozen model says, keeping every row (SQLite's "12-step" table change).

    Columns the old table lacks are filled from `fill` (column -> constant) or the field's constant default; a NULL in
    a column that becomes NOT NULL takes that default too. The caller's runner has foreign keys off and checks them
    (PRAGMA foreign_key_check) before it commits.
    """
    bind(db, [model])
    table = model._meta.table_name
    old = {c.name for c in db.get_columns(table)}
    fill = fill or {}
    temp = f"{table}__rebuild"
    db.execute_sql(create_table_sql(db, model, temp))
    targets, sources, params = [], [], []
    for field in model._meta.sorted_fields:
        column = field.column_name
        default = fill.get(column, field.default if not callable(field.default) else None)
        if column in old:
            targets.append(f'"{column}"')
            if not field.null and default is not None:
                sources.append(f'COALESCE("{column}", ?)')
                params.append(field.db_value(default))
            else:
                sources.append(f'"{column}"')
        elif default is not None:
            targets.append(f'"{column}"')
            sources.append("?")
            params.append(field.db_value(default))
        elif not field.null:
            raise ValueError(f"{table}.{column} is new and NOT NULL: give it a fill value")
    db.execute_sql(f'INSERT INTO "{temp}" ({", ".join(targets)}) SELECT {", ".join(sources)} FROM "{table}"',
                   params)
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{temp}" RENAME TO "{table}"')
    model._schema.create_indexes(safe=False)
    for sql in model.frozen_index_sql:
        db.execute_sql(sql)


def foreign_key_problems(db) -> list:
    """Rows whose foreign key points nowhere (SQLite: PRAGMA foreign_key_check; PostgreSQL enforces them itself)."""
    if not is_sqlite(db):
        return []
    return db.execute_sql("PRAGMA foreign_key_check").fetchall()

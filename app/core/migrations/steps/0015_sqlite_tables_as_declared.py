"""Step 15: on SQLite, rebuild every table that differs from the baseline (older databases), keeping every row.

Databases made before release 15 differ on SQLite in two ways: ids without AUTOINCREMENT (a deleted row's id was
handed out again: a deleted candidate's card opened another candidate's report, issue 20.3), and columns the old
migrations added as nullable although the models say NOT NULL. A fresh database already matches: nothing happens.
PostgreSQL needs nothing (SERIAL never reuses an id; its columns were added NOT NULL).
"""
from app.core.migrations import ops, step_module


def upgrade(db):
    if not ops.is_sqlite(db):
        return
    baseline = ops.tables(step_module(14).FROZEN)
    ops.bind(db, baseline)
    for model in baseline:
        if not ops.sqlite_table_matches(db, model):
            ops.rebuild_sqlite_table(db, model)

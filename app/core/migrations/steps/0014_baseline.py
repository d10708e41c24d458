"""Step 14, the baseline: every table of release 14 (0014_baseline.json, frozen on 2026-12-06).

A fresh database starts here. A database made before this release already has these tables (it recorded versions
1-14 with the old migrations) and continues with step 15. Ids are IdField: AUTOINCREMENT on SQLite, so the id of a
deleted row is never handed out again (issue 20.3); step 15 rebuilds an older SQLite database's tables to match.
"""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.create_tables(db, ops.tables(FROZEN))

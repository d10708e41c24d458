"""Step 22: `export_archive`, the candidate's data package (the export with its files as a zip in storage; one row
per scope, app/privacy/archive.py). Empty: nobody has asked for one yet."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.create_tables(db, ops.tables(FROZEN))

"""Step 17 (issue 21): the notifications domain's tables: notices, their deliveries per channel, SMS consent (opt-outs)
and phone codes."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.create_tables(db, ops.tables(FROZEN))

"""Step 20: `onboarding_checklist`, a job's own pre-hire checklist (empty: every job keeps using the built-in one,
app/process/onboarding.CHECKLIST)."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.create_tables(db, ops.tables(FROZEN))

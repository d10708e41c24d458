"""Step 18 (issue 21 phase 2): `notice.staff_told_at`, when HR was told that nothing reached the candidate within
NOTICE_UNREACHED_HOURS (app/notifications/unreached.py); NULL for every existing notice."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["notice"], "staff_told_at")

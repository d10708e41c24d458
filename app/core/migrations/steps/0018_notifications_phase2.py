"""Step 18 (issue 21 phase 2): `notice.staff_told_at`, when HR was told that nothing reached the candidate within
NOTICE_UNREACHED_HOURS (app/notifications/unreached.py; NULL for every existing notice), and
`job.identity_by_sms`, the job's identity step by SMS code instead of the phone's last 4 digits (false for every
existing job)."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["notice"], "staff_told_at")
    ops.add_columns(db, FROZEN["job"], "identity_by_sms", fill={"identity_by_sms": False})

"""Step 29: `card_message.decided_at`, the decision's own moment, written with it (the time of the stage or process
event it made). A decided card said the time from the row's `updated_at`, which a send finishing after a decision
made on the page (while the card was being sent) writes later. The cards decided so far get their `updated_at`,
what they said until now."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["card_message"], "decided_at")
    db.execute_sql("UPDATE card_message SET decided_at = updated_at WHERE decision <> ''")

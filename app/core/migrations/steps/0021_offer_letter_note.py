"""Step 21: `offer_policy.letter_note`, the job's own paragraphs of the offer letter, and `offer.letter_note`, the
paragraphs as they were when the offer was made (empty for every existing policy and offer: their letters read as
before)."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["offer_policy"], "letter_note", fill={"letter_note": ""})
    ops.add_columns(db, FROZEN["offer"], "letter_note", fill={"letter_note": ""})

"""Step 25: `offer_policy.letter_template`, the job's own wording of the offer letter (lines with {字段},
app/process/offer_letter.py), and `offer.letter_template`, that wording as it was when the offer was made (empty for
every existing policy and offer: their letters keep the default wording)."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["offer_policy"], "letter_template", fill={"letter_template": ""})
    ops.add_columns(db, FROZEN["offer"], "letter_template", fill={"letter_template": ""})

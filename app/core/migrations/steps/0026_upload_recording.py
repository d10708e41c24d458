"""Step 26: `upload.recording`, the client's id of the recording an upload sends (empty for every existing upload),
so another recording of an attempt already stored is refused even when it has the same size (two tabs of one link)."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["upload"], "recording", fill={"recording": ""})

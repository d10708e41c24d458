"""Step 28: `stage_event.candidate_message`, what HR wrote for the candidate with a move (the workbench's 淘汰
message): the candidate's stage notice carries it, whatever stage they were rejected at (empty for every existing
event: their notices read as before). `stage_event.reason` stays staff-only."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["stage_event"], "candidate_message", fill={"candidate_message": ""})

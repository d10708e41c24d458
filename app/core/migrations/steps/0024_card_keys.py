"""Step 24: `card_message.card_key`, which card a row is ("ai-result-<application id>", "round-decision-<round id>"),
UNIQUE, so each card still goes out once while its WeCom `task_id` becomes unique per send (WeCom refuses a task_id
its app has seen before, 40058, even one another database sent). A result or round card sent so far was keyed by its
task_id, so that is its card_key; its task_id stays as it is, so the buttons of cards already on a phone still
work. Test and external cards get none."""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["card_message"], "card_key")
    db.execute_sql("UPDATE card_message SET card_key = task_id WHERE kind IN ('result', 'round')")

"""Step 23 on a database with cards already sent: a result or round card's task_id becomes its card_key (so it is
still found, still sent once, and its buttons on the phones still work); a test card gets none."""
import pytest

from app.core.db import database
from app.core.migrations import upgrade
from app.interview import result_cards
from app.interview.models import CardMessage
from app.process import round_decisions
from tests.core.test_migrations import _load_release14


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_cards_sent_before_step_23_keep_their_task_id_as_their_card_key(kind, tmp_path, redis_conn):
    app = _load_release14(kind, tmp_path)
    with app.app_context(), database.connection_context():
        for row_id, task_id, card_kind in ((1, "ai-result-1", "result"), (2, "round-decision-7", "round"),
                                           (3, "test-3-0a1b2c", "test")):
            database.execute_sql(f"UPDATE card_message SET task_id = {database.param}, kind = {database.param} "
                                 f"WHERE id = {database.param}", (task_id, card_kind, row_id))
        upgrade()
        keyed = CardMessage.select(CardMessage.card_key, CardMessage.id, CardMessage.task_id).where(
            CardMessage.card_key.is_null(False))
        cards = {key: (row_id, task_id) for key, row_id, task_id in keyed.tuples()}
        assert cards == {result_cards.result_card_key(1): (1, "ai-result-1"),
                         round_decisions.card_key(7): (2, "round-decision-7")}

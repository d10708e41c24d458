"""Step 27 on a database with phones stored as typed (HR's invitation kept "138-0000-1234" until then): every
candidate's phone becomes its stored form, in place; no row is lost and records that now share a phone stay apart
(HR joins them by hand, app/screening/ownership.py)."""
import pytest

from app.core.db import database
from app.core.migrations import upgrade
from app.core.models import Candidate
from tests.core.test_migrations import _load_release14

TYPED = {1: "138-0000-1234", 2: "+86 138 0000 1234", 3: "１３９ ００００ ５６７８", 4: "010-1234 5678"}
STORED = {1: "13800001234", 2: "13800001234", 3: "13900005678", 4: "01012345678"}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_phones_stored_as_typed_are_normalised_in_place(kind, tmp_path, redis_conn):
    app = _load_release14(kind, tmp_path)
    with app.app_context(), database.connection_context():
        for row_id, phone in TYPED.items():
            database.execute_sql(f"UPDATE candidate SET phone = {database.param} WHERE id = {database.param}",
                                 (phone, row_id))
        before = database.execute_sql("SELECT COUNT(*) FROM candidate").fetchone()[0]
        upgrade()
        phones = dict(Candidate.select(Candidate.id, Candidate.phone).where(Candidate.id.in_(list(TYPED))).tuples())
        assert phones == STORED
        assert Candidate.select().count() == before


def test_the_steps_frozen_copy_reads_phones_as_the_app_does_today():
    """Step 27 copies the rules (a step never imports a live module); today they agree with app/core/phones.py."""
    from app.core import migrations, phones
    step = next(s for s in migrations.steps() if s.number == 27).load()
    samples = ["138-0000-1234", "+86 138 0000 1234", "0086 138 0000 1234", "8613800001234", "１３８００００１２３４",
               "+44 20 7946 0958", "+1 (202) 555-0123", "010-1234 5678", "+86 10 1234 5678", "+0 123", "t1", "",
               "无", "1" * 40]
    assert [step.stored_form(s) for s in samples] == [phones.canonical(s) for s in samples]

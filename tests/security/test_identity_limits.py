"""The identity try limit holds under parallel guesses; identity, token lookups and callbacks are rate limited."""
import threading

import pytest

from app.db import database
from app.errors import AppError
from app.models import Interview
from app.services import interview_flow
from tests.candidate.fixtures import NAME, PHONE, invite, make_short_job

LIMIT = 5


def test_a_guess_in_flight_cannot_add_a_sixth_try(any_db_app, monkeypatch):
    """One guess is held inside its check while five more arrive: at most LIMIT guesses are ever evaluated.

    Before the fix the held guess had passed the limit check and was evaluated after five failures (6 tries).
    (On SQLite it failed with "database is locked" instead.) The interleaving is forced with events, not timing.
    """
    app = any_db_app
    interview, _ = invite(make_short_job())
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    evaluated = []
    held, release = threading.Event(), threading.Event()
    real_norm = interview_flow._norm_name

    def norm(name):
        if name == "held-guess" and not held.is_set():
            evaluated.append(name)
            held.set()
            assert release.wait(30)
        elif name != NAME and name and not name.startswith("李"):
            evaluated.append(name)
        return real_norm(name)

    monkeypatch.setattr(interview_flow, "_norm_name", norm)
    outcome = {}

    def guess_in_thread():
        with app.app_context(), database.connection_context():
            try:
                interview_flow.verify_identity(interview.id, "held-guess", PHONE[-4:])
            except AppError as exc:
                outcome["held"] = exc.code
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                outcome["held"] = repr(exc)

    thread = threading.Thread(target=guess_in_thread)
    thread.start()
    assert held.wait(30)
    for i in range(LIMIT):
        with pytest.raises(AppError):
            interview_flow.verify_identity(interview.id, f"wrong-{i}", PHONE[-4:])
    release.set()
    thread.join(30)
    assert outcome["held"] in ("identity_mismatch", "identity_locked")
    assert len(evaluated) <= LIMIT, evaluated
    assert Interview.get_by_id(interview.id).identity_attempts <= LIMIT
    with pytest.raises(AppError) as exc:
        interview_flow.verify_identity(interview.id, NAME, PHONE[-4:])
    assert exc.value.code == "identity_locked"

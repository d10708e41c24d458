"""The identity try limit holds under parallel guesses; identity, token lookups and callbacks are rate limited."""
import threading

import pytest

from app.core.db import database
from app.core.errors import AppError
from app.interview import flow as interview_flow
from app.interview.models import Interview
from tests.support.interviews import NAME, PHONE, invite, make_short_job

LIMIT = 5


def test_guesses_in_flight_cannot_add_a_sixth_try(pg_app):
    """Six wrong guesses at once, each held by PostgreSQL (a lock on the candidate table) the moment it reads the
    answer to compare: at most LIMIT of them are ever evaluated.

    Before the fix every guess passed the limit check before any had failed and all six were evaluated (6 tries).
    The guesses are released once each of them waits on the lock or has been answered (no timing)."""
    app = pg_app
    interview, _ = invite(make_short_job())
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    outcomes = []

    def guess(i):
        with app.app_context(), database.connection_context():
            try:
                interview_flow.verify_identity(interview.id, f"wrong-{i}", PHONE[-4:])
                outcomes.append("verified")
            except AppError as exc:
                outcomes.append(exc.code)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(LIMIT + 1)]
    with database.atomic():
        database.execute_sql("LOCK TABLE candidate IN ACCESS EXCLUSIVE MODE")
        for thread in threads:
            thread.start()
        while (database.execute_sql("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0]
               + len(outcomes)) < len(threads):
            threading.Event().wait(0.01)
    for thread in threads:
        thread.join(30)
    assert len(outcomes) == LIMIT + 1 and set(outcomes) <= {"identity_mismatch", "identity_locked"}, outcomes
    assert outcomes.count("identity_mismatch") <= LIMIT - 1, outcomes
    assert Interview.get_by_id(interview.id).identity_attempts <= LIMIT
    with pytest.raises(AppError) as exc:
        interview_flow.verify_identity(interview.id, NAME, PHONE[-4:])
    assert exc.value.code == "identity_locked"


def _settings(**values):
    from app.core.extensions import settings
    settings.update(values)


def test_identity_posts_are_rate_limited_per_client(app, client):
    """Guessing across many interviews from one client is slowed down, not only within one interview."""
    _settings(RATE_LIMIT_IDENTITY="3 per minute")
    tokens = [invite(make_short_job(title=f"岗位{i}"))[1] for i in range(4)]
    codes = []
    for token in tokens:
        client.post("/mp/api/v1/consent", headers={"Authorization": f"Bearer {token}"},
                    json={"recording": True, "text_version": interview_flow.CONSENT_VERSION})
        res = client.post("/mp/api/v1/identity", headers={"Authorization": f"Bearer {token}"},
                          json={"name": "韩梅梅", "phone_last4": "0000"})
        codes.append(res.status_code)
    assert codes[:3] == [400, 400, 400] and codes[3] == 429
    assert client.post(f"/i/{tokens[3]}/identity", data={"name": "x", "phone_last4": "0"}).status_code == 429
    other = client.post("/mp/api/v1/identity", headers={"Authorization": f"Bearer {tokens[3]}"},
                        json={"name": NAME, "phone_last4": PHONE[-4:]}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # another client is not affected


def test_a_refused_identity_try_says_how_long_to_wait(app, client):
    """The identity step's rate limit said only 「请求过于频繁」: the wait was in the Retry-After header alone. The
    refusal says it in words (the header's seconds, read a moment apart), in the API's JSON and on the H5 form's
    page."""
    import re
    _settings(RATE_LIMIT_IDENTITY="2 per minute")
    _, token = invite(make_short_job())
    bearer = {"Authorization": f"Bearer {token}"}
    client.post("/mp/api/v1/consent", headers=bearer,
                json={"recording": True, "text_version": interview_flow.CONSENT_VERSION})
    for _ in range(2):
        client.post("/mp/api/v1/identity", headers=bearer, json={"name": "韩梅梅", "phone_last4": "0000"})
    res = client.post("/mp/api/v1/identity", headers=bearer, json={"name": NAME, "phone_last4": PHONE[-4:]})
    error = res.get_json()["error"]
    assert res.status_code == 429 and error["code"] == "too_many_requests"
    said = re.match(r"请求过于频繁,请(\d+)秒后再试", error["message"])
    assert said and 1 <= int(said.group(1)) <= 60 and abs(int(said.group(1)) - int(res.headers["Retry-After"])) <= 1
    assert error["details"]["retry_after_s"] == int(said.group(1))
    page = client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": PHONE[-4:]})
    said = re.search(r"请求过于频繁,请(\d+)秒后再试", page.get_data(as_text=True))
    assert page.status_code == 429 and said and abs(int(said.group(1)) - int(page.headers["Retry-After"])) <= 1


def test_unknown_tokens_are_rate_limited_but_a_valid_one_is_not(app, client):
    _settings(RATE_LIMIT_TOKEN_MISSES="5 per minute")
    for i in range(5):
        assert client.get("/mp/api/v1/interview", headers={"Authorization": f"Bearer guess{i}"}).status_code == 404
    res = client.get("/i/guess-next")
    assert res.status_code == 429
    assert client.get("/mp/api/v1/status", headers={"Authorization": "Bearer guess-x"}).json["error"]["code"] == \
        "too_many_requests"
    _, token = invite(make_short_job())
    other = {"REMOTE_ADDR": "10.0.0.7"}
    for _ in range(8):  # a candidate's own valid link is never counted
        assert client.get(f"/i/{token}", environ_base=other).status_code == 200


def test_failed_callbacks_are_rate_limited(app, client):
    _settings(RATE_LIMIT_CALLBACK_FAILURES="4 per minute")
    for _ in range(4):
        res = client.post("/wecom/callback?msg_signature=x&timestamp=1&nonce=n", data="<xml/>",
                          content_type="text/xml")
        assert res.status_code in (400, 403)
    res = client.post("/wecom/callback?msg_signature=x&timestamp=1&nonce=n", data="<xml/>", content_type="text/xml")
    assert res.status_code == 429 and res.json["error"]["code"] == "too_many_requests"


def test_a_valid_token_is_never_refused_because_of_other_clients_misses_behind_the_same_address(app, client):
    """One client guessing tokens behind a shared address (a company NAT, a mobile carrier) used to lock out every
    candidate behind it: after 20 unknown tokens the next valid /i/<token> and /mp/api/v1/status were 429."""
    _settings(RATE_LIMIT_TOKEN_MISSES="5 per minute")
    _, token = invite(make_short_job())
    codes = [client.get(f"/i/guess{i}").status_code for i in range(10)]
    assert codes[:5] == [404] * 5 and set(codes[5:]) == {429}   # the misses are limited
    assert client.get("/mp/api/v1/status", headers={"Authorization": "Bearer guess-x"}).status_code == 429
    # Same address: the candidate with a real link is served everywhere.
    assert client.get(f"/i/{token}").status_code == 200
    assert client.get(f"/i/{token}/status").status_code == 200
    assert client.get("/mp/api/v1/status", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert client.get("/mp/api/v1/conversation", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    # Misses count on every page opened by a token, not only the interview's.
    assert client.get("/i/guess-y/status").status_code == 429
    assert client.get("/mp/api/v1/conversation", headers={"Authorization": "Bearer guess-z"}).status_code == 429

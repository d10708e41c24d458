"""WeCom's callbacks at a busy company's pace: all come from a few Tencent addresses, so the rate limit counts only
callbacks that fail the signature check; the product's default settings, real wechatpy crypto."""
from urllib.parse import parse_qsl, urlencode

import pytest

from app.core.db import database
from app.core.models import WeComEvent
from tests.support.app import make_app
from tests.support.wecom import CORP
from wecom_sandbox.delivery import card_event_xml, encrypt

CFG = {"corp_id": CORP["WECOM_CORP_ID"], "token": CORP["WECOM_TOKEN"], "aes_key": CORP["WECOM_AES_KEY"],
       "agent_id": CORP["WECOM_AGENT_ID"]}
TENCENT = {"REMOTE_ADDR": "101.226.103.7"}
FAILURES_PER_MINUTE = 30  # RATE_LIMIT_CALLBACK_FAILURES' default


@pytest.fixture
def cb(tmp_path, redis_conn):
    app = make_app(tmp_path, **CORP)   # the default limits: nothing overridden
    assert app.config["RATE_LIMITS_ENABLED"]
    with app.app_context(), database.connection_context():
        yield app.test_client()


def signed_post(client, i, environ=TENCENT):
    query, body = encrypt(CFG, card_event_xml(CFG, f"user{i % 40}", f"ai-result-{i}", f"d:{i}:on_hold", f"rc{i}",
                                              create_time=1700000000 + i))
    return client.post("/wecom/callback?" + query, data=body, content_type="text/xml", environ_base=environ)


def badly_signed_post(client, environ=TENCENT):
    query, body = encrypt(CFG, card_event_xml(CFG, "mallory", "ai-result-x", "d:1:second_round", "rc"))
    args = dict(parse_qsl(query))
    args["msg_signature"] = ("0" if args["msg_signature"][0] != "0" else "1") + args["msg_signature"][1:]
    return client.post("/wecom/callback?" + urlencode(args), data=body, content_type="text/xml", environ_base=environ)


def test_1300_signed_callbacks_from_one_address_are_all_taken_and_bad_ones_limited(cb):
    """Before: the 1,201st callback of a minute from one address got 429 (RATE_LIMIT_CALLBACK, every request counted),
    so a busy company's taps, approvals and kf messages were refused."""
    codes = [signed_post(cb, i).status_code for i in range(1300)]
    assert codes.count(200) == 1300
    assert WeComEvent.select().count() == 1300
    bad = [badly_signed_post(cb).status_code for _ in range(FAILURES_PER_MINUTE + 5)]
    assert bad[:FAILURES_PER_MINUTE] == [403] * FAILURES_PER_MINUTE and set(bad[FAILURES_PER_MINUTE:]) == {429}
    # The limit is spent for this address, yet WeCom's signed callbacks from it are still taken.
    assert [signed_post(cb, 5000 + i).status_code for i in range(20)] == [200] * 20
    assert WeComEvent.select().count() == 1320
    # Another address's bad callback is judged on its own.
    assert badly_signed_post(cb, {"REMOTE_ADDR": "10.0.0.8"}).status_code == 403


def test_what_counts_as_failing_the_signature_check(cb):
    """Unsigned, wrongly signed, not an envelope, an unsigned URL check: counted. A signed event of a shape we refuse
    (400 bad_event) is WeCom's, so it is not."""
    for i in range(FAILURES_PER_MINUTE + 10):
        query, body = encrypt(CFG, card_event_xml(CFG, "zhangwei", "t" * 500, f"k{i}", "rc"))   # TaskId too long
        res = cb.post("/wecom/callback?" + query, data=body, content_type="text/xml", environ_base=TENCENT)
        assert res.status_code == 400 and res.json["error"]["code"] == "bad_event"
    failing = [
        lambda: cb.post("/wecom/callback", data="<xml/>", content_type="text/xml", environ_base=TENCENT),
        lambda: cb.post("/wecom/callback?msg_signature=x&timestamp=1&nonce=n", data="not xml",
                        content_type="text/xml", environ_base=TENCENT),
        lambda: badly_signed_post(cb),
        lambda: cb.get("/wecom/callback?" + urlencode({"msg_signature": "0" * 40, "timestamp": "1", "nonce": "n",
                                                        "echostr": "abc"}), environ_base=TENCENT),
    ]
    codes = [failing[i % len(failing)]().status_code for i in range(FAILURES_PER_MINUTE + 4)]
    assert all(c in (400, 403) for c in codes[:FAILURES_PER_MINUTE]) and set(codes[FAILURES_PER_MINUTE:]) == {429}
    assert signed_post(cb, 1).status_code == 200

"""/wecom/callback: Tencent's vector over real HTTP, verification, dedupe, and bad input -> the right 4xx."""
import time
from urllib.parse import urlencode

import pytest
import requests
from rq import Queue
from wechatpy.enterprise.crypto import WeChatCrypto

from app.core.db import database
from app.core.models import Application, WeComEvent
from tests.support.app import make_app
from tests.support.servers import Served
from tests.support.wecom import CORP
from wecom_sandbox.delivery import card_event_xml, encrypt, to_xml

SANDBOX_CFG = {"corp_id": CORP["WECOM_CORP_ID"], "token": CORP["WECOM_TOKEN"], "aes_key": CORP["WECOM_AES_KEY"],
               "agent_id": CORP["WECOM_AGENT_ID"]}
VECTOR = {"token": "QDG6eK", "aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "corp": "wx5823bf96d3bd56c7",
          "msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589",
          "nonce": "263014780",
          "echostr": "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="}


@pytest.fixture(params=["sqlite", "postgresql"])
def cb_app(request, tmp_path, redis_conn):
    """The app on SQLite and on PostgreSQL: dedupe rests on the database's UNIQUE constraint."""
    app = make_app(tmp_path, db=request.param, **CORP)
    with app.app_context(), database.connection_context():
        yield app


@pytest.fixture
def cb(cb_app):
    return cb_app.test_client()


def post(client, plain_xml, cfg=SANDBOX_CFG):
    query, body = encrypt(cfg, plain_xml)
    return client.post("/wecom/callback?" + query, data=body, content_type="text/xml")


def card_xml(userid="zhangwei", key="d:1:second_round", task="ai-result-1", create_time=1700000000):
    return card_event_xml(SANDBOX_CFG, userid, task, key, "rc-test", create_time=create_time)


def fast_jobs(redis_conn):
    return Queue("fast", connection=redis_conn).job_ids


def test_official_vector_through_the_real_endpoint(tmp_path, redis_conn):
    app = make_app(tmp_path, WECOM_TOKEN=VECTOR["token"], WECOM_AES_KEY=VECTOR["aes_key"],
                   WECOM_CORP_ID=VECTOR["corp"])
    server = Served(app)
    try:
        query = {k: VECTOR[k] for k in ("msg_signature", "timestamp", "nonce", "echostr")}
        res = requests.get(f"{server.url}/wecom/callback", params=query, timeout=5)
        assert res.status_code == 200
        assert res.content == b"1616140317555161061"  # plain: no quotes, BOM or newline
        res = requests.get(f"{server.url}/wecom/callback", params=dict(query, msg_signature="0" * 40), timeout=5)
        assert res.status_code == 403 and res.json()["error"]["code"] == "bad_signature"
    finally:
        server.stop()


def test_verification_needs_its_parameters(cb):
    res = cb.get("/wecom/callback?timestamp=1&nonce=2")
    assert res.status_code == 400 and res.json["error"]["code"] == "missing_params"


def test_an_event_is_stored_once_enqueued_once_and_answered_empty(cb, redis_conn):
    res = post(cb, card_xml())
    assert res.status_code == 200 and res.data == b""
    event = WeComEvent.get()
    assert (event.event_type, event.from_user, event.status) == ("template_card_event", "zhangwei", "received")
    assert event.payload["message"]["EventKey"] == "d:1:second_round"
    assert fast_jobs(redis_conn) == [f"wecom-event-{event.id}"]
    # WeCom retries with the same event: acknowledged, nothing new stored or enqueued.
    again = post(cb, card_xml())
    assert again.status_code == 200 and again.data == b""
    assert WeComEvent.select().count() == 1 and len(fast_jobs(redis_conn)) == 1
    # Another tap (a different moment or button) is a different event.
    assert post(cb, card_xml(create_time=1700000009)).status_code == 200
    assert WeComEvent.select().count() == 2


def test_messages_dedupe_by_msgid_and_unhandled_types_are_stored(cb, redis_conn):
    text = to_xml({"ToUserName": CORP["WECOM_CORP_ID"], "FromUserName": "zhangwei", "CreateTime": 1700000000,
                   "MsgType": "text", "Content": "你好", "MsgId": "123456789", "AgentID": 1000002})
    assert post(cb, text).status_code == 200
    assert post(cb, text).status_code == 200
    enter = to_xml({"ToUserName": CORP["WECOM_CORP_ID"], "FromUserName": "zhangwei", "CreateTime": 1700000001,
                    "MsgType": "event", "Event": "enter_agent", "EventKey": "", "AgentID": 1000002})
    assert post(cb, enter).status_code == 200
    rows = list(WeComEvent.select().order_by(WeComEvent.id))
    assert [(r.msg_type, r.event_type, r.status) for r in rows] == [("text", "", "ignored"),
                                                                    ("event", "enter_agent", "ignored")]
    assert rows[0].dedupe_key == "msg:123456789"
    assert fast_jobs(redis_conn) == []


def approval_xml(records):
    from wecom_sandbox.delivery import approval_event_xml
    approval = {"sp_no": "202611250001", "status": 2, "template_id": "tpl", "created_at": time.time(),
                "creator": "hr_lina", "cc": [], "records": records}
    return approval_event_xml(SANDBOX_CFG, approval, change_event=2)


@pytest.mark.parametrize("records", [
    [{"userid": "zhangwei", "status": 2}],
    [{"userid": "zhangwei", "status": 2}, {"userid": "wangfang", "status": 1}],
])
def test_approval_children_are_lists_whether_one_or_many(cb, records):
    assert post(cb, approval_xml(records)).status_code == 200
    info = WeComEvent.get().payload["approval"]
    assert info["sp_no"] == "202611250001" and info["sp_status"] == 2 and info["change_event"] == 2
    assert [r["details"][0]["userid"] for r in info["records"]] == [r["userid"] for r in records]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><ToUserName>&lol3;</ToUserName><Encrypt>&lol3;</Encrypt></xml>"""


def _bad_requests():
    query, body = encrypt(SANDBOX_CFG, card_xml())
    good = dict(q.split("=", 1) for q in query.split("&"))
    wrong_corp = encrypt(dict(SANDBOX_CFG, corp_id="wwsomeoneelse000001"), card_xml())
    return {
        "bad signature": (403, "bad_signature", urlencode(dict(good, msg_signature="f" * 40)), body),
        "wrong corp": (403, "wrong_corp", *wrong_corp),
        "truncated xml": (400, "bad_xml", query, body[: len(body) // 2]),
        "entity expansion": (400, "bad_xml", query, BILLION_LAUGHS),
        "no encrypt": (400, "bad_xml", query, "<xml><ToUserName>x</ToUserName></xml>"),
        "garbage ciphertext": (403, "bad_signature", query, body.replace("<Encrypt><![CDATA[", "<Encrypt><![CDATA[A")),
        "signed garbage": (400, "bad_ciphertext", *_signed("bm90IGFlcyBjaXBoZXJ0ZXh0IGF0IGFsbA==")),
        "2 MB body": (413, "body_too_large", query, "<xml>" + "a" * (2 * 1024 * 1024) + "</xml>"),
        "no signature": (400, "missing_params", "", body),
    }


def _signed(encrypt_text):
    """A correctly signed envelope around ciphertext that is not AES of anything."""
    from wechatpy.crypto import _get_signature
    signature = _get_signature(SANDBOX_CFG["token"], "1700000000", "nonce1", encrypt_text)
    query = urlencode({"msg_signature": signature, "timestamp": "1700000000", "nonce": "nonce1"})
    return query, f"<xml><ToUserName>x</ToUserName><Encrypt>{encrypt_text}</Encrypt></xml>"


@pytest.mark.parametrize("case", list(_bad_requests()))
def test_bad_callbacks_get_the_right_4xx_and_store_nothing(cb, redis_conn, case):
    status, code, query, body = _bad_requests()[case]
    res = cb.post("/wecom/callback?" + query, data=body, content_type="text/xml")
    assert res.status_code == status, res.data[:200]
    assert res.json["error"]["code"] == code
    assert WeComEvent.select().count() == 0 and fast_jobs(redis_conn) == []
    assert Application.select().count() == 0


def test_crypto_matches_wechatpy_both_ways(cb):
    """What the sandbox posts is what wechatpy (as WeCom's reference) decrypts."""
    query, body = encrypt(SANDBOX_CFG, card_xml())
    params = dict(q.split("=", 1) for q in query.split("&"))
    crypto = WeChatCrypto(SANDBOX_CFG["token"], SANDBOX_CFG["aes_key"], SANDBOX_CFG["corp_id"])
    plain = crypto.decrypt_message(body, params["msg_signature"], params["timestamp"], params["nonce"])
    assert "<Event><![CDATA[template_card_event]]></Event>" in plain


def test_a_signed_callback_replayed_outside_the_window_is_refused(cb, cb_app, redis_conn):
    now = int(time.time())
    window = cb_app.config["WECOM_CALLBACK_MAX_AGE"]
    assert window == 900                                    # the default
    for offset in (-window - 60, window + 60):              # a captured callback replayed later; a clock far ahead
        query, body = encrypt(SANDBOX_CFG, card_xml(create_time=now + offset), timestamp=now + offset)
        res = cb.post("/wecom/callback?" + query, data=body, content_type="text/xml")
        assert res.status_code == 403 and res.json["error"]["code"] == "stale_timestamp", res.data
        assert "900" in res.json["error"]["message"]
    assert WeComEvent.select().count() == 0 and fast_jobs(redis_conn) == []
    # WeCom's retries keep the first delivery's timestamp, seconds old: taken, once.
    query, body = encrypt(SANDBOX_CFG, card_xml(create_time=now - 20), timestamp=now - 20)
    for _ in range(4):
        assert cb.post("/wecom/callback?" + query, data=body, content_type="text/xml").status_code == 200
    assert WeComEvent.select().count() == 1


def test_the_window_can_be_turned_off(tmp_path, redis_conn):
    app = make_app(tmp_path, WECOM_CALLBACK_MAX_AGE=0, **CORP)
    with app.app_context(), database.connection_context():
        query, body = encrypt(SANDBOX_CFG, card_xml(), timestamp=1700000000)
        res = app.test_client().post("/wecom/callback?" + query, data=body, content_type="text/xml")
        assert res.status_code == 200 and WeComEvent.select().count() == 1


def test_a_card_tap_for_another_agent_is_refused(cb, redis_conn):
    other = dict(SANDBOX_CFG, agent_id=1000099)     # another app of the corp posting to this URL with our key
    res = post(cb, card_event_xml(other, "zhangwei", "ai-result-1", "d:1:second_round", "rc-x"))
    assert res.status_code == 403 and res.json["error"]["code"] == "unknown_agent"
    assert "AgentID" in res.json["error"]["message"]
    assert WeComEvent.select().count() == 0 and fast_jobs(redis_conn) == []
    assert post(cb, card_xml()).status_code == 200  # our own agent's tap is taken


@pytest.mark.parametrize("key", ["d:²:second_round", "d:99999999999999999999:second_round", "r:١٢:pass"])
def test_a_signed_tap_with_a_key_that_is_no_id_is_refused_at_once(cb, key):
    from wecom_callbacks import handlers
    assert post(cb, card_xml(key=key)).status_code == 200   # signed and well formed: stored
    event = WeComEvent.get()
    assert handlers.handle_event(event.id) == "refused"     # not an exception retried for two hours
    assert "bad_button_key" in WeComEvent.get_by_id(event.id).result

"""Another app of the corp configured with our callback URL, token and key: its events arrive signed with our key.
Whatever they are (a text, an app event, a card tap, an approval), one naming another AgentID is refused, logged and
not stored; the events WeCom sends without an AgentID by design keep working."""
import logging

import pytest
from rq import Queue

from app.core.db import database
from app.core.models import WeComEvent
from tests.support.app import make_app
from tests.support.wecom import CORP
from wecom_sandbox.delivery import APPROVAL_APP_AGENT_ID, approval_event_xml, card_event_xml, encrypt, to_xml

OURS = CORP["WECOM_AGENT_ID"]
OTHER = 1000099
CFG = {"corp_id": CORP["WECOM_CORP_ID"], "token": CORP["WECOM_TOKEN"], "aes_key": CORP["WECOM_AES_KEY"],
       "agent_id": OURS}


@pytest.fixture
def cb(tmp_path, redis_conn):
    app = make_app(tmp_path, **CORP)
    with app.app_context(), database.connection_context():
        yield app.test_client()


def post(client, plain_xml):
    query, body = encrypt(CFG, plain_xml)
    return client.post("/wecom/callback?" + query, data=body, content_type="text/xml")


def head(**fields):
    return {"ToUserName": CORP["WECOM_CORP_ID"], "FromUserName": "zhangwei", "CreateTime": 1700000000, **fields}


def text(agent_id):
    return to_xml(head(MsgType="text", Content="你好", MsgId=f"m{agent_id}", AgentID=agent_id))


def enter_agent(agent_id):
    return to_xml(head(MsgType="event", Event="enter_agent", EventKey="", AgentID=agent_id))


def card_tap(agent_id):
    return card_event_xml(dict(CFG, agent_id=agent_id), "zhangwei", "ai-result-1-ab12", "d:1:second_round", "rc-1")


def approval(agent_id):
    xml = approval_event_xml(CFG, {"sp_no": "202612070001", "status": 2, "template_id": "tpl", "created_at": 1700000000,
                                   "creator": "hr_lina", "cc": [], "records": [{"userid": "zhangwei", "status": 2}]},
                             change_event=2)
    return xml.replace(f"<AgentID>{APPROVAL_APP_AGENT_ID}</AgentID>", f"<AgentID>{agent_id}</AgentID>")


KINDS = {"text": text, "enter_agent": enter_agent, "template_card_event": card_tap, "sys_approval_change": approval}


def fast_jobs(redis_conn):
    return Queue("fast", connection=redis_conn).job_ids


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_signed_callback_of_another_app_is_refused_logged_and_not_acted_on(cb, redis_conn, caplog, kind):
    with caplog.at_level(logging.WARNING, logger="wecom_callbacks.inbox"):
        res = post(cb, KINDS[kind](OTHER))
    assert res.status_code == 403, res.data[:300]
    assert res.json["error"]["code"] == "unknown_agent"
    assert f"AgentID {OTHER}" in res.json["error"]["message"] and str(OURS) in res.json["error"]["message"]
    assert WeComEvent.select().count() == 0 and fast_jobs(redis_conn) == []
    (line,) = [r.getMessage() for r in caplog.records if "AgentID" in r.getMessage()]
    sender = "'sys'" if kind == "sys_approval_change" else "'zhangwei'"
    assert kind in line and sender in line and str(OTHER) in line and str(OURS) in line
    # The same callback from our own app is taken.
    assert post(cb, KINDS[kind](OURS)).status_code == 200
    assert WeComEvent.select().count() == 1


def test_an_approval_change_may_name_the_approval_app(cb, redis_conn):
    """WeCom's docs show sys_approval_change carrying the 审批 app's AgentID (3010040) to a self-built app."""
    assert post(cb, approval(APPROVAL_APP_AGENT_ID)).status_code == 200
    event = WeComEvent.get()
    assert (event.event_type, event.agent_id, event.status) == ("sys_approval_change", APPROVAL_APP_AGENT_ID,
                                                                "received")
    assert fast_jobs(redis_conn) == [f"wecom-event-{event.id}"]
    # The 审批 app's AgentID is only an approval's: a text naming it is another app's.
    assert post(cb, text(APPROVAL_APP_AGENT_ID)).status_code == 403


def test_events_without_an_agent_id_by_design_keep_working(cb, redis_conn):
    contact = to_xml(head(FromUserName="sys", MsgType="event", Event="change_contact", ChangeType="update_user",
                          UserID="zhangwei"))
    external = to_xml(head(FromUserName="sys", MsgType="event", Event="change_external_contact",
                           ChangeType="add_external_contact", UserID="hr_lina", ExternalUserID="wmABC"))
    kf = to_xml({"ToUserName": CORP["WECOM_CORP_ID"], "CreateTime": 1700000002, "MsgType": "event",
                 "Event": "kf_msg_or_event", "Token": "tok", "OpenKfId": "wkAAA"})
    for xml in (contact, external, kf):
        assert post(cb, xml).status_code == 200
    rows = list(WeComEvent.select().order_by(WeComEvent.id))
    assert [(r.event_type, r.agent_id, r.status) for r in rows] == [
        ("change_contact", None, "ignored"), ("change_external_contact", None, "ignored"),
        ("kf_msg_or_event", None, "received")]
    assert fast_jobs(redis_conn) == [f"wecom-event-{rows[2].id}"]

"""Crafted input found by the second security review (issue 20, item 9): each was a 500, mostly on PostgreSQL.

Every test runs on SQLite and PostgreSQL (`any_db_app`): PostgreSQL refuses what SQLite stores (a NUL in text,
a string longer than its column, an integer beyond 2^31 - 1), so most of these only failed there.
"""
import io

import pytest

from app.conversation.models import Message
from app.core.models import Application, WeComEvent
from app.screening import intake
from tests.security.helpers import auth
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.reports import sign_in_as
from tests.support.wecom import CORP
from wecom_sandbox.delivery import encrypt

CFG = {"corp_id": CORP["WECOM_CORP_ID"], "token": CORP["WECOM_TOKEN"], "aes_key": CORP["WECOM_AES_KEY"],
       "agent_id": CORP["WECOM_AGENT_ID"]}
NUL_CODE = "nul_character"


@pytest.fixture
def db_app(any_db_app):
    """any_db_app with the sandbox corp's callback keys and an HR member."""
    from app.core.extensions import settings
    extra = {**CORP, "HR_USERIDS": ["hr_lina"]}
    any_db_app.config.update(extra)
    settings.update(extra)
    return any_db_app


@pytest.fixture
def client(db_app):
    return db_app.test_client()


@pytest.fixture
def ready(db_app):
    """(job, interview, token) of a candidate past consent, identity and the device check."""
    job = make_short_job()
    interview, token = invite(job)
    make_ready(interview)
    return job, interview, token


def callback(client, inner, agent_id=CORP["WECOM_AGENT_ID"]):
    """POST a callback correctly signed and encrypted with the app's own key, around `inner`."""
    xml = (f"<xml><ToUserName>{CORP['WECOM_CORP_ID']}</ToUserName><CreateTime>1700000000</CreateTime>"
           f"<AgentID>{agent_id}</AgentID>{inner}</xml>")
    query, body = encrypt(CFG, xml)
    return client.post("/wecom/callback?" + query, data=body, content_type="text/xml")


EVENT = "<MsgType>event</MsgType><Event>{event}</Event><FromUserName>{user}</FromUserName>"


# -- WeCom callbacks: fields beyond their columns, deep XML ---------------------------------------------------
OVERSIZED = ["AgentID 2^31", "AgentID negative", "MsgType 33 chars", "Event 65 chars", "FromUserName 65 chars",
             "ResponseCode 256 chars", "SpStatus 2^31"]


def oversized_callback(case):
    """(inner XML, AgentID) of a callback with one field beyond what its column holds."""
    inner, agent_id = EVENT.format(event="change_contact", user="zhangwei"), CORP["WECOM_AGENT_ID"]
    if case == "AgentID 2^31":
        agent_id = 2**31
    elif case == "AgentID negative":
        agent_id = -5
    elif case == "MsgType 33 chars":
        inner = f"<MsgType>{'m' * 33}</MsgType><FromUserName>zhangwei</FromUserName>"
    elif case == "Event 65 chars":
        inner = EVENT.format(event="e" * 65, user="zhangwei")
    elif case == "FromUserName 65 chars":
        inner = EVENT.format(event="change_contact", user="u" * 65)
    elif case == "ResponseCode 256 chars":
        inner = (EVENT.format(event="template_card_event", user="zhangwei") +
                 f"<EventKey>d:1:second_round</EventKey><TaskId>t1</TaskId><ResponseCode>{'r' * 256}</ResponseCode>")
    else:
        inner = (EVENT.format(event="sys_approval_change", user="sys") +
                 f"<ApprovalInfo><SpNo>1</SpNo><SpStatus>{2**31}</SpStatus><StatuChangeEvent>2</StatuChangeEvent>"
                 "</ApprovalInfo>")
    return inner, agent_id


def test_callback_fields_beyond_what_the_database_holds_are_refused_not_stored(client):
    for case in OVERSIZED:
        res = callback(client, *oversized_callback(case))
        assert res.status_code == 400, (case, res.status_code, res.data[:300])
        assert res.json["error"]["code"] == "bad_event", case
    assert WeComEvent.select().count() == 0


def test_the_largest_agent_id_the_database_holds_is_still_stored(db_app, client):
    db_app.config["WECOM_AGENT_ID"] = 2**31 - 1      # a callback naming another app's AgentID is refused (403)
    res = callback(client, EVENT.format(event="enter_agent", user="zhangwei"), agent_id=2**31 - 1)
    assert res.status_code == 200
    assert WeComEvent.get().agent_id == 2**31 - 1


def test_deeply_nested_callback_xml_is_refused(client):
    deep = "<D>" + "<a>" * 5500 + "x" + "</a>" * 5500 + "</D>"
    res = callback(client, EVENT.format(event="change_contact", user="zhangwei") + deep)
    assert res.status_code == 400, (res.status_code, res.data[:300])
    assert res.json["error"]["code"] == "bad_xml"
    assert WeComEvent.select().count() == 0


# -- JSON bodies: nesting and NUL -----------------------------------------------------------------------------
JSON_ENDPOINTS = ["/mp/api/v1/uploads", "/mp/api/v1/consent", "/mp/api/v1/identity",
                  "/mp/api/v1/questions/1/start", "/mp/api/v1/conversation/messages",
                  "/mp/api/v1/conversation/attachments"]


def test_json_nested_thousands_deep_is_400(client, ready):
    _, _, token = ready
    for path in JSON_ENDPOINTS:
        for opening, closing in (("[", "]"), ('{"a":', "}")):
            body = opening * 6000 + "1" + closing * 6000
            res = client.post(path, headers={**auth(token), "Content-Type": "application/json"}, data=body)
            assert res.status_code == 400, (path, opening, res.status_code, res.data[:300])
            assert res.json["error"]["code"] == "json_too_deep"


def test_json_nested_a_little_is_still_read(client, ready):
    _, _, token = ready
    res = client.post("/mp/api/v1/conversation/messages", headers=auth(token),
                      json={"text": "你好", "meta": {"a": [[{"b": [1]}]]}})
    assert res.status_code == 201, res.json


def test_nul_in_a_json_string_is_400_and_nothing_stored(client, ready):
    _, _, token = ready
    res = client.post("/mp/api/v1/conversation/messages", headers=auth(token), json={"text": "你好\u0000"})
    assert res.status_code == 400, (res.status_code, res.data[:300])
    assert res.json["error"]["code"] == NUL_CODE
    assert Message.select().where(Message.sender_kind == "candidate").count() == 0


def test_attachment_ids_of_the_wrong_shape_are_400(client, ready):
    _, _, token = ready
    for ids in ([[1]], [{}], ["1"], [True], [2**31], [-1], [1.5]):
        res = client.post("/mp/api/v1/conversation/messages", headers=auth(token),
                          json={"text": "简历在附件里", "attachment_ids": ids})
        assert res.status_code == 400, (ids, res.status_code, res.data[:300])
        assert res.json["error"]["code"] == "invalid_attachment"
    assert Message.select().where(Message.sender_kind == "candidate").count() == 0


# -- NUL in paths, query strings, form fields and file names (a request-level guard) ---------------------------
def test_nul_in_a_path_is_400(client, ready):
    _, _, token = ready
    for path in ("/p/ab%00c", f"/i/{token}%00/status", "/mp/api/v1/uploads/ab%00cd"):
        res = client.get(path, headers=auth(token))
        assert res.status_code == 400, (path, res.status_code)
    res = client.get("/mp/api/v1/uploads/ab%00cd", headers=auth(token))
    assert res.json["error"]["code"] == NUL_CODE


def test_nul_in_a_posting_form_is_400_with_the_page_and_nothing_stored(client, db_app):
    job = make_short_job()
    link = intake.create_link(job.id, "moments")
    before = Application.select().count()
    for form in ({"name": "张\x00伟", "phone": "13800001234", "consent": "yes"},
                 {"name": "张伟", "phone": "13800001234", "consent": "yes",
                  "resume": (io.BytesIO(b"%PDF-1.4"), "cv\x00.pdf")}):
        res = client.post(f"/p/{link.code}", data=form, content_type="multipart/form-data")
        assert res.status_code == 400, res.status_code
        assert "text/html" in res.content_type and "空字符" in res.get_data(as_text=True)
    assert Application.select().count() == before


def test_nul_in_staff_query_strings_is_400(client, db_app):
    sign_in_as(client, "hr_lina")
    for path in ("/admin/applications?q=a%00b", "/m/availability?userid=a%00b", "/admin/applications?a%00=1"):
        res = client.get(path)
        assert res.status_code == 400, (path, res.status_code)
        assert "空字符" in res.get_data(as_text=True)


def test_nul_in_a_staff_form_field_is_400(client, db_app):
    sign_in_as(client, "hr_lina")
    res = client.post("/m/availability", data={"userid": "a\x00b", "start": "2030-01-01T10:00",
                                              "end": "2030-01-01T11:00"})
    assert res.status_code == 400, res.status_code


# -- numbers: only ASCII digits in range ---------------------------------------------------------------------
def test_candidate_item_forms_with_bad_numbers_are_refused_with_a_message(client, ready):
    _, _, token = ready
    for page in ("check", "onboarding"):
        for form in ({"item_id": "abc"}, {"item_id": "²"}, {"item_id": "1", "attachment_id": "²"},
                     {"item_id": "99999999999"}, {"item_id": "١"}):
            res = client.post(f"/i/{token}/{page}", data={"value": "x", **form})
            assert res.status_code == 302, (page, form, res.status_code)
            with client.session_transaction() as sess:
                flashed = [message for _, message in sess.pop("_flashes", [])]
            assert flashed and "编号" in flashed[0], (page, form, flashed)


def test_bulk_actions_with_bad_ids_do_nothing(client, db_app):
    sign_in_as(client, "hr_lina")
    for ids in (["²"], ["١"], ["abc"], ["99999999999"]):
        res = client.post("/admin/applications/bulk", data={"ids": ids, "action": "reject"})
        assert res.status_code == 302, (ids, res.status_code)
        assert res.headers["Location"] == "/admin/applications"


# -- redirect targets ----------------------------------------------------------------------------------------
def test_back_after_a_bulk_action_stays_on_the_site(client, db_app):
    sign_in_as(client, "hr_lina")
    for back in ("/admin/x\r\nSet-Cookie: a=b", "/admin/\n/evil.example", "//evil.example/admin/",
                 "https://evil.example/admin/", "/admin\\..\\evil"):
        res = client.post("/admin/applications/bulk", data={"ids": "1", "action": "nonsense", "back": back})
        assert res.status_code == 302, (back, res.status_code)
        assert res.headers["Location"] == "/admin/applications", back
        assert "a=b" not in res.headers.get("Set-Cookie", "")


def test_a_same_site_back_is_kept(client, db_app):
    sign_in_as(client, "hr_lina")
    res = client.post("/admin/applications/bulk", data={"ids": "1", "action": "nonsense",
                                                        "back": "/admin/applications?job=1&page=2"})
    assert res.headers["Location"] == "/admin/applications?job=1&page=2"


def _multipart(fields, file_disposition, data, boundary="XBOUNDARY"):
    """A multipart body written by hand (the test client cannot send an RFC 2231 `filename*`)."""
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="resume"; {file_disposition}\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_a_resume_named_with_a_line_break_still_downloads(client, db_app):
    """An applicant's file name is theirs to choose: `filename*=UTF-8''cv%0D%0ASet-Cookie…` reached the resume's
    Content-Disposition, which Werkzeug refuses to write, so HR's 简历 link was a 500 and the file could not be
    opened at all. The download name is a cleaned display name (no control characters, no path)."""
    from app.screening.models import Resume
    from tests.support.funnel import pdf_resume
    job = make_short_job()
    link = intake.create_link(job.id, "moments")
    body, content_type = _multipart({"name": "张伟", "phone": "13800001234", "consent": "yes"},
                                    "filename=\"cv.pdf\"; filename*=UTF-8''..%2F%E7%AE%80%E5%8E%86%0D%0A"
                                    "Set-Cookie%3A%20staff%3D1.pdf", pdf_resume())
    res = client.post(f"/p/{link.code}", data=body, content_type=content_type)
    assert res.status_code == 302, res.get_data(as_text=True)[-300:]
    resume = Resume.select().order_by(Resume.id.desc()).get()
    sign_in_as(client, "hr_lina")
    res = client.get(f"/m/applications/{resume.application_id}/resume")
    assert res.status_code == 200
    disposition = res.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\r" not in disposition and "\n" not in disposition
    assert "Set-Cookie" not in res.headers and "/" not in disposition.split("filename*=")[-1].replace("%2F", "/")
    assert "%E7%AE%80%E5%8E%86" in disposition   # the name is kept, readable: 简历 Set-Cookie: staff=1.pdf

"""Malformed input gets a 4xx (or 503 for an unreachable database), never a 500."""
import pytest

from app.conversation.models import AttachmentUpload
from app.core.models import WeComEvent
from app.interview.models import Upload
from tests.security.helpers import auth
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.wecom import CORP
from wecom_sandbox.delivery import encrypt

CFG = {"corp_id": CORP["WECOM_CORP_ID"], "token": CORP["WECOM_TOKEN"], "aes_key": CORP["WECOM_AES_KEY"],
       "agent_id": CORP["WECOM_AGENT_ID"]}
HEAD = (f"<ToUserName>{CORP['WECOM_CORP_ID']}</ToUserName><CreateTime>1700000000</CreateTime>"
        f"<AgentID>{CORP['WECOM_AGENT_ID']}</AgentID>")
APPROVAL = ("<MsgType>event</MsgType><Event>sys_approval_change</Event><FromUserName>sys</FromUserName>"
            "<ApprovalInfo><SpNo>1</SpNo><SpName>offer</SpName><TemplateId>t</TemplateId>"
            "<StatuChangeEvent>{change}</StatuChangeEvent><SpStatus>{status}</SpStatus>{more}</ApprovalInfo>")
CARD = ("<MsgType>event</MsgType><Event>template_card_event</Event><FromUserName>{user}</FromUserName>"
        "<EventKey>d:1:second_round</EventKey><TaskId>t1</TaskId><CardType>button_interaction</CardType>{more}")

SHAPES = {
    "SpStatus not a number": APPROVAL.format(change=1, status="approved", more=""),
    "StatuChangeEvent not a number": APPROVAL.format(change="x", status=2, more=""),
    "Details as text": APPROVAL.format(change=1, status=2, more="<SpRecord><SpStatus>2</SpStatus>"
                                       "<Details>text</Details></SpRecord>"),
    "SpRecord as text": APPROVAL.format(change=1, status=2, more="<SpRecord>text</SpRecord>"),
    "Detail SpStatus not a number": APPROVAL.format(change=1, status=2, more=(
        "<SpRecord><SpStatus>2</SpStatus><Details><Approver><UserId>u</UserId></Approver>"
        "<SpStatus>yes</SpStatus></Details></SpRecord>")),
    "Applyer as text": APPROVAL.format(change=1, status=2, more="<Applyer>someone</Applyer>"),
    "Notifyer as text": APPROVAL.format(change=1, status=2, more="<Notifyer>someone</Notifyer>"),
    "nested FromUserName": CARD.format(user="<a>x</a>", more=""),
    "nested Event": "<MsgType>event</MsgType><Event><a>x</a></Event><FromUserName>u</FromUserName>",
    "nested MsgType": "<MsgType><a>event</a></MsgType><FromUserName>u</FromUserName>",
    "nested AgentID": CARD.format(user="u", more="").replace("<EventKey>", "<AgentID><a>1</a></AgentID><EventKey>"),
    "SelectedItems as text": CARD.format(user="u", more="<SelectedItems>text</SelectedItems>"),
    "SelectedItem as text": CARD.format(user="u", more="<SelectedItems><SelectedItem>t</SelectedItem></SelectedItems>"),
    "nested EventKey": CARD.format(user="u", more="").replace("d:1:second_round", "<a>d</a>"),
}


def signed(inner):
    """A callback correctly signed and encrypted with the app's own key, around `inner`."""
    return encrypt(CFG, f"<xml>{HEAD}{inner}</xml>")


@pytest.fixture
def cb_client(tmp_path, redis_conn):
    from app.core.db import database
    from tests.support.app import make_app
    app = make_app(tmp_path, **CORP)
    with app.app_context(), database.connection_context():
        yield app.test_client()


@pytest.mark.parametrize("shape", list(SHAPES))
def test_validly_signed_malformed_callbacks_get_400(cb_client, shape):
    query, body = signed(SHAPES[shape])
    res = cb_client.post("/wecom/callback?" + query, data=body, content_type="text/xml")
    assert res.status_code == 400, (res.status_code, res.data[:200])
    assert res.json["error"]["code"] == "bad_event"
    assert WeComEvent.select().count() == 0


@pytest.mark.parametrize("mime", [123, ["video/webm"], {"a": 1}, True, None])
def test_upload_init_with_a_non_string_mime_type_is_400(app, client, mime):
    job = make_short_job()
    interview, token = invite(job)
    make_ready(interview)
    res = client.post("/mp/api/v1/uploads", headers=auth(token),
                      json={"question_id": job.ordered_questions()[0].id, "attempt": 1, "mime_type": mime,
                            "total_bytes": 1000})
    assert res.status_code == 400 and res.json["error"]["code"] == "unsupported_media_type", res.json


@pytest.mark.parametrize("field,value", [("question_id", True), ("attempt", 1.5), ("total_bytes", "12abc"),
                                         ("question_id", [1]), ("attempt", {"a": 1}), ("question_id", "{q}"),
                                         ("attempt", "1"), ("total_bytes", "1000"), ("total_bytes", 1000.0)])
def test_upload_init_with_wrong_integer_types_is_400_naming_the_field(app, client, field, value):
    """JSON integers only: the question's id as a string of digits ("12", as a careless client sends it) is refused
    as plainly as "abc", naming the field, and nothing is opened."""
    job = make_short_job()
    interview, token = invite(job)
    make_ready(interview)
    question_id = job.ordered_questions()[0].id
    value = str(question_id) if value == "{q}" else value
    body = {"question_id": question_id, "attempt": 1, "mime_type": "audio/webm", "total_bytes": 1000, field: value}
    res = client.post("/mp/api/v1/uploads", headers=auth(token), json=body)
    assert res.status_code == 400, res.json
    assert res.json["error"]["code"] == "invalid_field" and res.json["error"]["details"] == {"field": field}
    assert res.json["error"]["message"].startswith(f"{field} 必须是整数")
    assert Upload.select().count() == 0


@pytest.mark.parametrize("value", ["1000", 1000.0, True, None])
def test_attachment_init_with_a_size_that_is_no_integer_is_400_naming_it(app, client, value):
    interview, token = invite(make_short_job())
    make_ready(interview)
    res = client.post("/mp/api/v1/conversation/attachments", headers=auth(token),
                      json={"filename": "简历.pdf", "total_bytes": value})
    assert res.status_code == 400, res.json
    assert res.json["error"]["code"] == "invalid_field" and res.json["error"]["details"] == {"field": "total_bytes"}
    assert AttachmentUpload.select().count() == 0


@pytest.mark.parametrize("path,body", [("/mp/api/v1/identity", {"name": {"a": 1}, "phone_last4": ["1"]}),
                                       ("/mp/api/v1/identity", {"name": "李雷", "phone_last4": "5678",
                                                                "face_jpeg_base64": 12}),
                                       ("/mp/api/v1/consent", {"recording": True, "text_version": 5})])
def test_other_api_bodies_with_wrong_types_are_4xx(app, client, path, body):
    _, token = invite(make_short_job())
    if path.endswith("identity"):
        client.post("/mp/api/v1/consent", headers=auth(token), json={"recording": True, "biometric": True,
                                                                     "text_version": "2026-11-v1"})
    res = client.post(path, headers=auth(token), json=body)
    assert 400 <= res.status_code < 500, (res.status_code, res.json)


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none", "sqlite:////proc/x.db"])
def test_health_probes_answer_503_when_the_database_is_unreachable(tmp_path, redis_conn, url):
    from app import create_app
    from tests.support.app import REDIS_TEST_URL
    app = create_app({"TESTING": True, "APP_ENV": "test", "SECRET_KEY": "k", "DATABASE_URL": url,
                      "REDIS_URL": REDIS_TEST_URL, "MEDIA_ROOT": str(tmp_path / "media")})
    client = app.test_client()
    for path in ("/healthz", "/readyz"):
        res = client.get(path)
        assert res.status_code == 503, (path, res.status_code, res.data[:200])
        assert res.json["status"] == "unavailable"


def test_ids_beyond_the_database_integer_range_are_404_not_500(app, client):
    """Found by bench/fuzz.sh: a 20-digit question id reached SQLite and overflowed (500)."""
    job = make_short_job()
    interview, token = invite(job)
    make_ready(interview)
    res = client.post("/mp/api/v1/questions/99999999999999999999/start", headers=auth(token), json={})
    assert res.status_code == 404, res.status_code
    res = client.post("/mp/api/v1/uploads", headers=auth(token),
                      json={"question_id": 99999999999999999999, "attempt": 1, "mime_type": "audio/webm",
                            "total_bytes": 1000})
    assert res.status_code == 400 and res.json["error"]["code"] == "invalid_upload"
    assert client.get("/m/reports/99999999999999999999").status_code in (302, 404)


def test_a_page_that_needs_redis_while_it_is_down_is_a_503_with_a_clear_message(app, client, caplog):
    """Staff sessions live in Redis: with Redis refusing, HR's page says the service is unavailable (503), not
    「服务器出错了」(500); the JSON API says the same in its error shape."""
    from app.core.extensions import redis_client
    from tests.support.reports import sign_in_as
    sign_in_as(client, "hr_lina")
    job = make_short_job()
    interview, token = invite(job)
    make_ready(interview)
    working = redis_client.url
    redis_client.init("redis://127.0.0.1:1/0")               # nothing listens there: every Redis call is refused
    try:
        page = client.get("/admin/")
        upload = client.post("/mp/api/v1/uploads", headers=auth(token),
                             json={"question_id": job.ordered_questions()[0].id, "attempt": 1,
                                   "mime_type": "audio/webm", "total_bytes": 4}).json["upload_id"]
        client.put(f"/mp/api/v1/uploads/{upload}/chunks/0", headers=auth(token), data=b"webm",
                   content_type="application/octet-stream")
        api = client.post(f"/mp/api/v1/uploads/{upload}/complete", headers=auth(token))
    finally:
        redis_client.init(working)
    assert page.status_code == 503, page.status_code
    assert "服务暂时不可用" in page.get_data(as_text=True)
    assert api.status_code == 503 and api.json["error"]["code"] == "unavailable"

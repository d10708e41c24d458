"""The JSON flow of the mini-program and its OpenAPI document."""
import re

from app.conversation.views import api_bp as conversation_api_bp
from mini_program_api import bp
from tests.support.interviews import NAME, PHONE, face_data_url, invite, make_short_job


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_every_route_is_in_the_openapi_document(app, client):
    """The interview's and the conversation's routes under /mp/api/v1 (bench/fuzz.sh fuzzes what is here)."""
    doc = client.get("/mp/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith((bp.name + ".", conversation_api_bp.name + ".")):
            # <name>, <int:name>, <int(signed=True):name> -> {name}
            path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule).removeprefix(bp.url_prefix)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method.lower()))
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert routes and routes == documented
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["responses"], (path, method)


def test_json_flow_consent_identity_questions_status(client, app):
    job = make_short_job(questions=2)
    _, token = invite(job)
    info = client.get("/mp/api/v1/interview", headers=auth(token)).json
    assert info["job"]["title"] == job.title and info["company"] == app.config["COMPANY_NAME"]
    assert info["total_seconds"] == 2 * (2 + 4) and info["status"]["next_step"] == "landing"
    version = info["consent"]["version"]
    res = client.post("/mp/api/v1/consent", headers=auth(token), json={"recording": False, "text_version": version})
    assert res.status_code == 400 and res.json["error"]["code"] == "consent_required"
    res = client.post("/mp/api/v1/consent", headers=auth(token),
                      json={"recording": True, "biometric": True, "text_version": version})
    assert res.status_code == 200 and res.json["next_step"] == "identity" and res.json["stage"] == "ai_in_progress"
    res = client.post("/mp/api/v1/identity", headers=auth(token), json={"name": NAME, "phone_last4": "9999"})
    assert res.status_code == 400 and res.json["error"]["details"]["attempts_left"] == 4
    assert "还可尝试 4 次" in res.json["error"]["message"]
    res = client.post("/mp/api/v1/identity", headers=auth(token),
                      json={"name": NAME, "phone_last4": PHONE[-4:], "face_jpeg_base64": face_data_url()})
    assert res.status_code == 200 and res.json["next_step"] == "device"
    assert client.post("/mp/api/v1/device-check", headers=auth(token)).json["next_step"] == "questions"
    listing = client.get("/mp/api/v1/questions", headers=auth(token)).json
    first, second = listing["questions"]
    assert first["text"] and second["text"] is None and listing["next_question_id"] == first["id"]
    nxt = client.get("/mp/api/v1/questions/next", headers=auth(token)).json
    assert nxt["question"]["id"] == first["id"] and nxt["question"]["next_attempt"] == 1
    status = client.get("/mp/api/v1/status", headers=auth(token)).json
    assert status["interview_status"] == "in_progress" and status["answered"] == 0 and not status["audio_only"]


def test_errors_are_json_with_code_and_message(client, app):
    assert client.get("/mp/api/v1/interview").json["error"]["code"] == "token_required"
    res = client.post("/mp/api/v1/consent", headers=auth("nope"), data="x")
    assert res.status_code == 404 and set(res.json["error"]) >= {"code", "message"}
    job = make_short_job()
    _, token = invite(job)
    res = client.post("/mp/api/v1/consent", headers=auth(token), data="not json", content_type="application/json")
    assert res.status_code == 400 and res.json["error"]["code"] == "invalid_json"
    assert client.get("/mp/api/v1/nothing-here").json["error"]["code"] == "not_found"

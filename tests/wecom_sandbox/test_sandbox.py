"""The sandbox behaves like WeCom's docs: card rules, single-use codes, token expiry, faults, callback retries."""
import sqlite3
import threading
import time

import pytest
import requests
from wechatpy.enterprise.crypto import WeChatCrypto
from werkzeug.wrappers import Request, Response

from tests.support.servers import Served
from tests.support.wecom import CORP, start_sandbox

BASE_CARD = {"card_type": "button_interaction", "task_id": "task-1", "main_title": {"title": "标题"},
             "button_list": [{"text": "进入复试", "style": 1, "key": "k1"}]}


class Api:
    def __init__(self, box):
        self.box = box
        self.token = self.get("gettoken", corpid=CORP["WECOM_CORP_ID"], corpsecret=CORP["WECOM_SECRET"])[
            "access_token"]

    def get(self, endpoint, **params):
        return requests.get(f"{self.box.url}/cgi-bin/{endpoint}", params=params, timeout=10).json()

    def post(self, endpoint, body, token=None):
        return requests.post(f"{self.box.url}/cgi-bin/{endpoint}", params={"access_token": token or self.token},
                             json=body, timeout=10).json()

    def send_card(self, card, to="zhangwei"):
        return self.post("message/send", {"touser": to, "msgtype": "template_card", "agentid": 1000002,
                                          "template_card": card})


@pytest.fixture
def api(sandbox):
    return Api(sandbox)


@pytest.mark.parametrize("change, fragment", [
    ({"horizontal_content_list": [{"keyname": "k", "value": "v"}] * 7}, "at most 6"),
    ({"task_id": "含中文"}, "task_id may only"),
    ({"task_id": "a" * 129}, "128 bytes"),
    ({"task_id": ""}, "task_id is required"),
    ({"button_list": []}, "1 to 6 buttons"),
    ({"button_list": [{"text": "a", "style": 5, "key": "k"}]}, "style"),
    ({"button_list": [{"text": "a", "key": "k"}, {"text": "b", "key": "k"}]}, "duplicated"),
    ({"main_title": {"title": "长" * 37}}, "36"),
    ({"card_action": {"type": 1, "url": "javascript:alert(1)"}}, "card_action.url"),
])
def test_template_card_rules(api, change, fragment):
    answer = api.send_card(dict(BASE_CARD, **change))
    assert answer["errcode"] == 40058 and fragment in answer["errmsg"]


def test_task_ids_are_unique_and_response_codes_single_use_for_72h(api, sandbox):
    sent = api.send_card(BASE_CARD)
    assert sent["errcode"] == 0 and sent["response_code"]
    assert "already exists" in api.send_card(BASE_CARD)["errmsg"]
    second = api.send_card(dict(BASE_CARD, task_id="task-2"))
    update = {"userids": ["zhangwei"], "agentid": 1000002, "button": {"replace_name": "已处理"}}
    assert api.post("message/update_template_card", dict(update, response_code=sent["response_code"]))[
        "errcode"] == 0
    used = api.post("message/update_template_card", dict(update, response_code=sent["response_code"]))
    assert used["errcode"] == 40058 and "used" in used["errmsg"]
    db = sqlite3.connect(sandbox.app.config["SANDBOX"]["db"])
    db.execute("UPDATE response_codes SET created_at = ? WHERE code = ?", (time.time() - 72 * 3600 - 1,
                                                                           second["response_code"]))
    db.commit()
    db.close()
    expired = api.post("message/update_template_card", dict(update, response_code=second["response_code"]))
    assert "expired" in expired["errmsg"]


def test_a_whole_card_update_with_replace_text_greys_the_buttons(api, sandbox):
    sent = api.send_card(BASE_CARD)
    update = {"userids": ["zhangwei"], "agentid": 1000002, "response_code": sent["response_code"]}
    too_long = dict(BASE_CARD, replace_text="已进入复试 · 张伟 14:05")
    answer = api.post("message/update_template_card", dict(update, template_card=too_long))
    assert answer["errcode"] == 40058 and "replace_text exceeds 10" in answer["errmsg"]   # the code is not spent
    line = "张伟 于 12-07 14:05"
    greyed = dict(BASE_CARD, replace_text="已进入复试 · 张伟", quote_area={"type": 0, "quote_text": line})
    assert api.post("message/update_template_card", dict(update, template_card=greyed))["errcode"] == 0
    seen = sandbox.card("task-1", "zhangwei")
    assert seen["replace_name"] == "已进入复试 · 张伟" and seen["card"]["quote_area"]["quote_text"] == line
    assert sandbox.tap("zhangwei", "task-1", "k1")[0] == 409                              # greyed: no more taps
    page = requests.get(f"{sandbox.url}/phone/zhangwei", timeout=10).text
    assert line in page and 'class="done">已进入复试 · 张伟<' in page


def test_token_rules(api, sandbox):
    assert api.get("gettoken", corpid=CORP["WECOM_CORP_ID"], corpsecret="nope")["errcode"] == 40001
    assert api.get("gettoken", corpid="ww-other", corpsecret=CORP["WECOM_SECRET"])["errcode"] == 40013
    text = {"touser": "zhangwei", "msgtype": "text", "agentid": 1000002, "text": {"content": "hi"}}
    assert requests.post(f"{sandbox.url}/cgi-bin/message/send", json=text, timeout=5).json()["errcode"] == 41001
    assert api.post("message/send", text, token="forged")["errcode"] == 40014
    assert api.post("message/send", dict(text, agentid=1))["errcode"] == 40056
    assert api.post("message/send", dict(text, touser="nobody"))["errcode"] == 81013
    sandbox.api("post", "/sandbox/api/expire-tokens")
    assert api.post("message/send", text)["errcode"] == 42001


def test_faults_answer_n_times_then_clear(api, sandbox):
    text = {"touser": "zhangwei", "msgtype": "text", "agentid": 1000002, "text": {"content": "hi"}}
    sandbox.arm("45009", count=2)
    assert [api.post("message/send", text)["errcode"] for _ in range(3)] == [45009, 45009, 0]
    sandbox.arm("-1", count=1, endpoint="oa/getapprovaldetail")
    assert api.post("message/send", text)["errcode"] == 0  # other endpoints unaffected
    assert api.post("oa/getapprovaldetail", {"sp_no": "1"})["errcode"] == -1
    assert len(sandbox.requests_to("message/send")) == 4  # every request is logged


def test_state_survives_a_restart(tmp_path):
    box = start_sandbox(tmp_path)
    try:
        Api(box).send_card(BASE_CARD)
    finally:
        box.stop()
    again = start_sandbox(tmp_path)
    try:
        assert again.card("task-1", "zhangwei")["card"]["main_title"]["title"] == "标题"
        assert "标题" in requests.get(again.url + "/phone/zhangwei", timeout=5).text
        assert len(again.requests_to("message/send")) == 1
    finally:
        again.stop()


class Receiver:
    """A stand-in callback server that fails the first `failures` posts."""

    def __init__(self, failures):
        self.failures, self.bodies, self.lock = failures, [], threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self.lock:
            self.bodies.append((dict(request.args), request.get_data(as_text=True)))
            status = 500 if len(self.bodies) <= self.failures else 200
        return Response("", status=status)(environ, start_response)


@pytest.mark.parametrize("failures, status, attempts", [(0, "delivered", 1), (2, "delivered", 3),
                                                        (10, "failed", 4)])
def test_a_tap_is_posted_encrypted_and_retried_up_to_three_times(tmp_path, failures, status, attempts):
    receiver = Receiver(failures)
    server = Served(receiver)
    box = start_sandbox(tmp_path, callback_url=server.url + "/wecom/callback")
    try:
        Api(box).send_card(BASE_CARD)
        code, body = box.tap("zhangwei", "task-1", "k1")
        assert code == 200
        [row] = box.wait_deliveries(body["deliveries"])
        assert (row["status"], row["attempts"]) == (status, attempts)
        assert len(receiver.bodies) == attempts and len({b for _, b in receiver.bodies}) == 1
        args, posted = receiver.bodies[0]
        crypto = WeChatCrypto(CORP["WECOM_TOKEN"], CORP["WECOM_AES_KEY"], CORP["WECOM_CORP_ID"])
        plain = crypto.decrypt_message(posted, args["msg_signature"], args["timestamp"], args["nonce"])
        assert "<EventKey><![CDATA[k1]]></EventKey>" in plain and "<FromUserName><![CDATA[zhangwei]]>" in plain
    finally:
        box.stop()
        server.stop()


def test_oauth_authorize_checks_the_app(sandbox):
    bad = requests.get(f"{sandbox.url}/connect/oauth2/authorize", params={"appid": "ww-other",
                                                                          "redirect_uri": "http://x/"}, timeout=5)
    assert bad.status_code == 400 and "CorpID" in bad.text


def test_media_upload(api, sandbox):
    res = requests.post(f"{sandbox.url}/cgi-bin/media/upload", params={"access_token": api.token, "type": "file"},
                        files={"media": ("a.txt", b"hello world")}, timeout=5).json()
    assert res["errcode"] == 0 and res["media_id"].startswith("media")
    res = requests.post(f"{sandbox.url}/cgi-bin/media/upload", params={"access_token": api.token, "type": "voice"},
                        files={"media": ("a.amr", b"x" * (2 * 1024 * 1024 + 1))}, timeout=5).json()
    assert res["errcode"] == 40006


def test_the_phone_shows_a_message_at_beijing_time(api, sandbox, monkeypatch):
    """Like WeCom on a phone in China: a message's time on /phone/<userid> is Beijing time, whatever zone the machine
    running the sandbox is in (here forced to UTC), as its schedule and meeting pages already are."""
    import datetime as dt
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        assert api.send_card(BASE_CARD)["errcode"] == 0
        page = requests.get(f"{sandbox.url}/phone/zhangwei", timeout=10).text
    finally:
        monkeypatch.undo()
        time.tzset()
    beijing = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    shown = {(beijing - dt.timedelta(minutes=m)).strftime("%m-%d %H:%M") for m in (0, 1)}
    assert any(at in page for at in shown), shown

"""Template cards (button_interaction): send one, then grey its buttons out; the keys of decision buttons."""
import re

from app.core.converters import parse_int
from app.core.errors import BadRequest
from app.wecom import get_client
from app.wecom.messages import _to_user

TASK_ID_RE = re.compile(r"^[0-9A-Za-z_\-@]{1,128}$")
MAX_HORIZONTAL = 6
# A greyed-out button's text (update_template_card's button.replace_name, a card's replace_text): WeCom shows about
# 10 characters on a button, and the sandbox refuses more.
REPLACE_MAX = 10


def decision_key(kind, application_id, decision):
    """A decision button's key, "<kind>:<application id>:<decision>" (d: the AI result card, r: the second round's)."""
    return f"{kind}:{application_id}:{decision}"


def parse_decision_key(key, kind, decisions):
    """(application id, decision) from a button key of this kind naming one of `decisions`; BadRequest otherwise."""
    parts = str(key or "").split(":")
    try:
        # parse_int, not isdigit/int: '²' and '١٢' pass isdigit, and an id past the database's integer is no id.
        application_id = parse_int(parts[1]) if len(parts) == 3 else None
    except ValueError:
        application_id = None
    if application_id is None or parts[0] != kind or parts[2] not in decisions:
        raise BadRequest(f"无法识别的按钮 Unknown button key {str(key)[:80]!r}", code="bad_button_key")
    return application_id, parts[2]


def button_card(*, task_id, title, desc="", sub_title="", horizontal=(), buttons=(), url=None, source=None):
    """Build a button_interaction template_card; `horizontal` is [(keyname, value)], `buttons` [(text, key, style)]."""
    if not TASK_ID_RE.match(task_id):
        raise ValueError(f"task_id must match [0-9A-Za-z_-@]{{1,128}}: {task_id!r}")
    card = {
        "card_type": "button_interaction",
        "main_title": {"title": title[:36], "desc": desc[:44]},
        "task_id": task_id,
        "button_list": [{"text": text[:10], "style": style, "key": key} for text, key, style in buttons],
    }
    if source:
        card["source"] = {"desc": source[:13]}
    if sub_title:
        card["sub_title_text"] = sub_title[:160]
    if horizontal:
        card["horizontal_content_list"] = [{"keyname": k[:5], "value": str(v)[:26]}
                                           for k, v in list(horizontal)[:MAX_HORIZONTAL]]
    if url:
        card["card_action"] = {"type": 1, "url": url}
    return card


def send_template_card(userids, card, client=None):
    """Send a template card; return WeCom's answer, whose response_code allows one later update."""
    client = client or get_client()
    return client.call("post", "message/send", data={
        "touser": _to_user(userids), "msgtype": "template_card", "agentid": client.agent_id,
        "template_card": card})


def update_card_button(userids, response_code, replace_name, client=None):
    """Grey the card's buttons out, showing `replace_name` (each response_code works once)."""
    return _update(userids, response_code, {"button": {"replace_name": replace_name}}, client)


def greyed_card(card, label, note):
    """The card as sent, its buttons greyed out showing `label` (button_interaction's `replace_text`, at most
    REPLACE_MAX characters like a button's replace_name) and `note` quoted on it (`quote_area`): what does not fit
    in the greyed button, e.g. when the decision was taken."""
    return {**card, "replace_text": label[:REPLACE_MAX], "quote_area": {"type": 0, "quote_text": note}}


def replace_card(userids, response_code, card, note=""):
    """Send a card again in place of the one sent (same task_id), its buttons still live, `note` quoted on it:
    what the card says changed (uses the one response code)."""
    if note:
        card = {**card, "quote_area": {"type": 0, "quote_text": note}}
    return _update(userids, response_code, {"template_card": card}, client=None)


def grey_card(userids, response_code, label, card=None, note=""):
    """Grey a card's buttons out with one response code (each works once): the whole card again with `label` on
    the greyed button and `note` quoted when the card as sent is known, else the button text alone."""
    if card and note:
        return replace_card(userids, response_code, greyed_card(card, label, note))
    return update_card_button(userids, response_code, label[:REPLACE_MAX])


def _update(userids, response_code, change, client):
    client = client or get_client()
    return client.call("post", "message/update_template_card", data={
        "userids": sorted(set(userids)), "agentid": client.agent_id, "response_code": response_code, **change})


"""微信客服 (kf) in the sandbox: a contact link per kf account, a customer's chat page that enters a session with
a `scene_param` and sends files, the `kf_msg_or_event` callback (with its Token), `kf/sync_msg` (cursor paging,
the callback's token required, as the docs recommend), `media/get` and `kf/send_msg` (shown on the chat page)."""
import re
import secrets
import time
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from wecom_sandbox import api
from wecom_sandbox.delivery import to_xml
from wecom_sandbox.store import dumps, loads

SCHEMA = """
CREATE TABLE IF NOT EXISTS kf_msgs (seq INTEGER PRIMARY KEY AUTOINCREMENT, msgid TEXT, open_kfid TEXT,
    external_userid TEXT, origin INTEGER, msgtype TEXT, body TEXT, send_time INTEGER);
CREATE TABLE IF NOT EXISTS kf_sent (id INTEGER PRIMARY KEY AUTOINCREMENT, open_kfid TEXT, touser TEXT, body TEXT,
    created_at REAL);
CREATE TABLE IF NOT EXISTS kf_media (media_id TEXT PRIMARY KEY, filename TEXT, mime TEXT, content BLOB,
    created_at REAL);
CREATE TABLE IF NOT EXISTS kf_tokens (token TEXT PRIMARY KEY, open_kfid TEXT, expires_at REAL);
"""
SCENE = re.compile(r"^[0-9A-Za-z_-]{0,32}$")
TOKEN_TTL = 600
bp = Blueprint("kf", __name__)


def init(store):
    with store.connect() as db:
        db.executescript(SCHEMA)


def store():
    return current_app.extensions["sandbox_store"]


def cfg():
    return current_app.config["SANDBOX"]


# -- the API (on the /cgi-bin blueprint, so tokens and faults apply) -------------------------------------------
@api.bp.post("/kf/add_contact_way")
def add_contact_way():
    body = api._body()
    open_kfid, scene = body.get("open_kfid") or "", body.get("scene") or ""
    if not open_kfid.startswith("wk"):
        raise api.ApiError(95000, "invalid open_kfid")
    if not SCENE.match(scene):
        raise api.ApiError(40058, "scene: at most 32 characters of [0-9a-zA-Z_-]")
    url = f"{request.host_url.rstrip('/')}/kf/chat/{open_kfid}?scene={quote(scene)}"
    return api.ok(url=url)


@api.bp.post("/kf/sync_msg")
def sync_msg():
    body = api._body()
    open_kfid, token = body.get("open_kfid") or "", body.get("token") or ""
    row = store().one("SELECT * FROM kf_tokens WHERE token = ?", token)
    if row is None or row["open_kfid"] != open_kfid or row["expires_at"] < time.time():
        raise api.ApiError(95007, "invalid msg token")
    limit = min(int(body.get("limit") or 1000), 1000)
    cursor = int(body.get("cursor") or 0)
    rows = store().all("SELECT * FROM kf_msgs WHERE open_kfid = ? AND seq > ? AND send_time > ? ORDER BY seq "
                       "LIMIT ?", open_kfid, cursor, int(time.time()) - 3 * 86400, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    msgs = [{"msgid": r["msgid"], "open_kfid": r["open_kfid"], "external_userid": r["external_userid"],
             "send_time": r["send_time"], "origin": r["origin"], "msgtype": r["msgtype"],
             r["msgtype"]: loads(r["body"])} for r in rows]
    next_cursor = str(rows[-1]["seq"]) if rows else str(cursor)
    return api.ok(next_cursor=next_cursor, has_more=int(more), msg_list=msgs)


@api.bp.post("/kf/send_msg")
def send_msg():
    body = api._body()
    if body.get("msgtype") != "text" or not (body.get("text") or {}).get("content"):
        raise api.ApiError(44004, "empty content")
    if len(body["text"]["content"].encode()) > 2048:
        raise api.ApiError(45002, "content size out of limit")
    msgid = "kfsent" + secrets.token_hex(6)
    store().run("INSERT INTO kf_sent (open_kfid, touser, body, created_at) VALUES (?, ?, ?, ?)",
                body.get("open_kfid", ""), body.get("touser", ""), body["text"]["content"], time.time())
    return api.ok(msgid=msgid)


@api.bp.get("/media/get")
def media_get():
    row = store().one("SELECT * FROM kf_media WHERE media_id = ?", request.args.get("media_id", ""))
    if row is None:
        raise api.ApiError(40007, "invalid media_id")
    return Response(row["content"], mimetype=row["mime"],
                    headers={"Content-Disposition": f'attachment; filename="{quote(row["filename"])}"'})


# -- what the customer does (a WeChat user in the kf chat) and a JSON control for tests --------------------------
def customer_sends(open_kfid, external_userid, scene_param=None, file=None):
    """Optionally enter the session with scene_param, optionally send a file; post one kf_msg_or_event callback."""
    now = int(time.time())
    if scene_param is not None:
        if len(scene_param.encode()) > 128:
            raise ValueError("scene_param longer than 128 bytes")
        event = {"event_type": "enter_session", "open_kfid": open_kfid, "external_userid": external_userid,
                 "scene": "jobs", "scene_param": scene_param, "welcome_code": secrets.token_hex(8)}
        _add(open_kfid, external_userid, 4, "event", event, now)
    if file is not None:
        filename, mime, content = file
        media_id = "kfmedia" + secrets.token_urlsafe(16)
        store().run("INSERT INTO kf_media VALUES (?, ?, ?, ?, ?)", media_id, filename, mime, content, time.time())
        kind = "image" if mime.startswith("image/") else "file"
        _add(open_kfid, external_userid, 3, kind, {"media_id": media_id}, now)
    token = "kftoken" + secrets.token_urlsafe(16)
    store().run("INSERT INTO kf_tokens VALUES (?, ?, ?)", token, open_kfid, time.time() + TOKEN_TTL)
    xml = to_xml({"ToUserName": cfg()["corp_id"], "CreateTime": now, "MsgType": "event",
                  "Event": "kf_msg_or_event", "Token": token, "OpenKfId": open_kfid})
    return current_app.extensions["sandbox_events"].deliverer.deliver("kf_msg_or_event", external_userid, xml)


def _add(open_kfid, external_userid, origin, msgtype, body, now):
    store().run("INSERT INTO kf_msgs (msgid, open_kfid, external_userid, origin, msgtype, body, send_time) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", "kfmsg" + secrets.token_hex(8), open_kfid, external_userid, origin,
                msgtype, dumps(body), now)


@bp.post("/sandbox/api/kf/customer")
def api_customer():
    upload = request.files.get("file")
    file = (upload.filename, upload.mimetype or "application/octet-stream", upload.read()) if upload else None
    user = request.form.get("external_userid") or "wmcustomer01"
    ids = customer_sends(request.form["open_kfid"], user, request.form.get("scene_param"), file)
    if request.form.get("back"):   # the chat page's form
        return redirect(url_for("kf.chat", open_kfid=request.form["open_kfid"], customer=user))
    return jsonify({"deliveries": ids})


@bp.get("/sandbox/api/kf/sent/<touser>")
def api_sent(touser):
    return jsonify({"messages": store().all("SELECT * FROM kf_sent WHERE touser = ? ORDER BY id", touser)})


@bp.get("/kf/chat/<open_kfid>")
def chat(open_kfid):
    """Opening the contact link enters the session (WeChat sends enter_session with the link's scene_param)."""
    customer = request.args.get("customer") or "wmcustomer01"
    if "scene_param" in request.args:
        customer_sends(open_kfid, customer, request.args["scene_param"])
    sent = store().all("SELECT * FROM kf_sent WHERE touser = ? ORDER BY id", customer)
    return render_template("kf_chat.html", open_kfid=open_kfid, customer=customer, sent=sent)

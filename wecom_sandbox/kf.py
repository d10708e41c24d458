"""微信客服 (kf) and external-contact message tasks, with the limits WeCom enforces.

- kf/send_msg: a customer may be sent at most KF_MAX messages within KF_WINDOW_S seconds after their last
  message (document/path/94677). The errcodes WeCom answers for the two cases are not in the public docs we could
  read: the sandbox answers 95001 (count used up) and 95002 (window over); the app treats both as "held".
- kf/sync_msg: needs the token of the kf_msg_or_event callback (valid 10 minutes here) and returns the messages
  after `cursor`.
- externalcontact/add_msg_template: a task the sender confirms on their phone; a customer receives at most
  EXT_DAILY_MAX confirmed mass messages a day (WeCom caps what a customer receives; the exact number is not
  verified, so it is a sandbox setting).
- kf/add_contact_way gives the contact link of a kf account; opening it (/kf/chat/<open_kfid>?scene_param=...)
  enters the session (an enter_session event carrying the link's scene_param) and lets the customer send a file,
  read back through media/get.
A customer's side is a page too: /kf/<external_userid> shows the chat as the candidate sees it in WeChat, and
/kf/chat/<open_kfid> is the contact link's chat where a resume can be sent.
"""
import re
import secrets
import time
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from wecom_sandbox import api, delivery, pages
from wecom_sandbox.store import dumps, loads

KF_WINDOW_S = 48 * 3600
KF_MAX = 5
KF_COUNT_EXCEEDED, KF_WINDOW_OVER = 95001, 95002
SYNC_TOKEN_TTL = 600
EXT_DAILY_MAX = 1
OPEN_KFID = "wkSandboxRecruit01"

ORIGIN_CUSTOMER, ORIGIN_EVENT, ORIGIN_API = 3, 4, 5
SCENE = re.compile(r"^[0-9A-Za-z_-]{0,32}$")
SYNC_DAYS = 3  # kf/sync_msg returns the last 3 days
bp = Blueprint("kf", __name__)  # the contact link's chat page and its control API


def store():
    return current_app.extensions["sandbox_store"]


def cfg():
    return current_app.config["SANDBOX"]


def _add(open_kfid, external_userid, origin, msgtype, body, at, msgid=None):
    msgid = msgid or "kfmsg" + secrets.token_urlsafe(12)
    store().run("INSERT INTO kf_messages (msgid, open_kfid, external_userid, origin, msgtype, body, send_time) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", msgid, open_kfid, external_userid, origin, msgtype, dumps(body), at)
    return msgid


def customer_writes(external_userid, content, open_kfid=OPEN_KFID, at=None):
    """A customer writes to the kf account: store it, then post kf_msg_or_event to the app. Returns delivery ids."""
    _add(open_kfid, external_userid, ORIGIN_CUSTOMER, "text", {"content": content}, time.time() if at is None else at)
    return _notify(open_kfid, external_userid)


def customer_sends(open_kfid, external_userid, scene_param=None, file=None):
    """Optionally enter the session with scene_param (the contact link's), optionally send a file; post one
    kf_msg_or_event callback. Returns delivery ids."""
    now = time.time()
    if scene_param is not None:
        if len(scene_param.encode()) > 128:
            raise ValueError("scene_param longer than 128 bytes")
        _add(open_kfid, external_userid, ORIGIN_EVENT, "event",
             {"event_type": "enter_session", "open_kfid": open_kfid, "external_userid": external_userid,
              "scene": "jobs", "scene_param": scene_param, "welcome_code": secrets.token_hex(8)}, now)
    if file is not None:
        filename, mime, content = file
        media_id = "kfmedia" + secrets.token_urlsafe(16)
        store().run("INSERT INTO kf_media VALUES (?, ?, ?, ?, ?)", media_id, filename, mime, content, now)
        _add(open_kfid, external_userid, ORIGIN_CUSTOMER, "image" if mime.startswith("image/") else "file",
             {"media_id": media_id}, now)
    return _notify(open_kfid, external_userid)


def _notify(open_kfid, external_userid):
    token = "kft" + secrets.token_urlsafe(24)
    store().run("INSERT INTO kf_tokens VALUES (?, ?, ?)", token, open_kfid, time.time() + SYNC_TOKEN_TTL)
    xml = delivery.to_xml({"ToUserName": cfg()["corp_id"], "CreateTime": int(time.time()), "MsgType": "event",
                           "Event": "kf_msg_or_event", "Token": token, "OpenKfId": open_kfid})
    return current_app.extensions["sandbox_events"].deliverer.deliver("kf_msg_or_event", external_userid, xml)


def window(open_kfid, external_userid, now=None):
    """(last customer message time or None, messages sent by the API since then)."""
    now = now or time.time()
    last = store().one("SELECT MAX(send_time) AS t FROM kf_messages WHERE open_kfid = ? AND external_userid = ? "
                       "AND origin = ?", open_kfid, external_userid, ORIGIN_CUSTOMER)["t"]
    if last is None:
        return None, 0
    sent = store().one("SELECT COUNT(*) AS n FROM kf_messages WHERE open_kfid = ? AND external_userid = ? "
                       "AND origin = ? AND send_time >= ?", open_kfid, external_userid, ORIGIN_API, last)["n"]
    return last, sent


def _open_kfid(body):
    """The request's open_kfid (a kf account's id starts with wk), or errcode 95000."""
    open_kfid = body.get("open_kfid") or ""
    if not open_kfid.startswith("wk"):
        raise api.ApiError(95000, "invalid open_kfid")
    return open_kfid


@api.bp.post("/kf/send_msg")
def kf_send_msg():
    data = api._body()
    touser, open_kfid = data.get("touser") or "", _open_kfid(data)
    if data.get("msgtype") != "text":
        raise api.ApiError(api.validate.INVALID_PARAM, "the sandbox sends msgtype text only")
    content = (data.get("text") or {}).get("content") or ""
    if not content:
        raise api.ApiError(44004)
    if len(content.encode()) > 2048:
        raise api.ApiError(api.validate.INVALID_PARAM, "text.content exceeds 2048 bytes")
    with store().lock:
        last, sent = window(open_kfid, touser)
        if last is None or time.time() - last > KF_WINDOW_S:
            raise api.ApiError(KF_WINDOW_OVER, "the customer has not written within 48 hours")
        if sent >= KF_MAX:
            raise api.ApiError(KF_COUNT_EXCEEDED, f"at most {KF_MAX} messages within 48 hours of the customer's "
                                                  "last message")
        msgid = _add(open_kfid, touser, ORIGIN_API, "text", {"content": content}, time.time(),
                     msgid=data.get("msgid") or "kfsend" + secrets.token_urlsafe(12))
    return api.ok(msgid=msgid)


@api.bp.post("/kf/sync_msg")
def kf_sync_msg():
    data = api._body()
    row = store().one("SELECT * FROM kf_tokens WHERE token = ?", data.get("token") or "")
    open_kfid = data.get("open_kfid") or (row["open_kfid"] if row else "")
    if row is None or row["expires_at"] < time.time() or row["open_kfid"] != open_kfid:
        raise api.ApiError(95007, "invalid msg token")
    cursor = int(data.get("cursor") or 0)
    limit = min(max(int(data.get("limit") or 1000), 1), 1000)
    rows = store().all("SELECT * FROM kf_messages WHERE seq > ? AND open_kfid = ? AND send_time > ? ORDER BY seq "
                       "LIMIT ?", cursor, open_kfid, time.time() - SYNC_DAYS * 86400, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    msg_list = [{"msgid": r["msgid"], "open_kfid": r["open_kfid"], "external_userid": r["external_userid"],
                 "send_time": int(r["send_time"]), "origin": r["origin"], "msgtype": r["msgtype"],
                 r["msgtype"]: loads(r["body"], {})} for r in rows]
    return api.ok(next_cursor=str(rows[-1]["seq"] if rows else cursor), has_more=int(more), msg_list=msg_list)


def confirm_ext_task(msgid, userid):
    """The member confirms a message task on their phone: each customer receives it unless over the daily cap.
    Returns {external_userid: "sent" | "refused"}."""
    task = store().one("SELECT * FROM ext_tasks WHERE msgid = ?", msgid)
    if task is None or task["sender"] != userid:
        return None
    body = loads(task["body"], {})
    result = {}
    with store().lock:
        if store().one("SELECT 1 FROM ext_received WHERE msgid = ?", msgid):
            return {"already": "sent"}
        for external in body.get("external_userid") or []:
            today = store().one("SELECT COUNT(*) AS n FROM ext_received WHERE external_userid = ? AND created_at > ?",
                                external, time.time() - 24 * 3600)["n"]
            if today >= EXT_DAILY_MAX:
                result[external] = "refused"
                continue
            store().run("INSERT INTO ext_received (msgid, sender, external_userid, created_at) VALUES (?, ?, ?, ?)",
                        msgid, userid, external, time.time())
            result[external] = "sent"
    return result


# -- the customer's side and the control API -------------------------------------------------------------
def customer_chat(external_userid):
    """What the candidate sees in WeChat: kf messages both ways, and confirmed external-contact messages."""
    kf = [{"at": r["send_time"], "from": "me" if r["origin"] == ORIGIN_CUSTOMER else "kf",
           "text": loads(r["body"], {}).get("content", "")}
          for r in store().all("SELECT * FROM kf_messages WHERE external_userid = ? ORDER BY seq", external_userid)]
    ext = [{"at": r["created_at"], "from": r["sender"],
            "text": (loads(r["body"], {}).get("text") or {}).get("content", "")}
           for r in store().all("SELECT e.created_at, e.sender, t.body FROM ext_received e JOIN ext_tasks t "
                                "ON t.msgid = e.msgid WHERE e.external_userid = ?", external_userid)]
    return sorted(kf + ext, key=lambda m: m["at"])


@pages.bp.get("/kf/<external_userid>")
def kf_customer(external_userid):
    return render_template("sandbox/kf.html", external_userid=external_userid, open_kfid=OPEN_KFID,
                           messages=customer_chat(external_userid))

@pages.bp.post("/kf/<external_userid>")
def kf_customer_write(external_userid):
    content = (request.form.get("content") or "").strip()
    if content:
        customer_writes(external_userid, content)
    return redirect(url_for("pages.kf_customer", external_userid=external_userid))

@pages.bp.post("/sandbox/api/kf/customer-message")
def api_kf_customer_message():
    data = request.get_json(force=True)
    ids = customer_writes(data["external_userid"], data["content"], data.get("open_kfid", OPEN_KFID),
                          at=time.time() - float(data.get("hours_ago", 0)) * 3600)
    return jsonify(deliveries=ids)

@pages.bp.get("/sandbox/api/kf/<external_userid>")
def api_kf_chat(external_userid):
    last, sent = window(OPEN_KFID, external_userid)
    return jsonify(messages=customer_chat(external_userid), last_customer_message=last, sent_since=sent)

@pages.bp.post("/phone/<userid>/ext-tasks/<msgid>")
def phone_confirm_task(userid, msgid):
    confirm_ext_task(msgid, userid)
    return redirect(url_for("pages.phone", userid=userid))

@pages.bp.post("/sandbox/api/ext-tasks/<msgid>/confirm")
def api_confirm_task(msgid):
    result = confirm_ext_task(msgid, request.get_json(force=True).get("userid", ""))
    return (jsonify(result=result), 200) if result is not None else (jsonify(error="no such task"), 404)



@api.bp.post("/kf/add_contact_way")
def add_contact_way():
    body = api._body()
    open_kfid, scene = _open_kfid(body), body.get("scene") or ""
    if not SCENE.match(scene):
        raise api.ApiError(40058, "scene: at most 32 characters of [0-9a-zA-Z_-]")
    return api.ok(url=f"{request.host_url.rstrip('/')}/kf/chat/{open_kfid}?scene={quote(scene)}")


@api.bp.get("/media/get")
def media_get():
    row = store().one("SELECT * FROM kf_media WHERE media_id = ?", request.args.get("media_id", ""))
    if row is None:
        raise api.ApiError(40007, "invalid media_id")
    return Response(row["content"], mimetype=row["mime"],
                    headers={"Content-Disposition": f'attachment; filename="{quote(row["filename"])}"'})


def _sent_to(touser):
    """What the kf account sent a customer (kf/send_msg), oldest first: [{"touser", "body", "created_at"}]."""
    return [{"touser": r["external_userid"], "body": loads(r["body"], {}).get("content", ""),
             "created_at": r["send_time"]}
            for r in store().all("SELECT * FROM kf_messages WHERE external_userid = ? AND origin = ? ORDER BY seq",
                                 touser, ORIGIN_API)]


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
    return jsonify({"messages": _sent_to(touser)})


@bp.get("/kf/chat/<open_kfid>")
def chat(open_kfid):
    """Opening the contact link enters the session (WeChat sends enter_session with the link's scene_param)."""
    customer = request.args.get("customer") or "wmcustomer01"
    if "scene_param" in request.args:
        customer_sends(open_kfid, customer, request.args["scene_param"])
    return render_template("kf_chat.html", open_kfid=open_kfid, customer=customer, sent=_sent_to(customer))

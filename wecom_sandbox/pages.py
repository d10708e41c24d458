"""Sandbox pages (phone, OAuth authorize, console, request log) and a JSON control API for tests."""
import re
import time
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from wecom_sandbox.calendar import cn_time, for_user
from wecom_sandbox.events import ActionRefused
from wecom_sandbox.store import loads

bp = Blueprint("pages", __name__)

FAULT_KINDS = {"42001", "45009", "-1", "40014", "slow"}


def store():
    return current_app.extensions["sandbox_store"]


def events():
    return current_app.extensions["sandbox_events"]


def cfg():
    return current_app.config["SANDBOX"]


def render_markdown(text):
    """The subset of markdown WeCom renders in app messages: bold, quotes, links, line breaks."""
    lines = []
    for line in str(escape(text)).split("\n"):
        quote = line.startswith("&gt; ")
        line = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", line[5:] if quote else line)
        line = re.sub(r"\[([^\]]+)\]\((https?://[^)\s]+)\)", r'<a href="\2">\1</a>', line)
        lines.append(f'<span class="quote">{line}</span>' if quote else line)
    return Markup("<br>".join(lines))


@bp.app_template_filter("markdown")
def _markdown_filter(text):
    return render_markdown(text)


@bp.get("/")
def console():
    return render_template("sandbox/console.html", users=store().all("SELECT * FROM users ORDER BY role, userid"),
                           faults=store().all("SELECT * FROM faults ORDER BY id"), cfg=cfg(),
                           sms_phones=[r["phone"] for r in store().all(
                               "SELECT phone, MAX(created_at) AS at FROM sms_messages GROUP BY phone ORDER BY at DESC "
                               "LIMIT 20")],
                           deliveries=store().all("SELECT * FROM deliveries ORDER BY id DESC LIMIT 20"))


@bp.get("/phone/<userid>")
def phone(userid):
    user = store().user(userid) or abort(404)
    rows = store().all("SELECT * FROM messages WHERE userid = ? ORDER BY id DESC LIMIT 50", userid)
    messages = []
    for row in rows:
        item = {"id": row["id"], "msgtype": row["msgtype"], "at": cn_time(row["created_at"]),   # as on a phone in China
                "body": loads(row["body"], {})}
        if row["task_id"]:
            state = events().card_for(userid, row["task_id"])
            item.update(card=state["card"], replace_name=state["replace_name"], task_id=row["task_id"])
        messages.append(item)
    pending = [events().approval(r["sp_no"]) for r in store().all(
        "SELECT sp_no FROM approvals WHERE status = 1 ORDER BY created_at DESC")]
    pending = [a for a in pending if userid in a["approvers"]]
    tasks = [dict(r, body=loads(r["body"], {}), sent=bool(store().one(
        "SELECT 1 FROM ext_received WHERE msgid = ?", r["msgid"]))) for r in store().all(
        "SELECT * FROM ext_tasks WHERE sender = ? ORDER BY created_at DESC LIMIT 10", userid)]
    return render_template("sandbox/phone.html", user=user, messages=messages, approvals=pending, tasks=tasks,
                           calendar=for_user(userid), time=time)


@bp.post("/phone/<userid>/tap")
def phone_tap(userid):
    try:
        events().tap(userid, request.form.get("task_id", ""), request.form.get("key", ""))
        flash("已提交,正在回调应用 Sent to the app")
    except ActionRefused as exc:
        flash(str(exc))
    return redirect(url_for("pages.phone", userid=userid))


@bp.post("/phone/<userid>/approvals/<sp_no>")
def phone_approval(userid, sp_no):
    try:
        events().decide_approval(sp_no, userid, request.form.get("action") == "approve",
                                 request.form.get("speech", ""))
        flash("审批已提交 Approval sent")
    except ActionRefused as exc:
        flash(str(exc))
    return redirect(url_for("pages.phone", userid=userid))


@bp.get("/connect/oauth2/authorize")
def authorize():
    args = request.args
    error = None
    if args.get("appid") != cfg()["corp_id"]:
        error = "appid 与企业 CorpID 不一致 appid does not match the corp"
    elif not args.get("redirect_uri", "").startswith(("http://", "https://")):
        error = "redirect_uri 无效 invalid redirect_uri"
    elif args.get("agentid") and str(args.get("agentid")) != str(cfg()["agent_id"]):
        error = "agentid 无效 invalid agentid"
    users = store().all("SELECT * FROM users ORDER BY role, userid")
    return render_template("sandbox/authorize.html", users=users, error=error, args=args), (400 if error else 200)


@bp.post("/connect/oauth2/authorize")
def authorize_pick():
    userid = request.form.get("userid", "")
    redirect_uri = request.form.get("redirect_uri", "")
    if not store().user(userid) or not redirect_uri.startswith(("http://", "https://")):
        abort(400)
    code = store().new_code("oauth", userid, ttl=300)
    sep = "&" if "?" in redirect_uri else "?"
    return redirect(redirect_uri + sep + urlencode({"code": code, "state": request.form.get("state", "")}))


@bp.get("/log")
def request_log():
    rows = store().all("SELECT * FROM requests ORDER BY id DESC LIMIT 200")
    return render_template("sandbox/log.html", rows=rows,
                           deliveries=store().all("SELECT * FROM deliveries ORDER BY id DESC LIMIT 50"))


@bp.post("/faults")
def faults_form():
    _arm(request.form)
    return redirect(url_for("pages.console"))


@bp.post("/faults/clear")
def faults_clear():
    store().run("DELETE FROM faults")
    return redirect(url_for("pages.console"))


def _arm(data):
    kind = str(data.get("kind", ""))
    if kind not in FAULT_KINDS:
        abort(400)
    count = int(data.get("count") or 1)
    store().run("INSERT INTO faults (kind, endpoint, remaining, delay, created_at) VALUES (?, ?, ?, ?, ?)", kind,
                data.get("endpoint") or "*", count, float(data.get("delay") or 0), time.time())


# -- control API for tests and scripts ------------------------------------------------------------
@bp.post("/sandbox/api/faults")
def api_faults():
    _arm(request.get_json(force=True))
    return jsonify(faults=store().all("SELECT * FROM faults"))


@bp.delete("/sandbox/api/faults")
def api_faults_clear():
    store().run("DELETE FROM faults")
    return jsonify(ok=True)


@bp.post("/sandbox/api/expire-tokens")
def api_expire_tokens():
    store().run("UPDATE tokens SET expires_at = ? WHERE kind = 'access'", time.time() - 1)
    return jsonify(ok=True)


@bp.post("/sandbox/api/tap")
def api_tap():
    data = request.get_json(force=True)
    try:
        ids = events().tap(data["userid"], data["task_id"], data["key"], copies=int(data.get("copies", 1)))
    except ActionRefused as exc:
        return jsonify(error=str(exc)), 409
    return jsonify(deliveries=ids)


@bp.post("/sandbox/api/approvals/<sp_no>")
def api_approval(sp_no):
    data = request.get_json(force=True)
    try:
        ids = events().decide_approval(sp_no, data["userid"], data.get("action") == "approve")
    except ActionRefused as exc:
        return jsonify(error=str(exc)), 409
    return jsonify(deliveries=ids, approval=events().approval(sp_no))


@bp.post("/sandbox/api/approvals/<sp_no>/revoke")
def api_revoke_approval(sp_no):
    """The applicant revokes the approval (after it passed: 通过后撤销, SpStatus 6)."""
    data = request.get_json(force=True)
    try:
        ids = events().revoke_approval(sp_no, data["userid"])
    except ActionRefused as exc:
        return jsonify(error=str(exc)), 409
    return jsonify(deliveries=ids, approval=events().approval(sp_no))


@bp.get("/sandbox/api/deliveries")
def api_deliveries():
    ids = [int(i) for i in request.args.get("ids", "").split(",") if i]
    rows = store().all("SELECT * FROM deliveries ORDER BY id") if not ids else [
        store().one("SELECT * FROM deliveries WHERE id = ?", i) for i in ids]
    return jsonify(deliveries=rows)


@bp.get("/sandbox/api/requests")
def api_requests():
    path = request.args.get("path", "")
    rows = store().all("SELECT id, method, path, status, errcode, ms FROM requests WHERE path LIKE ? ORDER BY id",
                       f"%{path}%")
    return jsonify(requests=rows)


@bp.get("/sandbox/api/cards/<task_id>")
def api_card(task_id):
    state = events().card_for(request.args.get("userid", ""), task_id)
    return (jsonify(state), 200) if state else (jsonify(error="no such card"), 404)


@bp.get("/sandbox/api/messages/<userid>")
def api_messages(userid):
    rows = store().all("SELECT * FROM messages WHERE userid = ? ORDER BY id", userid)
    return jsonify(messages=[dict(r, body=loads(r["body"])) for r in rows])


@bp.post("/sandbox/api/jscode")
def api_jscode():
    userid = request.get_json(force=True).get("userid", "")
    if not store().user(userid):
        abort(404)
    return jsonify(js_code=store().new_code("jscode", userid, ttl=300))

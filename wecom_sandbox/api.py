"""The WeCom API subset under /cgi-bin/, answering WeCom's errcodes."""
import datetime as dt
import json
import secrets
import time

from flask import Blueprint, current_app, g, jsonify, request

from wecom_sandbox import validate
from wecom_sandbox.store import dumps, loads

bp = Blueprint("api", __name__, url_prefix="/cgi-bin")

RESPONSE_CODE_TTL = 72 * 3600
ERRMSG = {-1: "system busy", 40001: "invalid credential", 40013: "invalid corpid", 40014: "invalid access_token",
          40029: "invalid code", 40056: "invalid agentid", 41001: "access_token missing", 42001:
          "access_token expired", 45009: "reach max api daily quota limit", 81013: "user & party & tag all invalid",
          44004: "empty content", 301025: "invalid approval process"}


class ApiError(Exception):
    def __init__(self, errcode, errmsg=None):
        super().__init__(errmsg)
        self.errcode, self.errmsg = errcode, errmsg or ERRMSG.get(errcode, "error")


def store():
    return current_app.extensions["sandbox_store"]


def cfg():
    return current_app.config["SANDBOX"]


CONTACTS = 0   # the agent id stored for a token of the contacts secret


def ok(**fields):
    return {"errcode": 0, "errmsg": "ok", **fields}


@bp.before_request
def _start():
    g.started = time.time()
    endpoint = request.path[len("/cgi-bin/"):]
    g.endpoint = endpoint
    fault = store().take_fault(endpoint)
    if fault:
        if fault["kind"] == "slow":
            time.sleep(fault["delay"])
        else:
            return jsonify({"errcode": int(fault["kind"]), "errmsg": ERRMSG.get(int(fault["kind"]), "fault")})
    if endpoint != "gettoken":
        _check_token()


@bp.after_request
def _log(response):
    try:
        answer = response.get_json(silent=True) or {}
    except Exception:  # noqa: BLE001 - logging must not break the answer
        answer = {}
    query = {k: (v[:6] + "…" if k in ("access_token", "corpsecret") else v) for k, v in request.args.items()}
    body = request.get_data(as_text=True)[:4000] if not request.files else "(multipart)"
    store().run("INSERT INTO requests (method, path, query, body, status, errcode, answer, ms, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", request.method, request.path, dumps(query), body,
                response.status_code, answer.get("errcode"), dumps(answer)[:2000],
                round((time.time() - g.get("started", time.time())) * 1000, 1), time.time())
    return response


@bp.errorhandler(ApiError)
def _api_error(exc):
    return jsonify({"errcode": exc.errcode, "errmsg": exc.errmsg})


@bp.errorhandler(validate.Invalid)
def _invalid(exc):
    return jsonify({"errcode": exc.errcode, "errmsg": exc.errmsg})


def _check_token():
    token = request.args.get("access_token")
    if not token:
        raise ApiError(41001)
    row = store().one("SELECT * FROM tokens WHERE token = ? AND kind = 'access'", token)
    if row is None:
        raise ApiError(40014)
    if row["expires_at"] < time.time():
        raise ApiError(42001)
    g.token_agent = row["agent_id"]


def require_contacts_token():
    """Directory writes need a token of the contacts secret (通讯录同步), as in WeCom since its 2022 change; the
    app's own token gets 48009 here (the exact errcode WeCom answers is not verified)."""
    if g.get("token_agent") != CONTACTS:
        raise ApiError(48009, "api forbidden: user/create needs the contacts (通讯录同步) secret's token")


def _body():
    try:
        data = json.loads(request.get_data(as_text=True) or "{}")
    except ValueError as exc:
        raise ApiError(47001, "data format error") from exc
    if not isinstance(data, dict):
        raise ApiError(47001, "data format error")
    return data


def _agent(data):
    if str(data.get("agentid")) != str(cfg()["agent_id"]):
        raise ApiError(40056)
    return int(cfg()["agent_id"])


@bp.get("/gettoken")
def gettoken():
    if request.args.get("corpid") != cfg()["corp_id"]:
        raise ApiError(40013)
    secret = request.args.get("corpsecret")
    if secret not in (cfg()["secret"], cfg()["contact_secret"]):
        raise ApiError(40001)
    token = secrets.token_urlsafe(48)
    ttl = cfg()["token_ttl"]
    agent = cfg()["agent_id"] if secret == cfg()["secret"] else CONTACTS   # a contacts token belongs to no app
    store().run("INSERT INTO tokens VALUES (?, 'access', ?, ?)", token, agent, time.time() + ttl)
    return ok(access_token=token, expires_in=ttl)


@bp.post("/message/send")
def message_send():
    data = _body()
    agent_id = _agent(data)
    users = [u for u in str(data.get("touser") or "").split("|") if u]
    known = [u for u in users if store().user(u)]
    invalid = [u for u in users if u not in known]
    msgtype = data.get("msgtype")
    if msgtype in ("text", "markdown"):
        content = (data.get(msgtype) or {}).get("content")
        if not content:
            raise ApiError(44004)
        if len(content.encode()) > 2048:
            raise ApiError(validate.INVALID_PARAM, "content exceeds 2048 bytes")
        payload, task_id = {"content": content}, None
    elif msgtype == "template_card":
        payload = data.get("template_card")
        task_id = validate.template_card(payload)
    else:
        raise ApiError(40008, "invalid message type")
    if not known:
        raise ApiError(81013)
    msgid = secrets.token_urlsafe(16)
    answer = {"invaliduser": "|".join(invalid), "msgid": msgid}
    with store().lock:
        if task_id:
            if store().one("SELECT 1 FROM cards WHERE agent_id = ? AND task_id = ?", agent_id, task_id):
                raise ApiError(validate.INVALID_PARAM, f"task_id {task_id} already exists")
            store().run("INSERT INTO cards VALUES (?, ?, ?, ?, ?)", task_id, agent_id, dumps(payload),
                        dumps(known), time.time())
            answer["response_code"] = store().new_response_code(task_id, agent_id)
        for userid in known:
            store().run("INSERT INTO messages (msgid, userid, agent_id, msgtype, body, task_id, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", msgid, userid, agent_id, msgtype, dumps(payload), task_id,
                        time.time())
    return ok(**answer)


@bp.post("/message/update_template_card")
def update_template_card():
    data = _body()
    agent_id = _agent(data)
    code = data.get("response_code") or ""
    button, card = data.get("button"), data.get("template_card")
    if bool(button) == bool(card):
        raise ApiError(validate.INVALID_PARAM, "give either button or template_card")
    if button is not None:
        replace = button.get("replace_name")
        if not replace or len(replace) > 10:
            raise ApiError(validate.INVALID_PARAM, "button.replace_name needs 1 to 10 characters")
    else:
        validate.template_card(card)
    with store().lock:
        row = store().one("SELECT * FROM response_codes WHERE code = ? AND agent_id = ?", code, agent_id)
        if row is None:
            raise ApiError(validate.INVALID_PARAM, "invalid response_code")
        if row["used_at"]:
            raise ApiError(validate.INVALID_PARAM, "response_code has been used")
        if row["created_at"] + RESPONSE_CODE_TTL < time.time():
            raise ApiError(validate.INVALID_PARAM, "response_code expired")
        sent = store().one("SELECT * FROM cards WHERE agent_id = ? AND task_id = ?", agent_id, row["task_id"])
        recipients = loads(sent["userids"], [])
        targets = [u for u in (data.get("userids") or recipients) if u in recipients]
        store().run("UPDATE response_codes SET used_at = ? WHERE code = ?", time.time(), code)
        for userid in targets:
            store().run("INSERT OR REPLACE INTO card_views VALUES (?, ?, ?, ?, ?, ?)", row["task_id"], agent_id,
                        userid, button.get("replace_name") if button else None, dumps(card) if card else None,
                        time.time())
    invalid = [u for u in (data.get("userids") or []) if u not in targets]
    return ok(invaliduser=invalid)


@bp.post("/oa/applyevent")
def applyevent():
    data = _body()
    creator = data.get("creator_userid")
    if not store().user(creator or ""):
        raise ApiError(301025, "invalid creator_userid")
    if not data.get("template_id"):
        raise ApiError(301025, "template_id is required")
    if data.get("use_template_approver") not in (0, 1):
        raise ApiError(301025, "use_template_approver must be 0 or 1")
    known = {u["userid"] for u in store().all("SELECT userid FROM users")}
    approvers, cc = validate.node_list(data.get("process"), known) if data["use_template_approver"] == 0 \
        else (["hr_lina"], [])
    contents = (data.get("apply_data") or {}).get("contents")
    if not isinstance(contents, list) or not contents:
        raise ApiError(301025, "apply_data.contents is required")
    with store().lock:
        today = dt.date.today().strftime("%Y%m%d")
        count = len(store().all("SELECT sp_no FROM approvals WHERE sp_no LIKE ?", today + "%"))
        sp_no = f"{today}{count + 1:04d}"
        store().run("INSERT INTO approvals VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)", sp_no, data["template_id"],
                    creator, dumps(approvers), dumps(cc), dumps(data.get("apply_data")),
                    dumps(data.get("summary_list") or []),
                    dumps([{"userid": u, "status": 1} for u in approvers]), time.time())
    current_app.extensions["sandbox_events"].approval_changed(sp_no, change_event=1)
    return ok(sp_no=sp_no)


@bp.post("/oa/getapprovaldetail")
def getapprovaldetail():
    row = store().one("SELECT * FROM approvals WHERE sp_no = ?", str(_body().get("sp_no") or ""))
    if row is None:
        raise ApiError(301025, "sp_no not found")
    records = loads(row["records"], [])
    return ok(info={
        "sp_no": row["sp_no"], "sp_name": "录用审批", "sp_status": row["status"], "template_id": row["template_id"],
        "apply_time": int(row["created_at"]), "applyer": {"userid": row["creator"], "partyid": "1"},
        "sp_record": [{"sp_status": r["status"], "approverattr": 2, "details": [
            {"approver": {"userid": r["userid"]}, "speech": r.get("speech", ""), "sp_status": r["status"],
             "sptime": r.get("time", 0), "media_id": []}]} for r in records],
        "notifyer": [{"userid": u} for u in loads(row["cc"], [])], "apply_data": loads(row["apply_data"], {}),
        "comments": []})


@bp.get("/auth/getuserinfo")
def getuserinfo():
    userid = store().use_code("oauth", request.args.get("code"))
    if userid is None:
        raise ApiError(40029)
    return ok(userid=userid, user_ticket=secrets.token_urlsafe(24), expires_in=1800)


@bp.get("/user/get")
def user_get():
    user = store().user(request.args.get("userid") or "")
    if user is None:
        raise ApiError(60111, "userid not found")
    return ok(userid=user["userid"], name=user["name"], status=1)


@bp.get("/user/simplelist")
def user_simplelist():
    """The members of a department (document/path/90200). The sandbox has one department, 1, holding everyone."""
    department = request.args.get("department_id") or ""
    if not department.isdigit():
        raise ApiError(validate.INVALID_PARAM, "department_id is required")
    if department != "1":
        raise ApiError(60123, "invalid party id")
    users = store().all("SELECT userid, name FROM users ORDER BY userid")
    return ok(userlist=[{"userid": u["userid"], "name": u["name"], "department": [1]} for u in users])


@bp.get("/get_jsapi_ticket")
def get_jsapi_ticket():
    return ok(ticket=_ticket("corp"), expires_in=7200)


@bp.get("/ticket/get")
def ticket_get():
    if request.args.get("type") != "agent_config":
        raise ApiError(validate.INVALID_PARAM, "type must be agent_config")
    return ok(ticket=_ticket("agent"), expires_in=7200)


def _ticket(kind):
    ticket = f"sandbox-{kind}-" + secrets.token_urlsafe(24)
    store().run("INSERT INTO tokens VALUES (?, ?, ?, ?)", ticket, kind, cfg()["agent_id"], time.time() + 7200)
    return ticket


@bp.get("/miniprogram/jscode2session")
def jscode2session():
    if request.args.get("grant_type") != "authorization_code":
        raise ApiError(validate.INVALID_PARAM, "grant_type must be authorization_code")
    userid = store().use_code("jscode", request.args.get("js_code"))
    if userid is None:
        raise ApiError(40029)
    return ok(corpid=cfg()["corp_id"], userid=userid, session_key=secrets.token_urlsafe(16))


@bp.post("/externalcontact/add_msg_template")
def add_msg_template():
    data = _body()
    if not store().user(data.get("sender") or ""):
        raise ApiError(validate.INVALID_PARAM, "invalid sender")
    external = data.get("external_userid") or []
    if data.get("chat_type", "single") == "single" and not external:
        raise ApiError(validate.INVALID_PARAM, "external_userid is required")
    if not (data.get("text") or {}).get("content") and not data.get("attachments"):
        raise ApiError(44004)
    msgid = "msg" + secrets.token_urlsafe(12)
    store().run("INSERT INTO ext_tasks VALUES (?, ?, ?, ?)", msgid, data["sender"], dumps(data), time.time())
    return ok(fail_list=[], msgid=msgid)


MEDIA_LIMITS = {"image": 10 * 1024 * 1024, "voice": 2 * 1024 * 1024, "video": 10 * 1024 * 1024,
                "file": 20 * 1024 * 1024}


@bp.post("/media/upload")
def media_upload():
    kind = request.args.get("type")
    if kind not in MEDIA_LIMITS:
        raise ApiError(40004, "invalid media type")
    upload = request.files.get("media")
    if upload is None:
        raise ApiError(41005, "media data missing")
    size = len(upload.read())
    if size < 5 or size > MEDIA_LIMITS[kind]:
        raise ApiError(40006, "invalid file size")
    media_id = "media" + secrets.token_urlsafe(20)
    store().run("INSERT INTO media VALUES (?, ?, ?, ?, ?)", media_id, kind, upload.filename, size, time.time())
    return ok(type=kind, media_id=media_id, created_at=str(int(time.time())))

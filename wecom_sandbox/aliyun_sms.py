"""Aliyun SMS (Dysmsapi 2017-05-25) as the app uses it: SendSms and QuerySendDetails under /aliyun-sms/.

An RPC call (GET query or POST form) signed with HMAC-SHA1 (signature version 1.0), checked here with the sandbox's
own code: an unknown AccessKeyId, a wrong signature, an old Timestamp or a reused SignatureNonce is refused with
Aliyun's codes and HTTP status. SendSms checks the approved signature and TemplateCodes (sms_templates.ALIYUN_CODES),
the named TemplateParam (JSON, string values, exactly the template's ${name} variables), no URL in a value, and
Aliyun's default per-number limits (发送流控, help.aliyun.com/document_detail/2881383.html): codes 1 a minute, 5 an
hour, 10 in 24 h per signature; notices `aliyun_notices_per_day` (50) in 24 h per template; over a limit it answers
isv.BUSINESS_LIMIT_CONTROL "触发分钟级流控Permits:1" and so on. An accepted SMS lands in the same sms_messages as
Tencent's, so the phone page /sms/<phone> shows it. Numbers ending in 0000 fail on delivery (ErrCode MK:0001), numbers
ending in 9999 never get a receipt (SendStatus 1). A reply typed on the phone page to a number whose last SMS came
from Aliyun is pushed to the app as Aliyun's 上行短信 HTTP push does (SmsUp: a JSON array POSTed to
{sms_link_base}/sms/aliyun/replies/<aliyun_up_token>; anything but a 200 with a numeric "code" is pushed again,
three times at most, retry_delay apart instead of Aliyun's 1, 5 and 10 minutes); /aliyun-sms/sandbox/pushes/<phone>
lists them.
"""
import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import uuid
from urllib.parse import quote

import requests
from flask import Blueprint, current_app, jsonify, request

from wecom_sandbox.sms import CHINA, FAILING_SUFFIX, PHONE, URL, _log, cfg, e164, render, store
from wecom_sandbox.sms_templates import ALIYUN_CODES, APPROVED, CODE, NAMES

SCHEMA = """
CREATE TABLE IF NOT EXISTS aliyun_nonces (nonce TEXT PRIMARY KEY, created_at REAL);
CREATE TABLE IF NOT EXISTS aliyun_pushes (id INTEGER PRIMARY KEY AUTOINCREMENT, phone TEXT, body TEXT, status TEXT,
    attempts INTEGER DEFAULT 0, last_status INTEGER, created_at REAL);
"""
PUSH_RETRIES = 3
log = logging.getLogger(__name__)
VERSION = "2017-05-25"
MAX_SKEW_S = 15 * 60
WAITING_SUFFIX = "9999"
CODE_LIMITS = ((60, 1, "分钟级"), (3600, 5, "小时级"), (86400, 10, "天级"))
COMMON = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp",
          "Version", "Signature")

bp = Blueprint("aliyun_sms", __name__)


class Refused(Exception):
    def __init__(self, code, message, status=200):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def ensure_schema(store_):
    with store_.connect() as db:
        db.executescript(SCHEMA)


def _encode(value):
    return quote(str(value), safe="-_.~")


def string_to_sign(method, params):
    query = "&".join(f"{_encode(k)}={_encode(params[k])}" for k in sorted(params) if k != "Signature")
    return f"{method}&%2F&{_encode(query)}"


def verify(method, params, key_id, secret, now=None):
    """Check an RPC request's common parameters and signature the way Aliyun does; raise Refused."""
    missing = [name for name in COMMON if name != "Format" and not params.get(name)]
    if missing:
        raise Refused(f"MissingParameter.{missing[0]}", f"The input parameter {missing[0]} is not valid.", 400)
    if params["AccessKeyId"] != key_id:
        raise Refused("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404)
    if (params["SignatureMethod"], params["SignatureVersion"]) != ("HMAC-SHA1", "1.0"):
        raise Refused("InvalidSignatureMethod", "Specified signature method is not supported.", 400)
    try:
        sent = dt.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC).timestamp()
    except ValueError:
        raise Refused("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.",
                      400) from None
    if abs((now or time.time()) - sent) > MAX_SKEW_S:
        raise Refused("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.", 400)
    expected = base64.b64encode(hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(),
                                         hashlib.sha1).digest()).decode()
    if not hmac.compare_digest(expected, params["Signature"]):
        raise Refused("SignatureDoesNotMatch", "Specified signature is not matched with our calculation. "
                      f"server string to sign is:{string_to_sign(method, params)}", 400)
    with store().lock:
        if store().one("SELECT 1 FROM aliyun_nonces WHERE nonce = ?", params["SignatureNonce"]):
            raise Refused("SignatureNonceUsed", "Specified signature nonce was used already.", 400)
        store().run("INSERT INTO aliyun_nonces VALUES (?, ?)", params["SignatureNonce"], time.time())


@bp.route("/", methods=["GET", "POST"])
def api():
    params = {k: v for k, v in request.values.items()}
    action = params.get("Action", "")
    status = 200
    try:
        verify(request.method, params, cfg()["aliyun_key_id"], cfg()["aliyun_key_secret"])
        if params["Version"] != VERSION:
            raise Refused("InvalidVersion", "Specified parameter Version is not valid.", 400)
        planned = current_app.extensions.setdefault("aliyun_next_answers", [])
        if planned:  # an answer a test asked for (a balance, quota or outage the sandbox cannot reach by itself)
            fault = planned.pop(0)
            raise Refused(fault["code"], fault.get("message", fault["code"]), int(fault.get("status", 200)))
        handler = ACTIONS.get(action)
        if handler is None:
            raise Refused("InvalidAction.NotFound", "Specified api is not found, please check your url and method.",
                          404)
        answer = {"Code": "OK", "Message": "OK", **handler(params)}
    except Refused as exc:
        status, answer = exc.status, {"Code": exc.code, "Message": exc.message}
        if status != 200:
            answer.update(HostId="dysmsapi.aliyuncs.com", Recommend="https://api.aliyun.com/troubleshoot")
    answer["RequestId"] = str(uuid.uuid4()).upper()
    body = "&".join(f"{k}={v}" for k, v in params.items() if k != "Signature")
    _log(f"aliyun/{action}", body, answer)
    return jsonify(answer), status


def _number(raw):
    """+86 / 0086 / 86 / no prefix -> E.164, or None when it is not a mainland mobile number."""
    digits = str(raw).strip()
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix):]
    phone = "+86" + digits
    return phone if PHONE.match(phone) else None


def send_sms(params):
    phones = [_number(p) for p in params.get("PhoneNumbers", "").split(",") if p.strip()]
    if not phones or None in phones:
        raise Refused("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
    if params.get("SignName") != cfg()["aliyun_sign"]:
        raise Refused("isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名")
    template_id = ALIYUN_CODES.get(params.get("TemplateCode", ""))
    if template_id is None:
        raise Refused("isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板")
    try:
        named = json.loads(params.get("TemplateParam") or "{}")
    except ValueError:
        raise Refused("isv.INVALID_JSON_PARAM", "JSON参数不合法,只接受字符串值") from None
    if not isinstance(named, dict) or any(not isinstance(v, str) for v in named.values()):
        raise Refused("isv.INVALID_JSON_PARAM", "JSON参数不合法,只接受字符串值")
    if set(named) != set(NAMES[template_id]):
        raise Refused("isv.TEMPLATE_MISSING_PARAMETERS", "模板变量缺少对应参数值")
    if any(URL.search(v) for v in named.values()):
        raise Refused("isv.PARAM_NOT_SUPPORT_URL", "不支持url为变量")
    values = [named[name] for name in NAMES[template_id]]
    biz_id = f"{secrets.randbelow(10 ** 15):015d}^0"
    with store().lock:
        for phone in phones:
            _check_limits(phone, template_id)
        for phone in phones:
            _record(phone, template_id, values, biz_id, params.get("OutId", ""))
    return {"BizId": biz_id}


def _check_limits(phone, template_id):
    now = time.time()
    if APPROVED[template_id]["kind"] == CODE:
        codes = [tid for tid, t in APPROVED.items() if t["kind"] == CODE]
        limits = [(seconds, permits, word, codes) for seconds, permits, word in CODE_LIMITS]
    else:
        limits = [(86400, int(cfg()["aliyun_notices_per_day"]), "天级", [template_id])]
    for seconds, permits, word, templates in limits:
        marks = ",".join("?" * len(templates))
        sent = store().one(f"SELECT COUNT(*) AS n FROM sms_messages WHERE phone = ? AND created_at > ? "
                           f"AND template_id IN ({marks})", phone, now - seconds, *templates)["n"]
        if sent >= permits:
            raise Refused("isv.BUSINESS_LIMIT_CONTROL", f"触发{word}流控Permits:{permits}")


def _record(phone, template_id, values, biz_id, out_id):
    text = render(template_id, values, sign=cfg()["aliyun_sign"])
    fee = 1 if len(text) <= 70 else -(-len(text) // 67)
    if phone.endswith(FAILING_SUFFIX):
        status, description = "failed", "MK:0001"
    elif phone.endswith(WAITING_SUFFIX):
        status, description = "waiting", ""
    else:
        status, description = "delivered", "DELIVERED"
    store().run("INSERT INTO sms_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", biz_id + phone[3:], phone,
                template_id, json.dumps(values, ensure_ascii=False), text, fee, status, description, out_id,
                time.time(), dt.datetime.now(CHINA).strftime("%Y-%m-%d"))


SEND_STATUS = {"waiting": 1, "failed": 2, "delivered": 3}


def query_send_details(params):
    phone = _number(params.get("PhoneNumber", ""))
    if phone is None:
        raise Refused("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
    try:
        day = dt.datetime.strptime(params.get("SendDate", ""), "%Y%m%d").strftime("%Y-%m-%d")
        size, page = int(params.get("PageSize", "")), int(params.get("CurrentPage") or 1)
    except ValueError:
        raise Refused("isv.INVALID_PARAMETERS", "参数异常") from None
    if not 1 <= size <= 50 or page < 1:
        raise Refused("isv.INVALID_PARAMETERS", "参数异常")
    rows = store().all("SELECT * FROM sms_messages WHERE phone = ? AND day = ? AND serial LIKE '%^%' "
                       "ORDER BY created_at DESC", phone, day)
    if params.get("BizId"):
        rows = [r for r in rows if r["serial"] == params["BizId"] + phone[3:]]
    items = [{"PhoneNum": phone[3:], "SendStatus": SEND_STATUS[r["status"]], "ErrCode": r["description"],
              "TemplateCode": f"SMS_46{r['template_id']}", "Content": r["text"], "OutId": r["session_context"],
              "SendDate": _china(r["created_at"]),
              "ReceiveDate": _china(r["created_at"] + 3) if r["status"] != "waiting" else ""}
             for r in rows[(page - 1) * size:page * size]]
    return {"TotalCount": len(rows), "SmsSendDetailDTOs": {"SmsSendDetailDTO": items}}


def _china(unix):
    return dt.datetime.fromtimestamp(unix, CHINA).strftime("%Y-%m-%d %H:%M:%S")


ACTIONS = {"SendSms": send_sms, "QuerySendDetails": query_send_details}


# -- replies (SmsUp, HTTP push) ----------------------------------------------------------------------------------
def push_reply(phone, text):
    """Hand a reply to the app as Aliyun does, when the number's last SMS went out through Aliyun (a BizId serial)."""
    last = store().one("SELECT serial FROM sms_messages WHERE phone = ? ORDER BY created_at DESC LIMIT 1", phone)
    if last is None or "^" not in last["serial"]:
        return None
    body = json.dumps([{"phone_number": phone[3:], "content": text, "send_time": _china(time.time()),
                        "dest_code": "1234", "sequence_id": str(secrets.randbelow(10 ** 10))}], ensure_ascii=False)
    push_id = store().run("INSERT INTO aliyun_pushes (phone, body, status, created_at) VALUES (?, ?, 'pending', ?)",
                          phone, body, time.time())
    url = f"{cfg()['sms_link_base'].rstrip('/')}/sms/aliyun/replies/{cfg()['aliyun_up_token']}"
    threading.Thread(target=_push, args=(store(), push_id, url, body, cfg()["retry_delay"]), daemon=True).start()
    return push_id


def _push(store_, push_id, url, body, retry_delay):
    for attempt in range(1, PUSH_RETRIES + 2):
        try:
            res = requests.post(url, data=body.encode(), headers={"Content-Type": "application/json"}, timeout=5)
            status, done = res.status_code, res.status_code == 200 and isinstance(_json_or_none(res).get("code"), int)
        except requests.RequestException as exc:
            status, done = None, False
            log.info("reply push %s attempt %s failed: %s", push_id, attempt, exc.__class__.__name__)
        final = done or attempt > PUSH_RETRIES
        store_.run("UPDATE aliyun_pushes SET attempts = ?, last_status = ?, status = ? WHERE id = ?", attempt, status,
                   "delivered" if done else ("failed" if final else "retrying"), push_id)
        if final:
            return
        time.sleep(retry_delay)


def _json_or_none(res):
    try:
        answer = res.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


@bp.get("/sandbox/<phone>")
def api_received(phone):
    """What Aliyun accepted for the number (delivered or not), for tests."""
    rows = store().all("SELECT serial, template_id, params, text, status FROM sms_messages WHERE phone = ? "
                       "AND serial LIKE '%^%' ORDER BY created_at", e164(phone))
    return jsonify(messages=[dict(r) for r in rows])


@bp.get("/sandbox/pushes/<phone>")
def api_pushes(phone):
    """The replies of the number pushed to the app, and how each push went (for tests)."""
    rows = store().all("SELECT id, body, status, attempts, last_status FROM aliyun_pushes WHERE phone = ? ORDER BY id",
                       e164(phone))
    return jsonify(pushes=[dict(r, body=json.loads(r["body"])) for r in rows])


@bp.post("/sandbox/next-answer")
def api_next_answer():
    """The next signed call answers {"code", "message", "status"} instead of being handled (for tests)."""
    current_app.extensions.setdefault("aliyun_next_answers", []).append(request.get_json(force=True) or {})
    return jsonify(ok=True)

"""Tencent Cloud SMS (API 3.0, version 2021-01-11) as the app uses it, and a phone page per number.

POST / with X-TC-Action SendSms | PullSmsSendStatus | PullSmsReplyStatus, signed with TC3-HMAC-SHA256 (verified
here with its own code: a wrong signature answers AuthFailure.SignatureFailure, like Tencent). Checks, with the
provider's codes: SmsSdkAppId, the approved signature and templates (wecom_sandbox/sms_templates.py), the number of
template parameters, verification-code parameters (0-6 digits), no URL as a parameter, numbers that replied "T"
(blacklisted for notices), and per number at most 1 SMS per 30 s and 10 per China day. Numbers ending in 0000 are
"switched off": SendSms accepts them but the receipt says FAIL. Receipts and replies are handed out once by the
pull actions. /sms/<phone> shows what a number received and lets it reply (T = 退订).
"""
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import time
import uuid

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from wecom_sandbox.sms_templates import APPROVED, CODE, ZONE_WORDS, count_params

SCHEMA = """
CREATE TABLE IF NOT EXISTS sms_messages (serial TEXT PRIMARY KEY, phone TEXT, template_id TEXT, params TEXT,
    text TEXT, fee INTEGER, status TEXT, description TEXT, session_context TEXT, created_at REAL, day TEXT);
CREATE TABLE IF NOT EXISTS sms_receipts (id INTEGER PRIMARY KEY AUTOINCREMENT, serial TEXT, phone TEXT, status TEXT,
    description TEXT, received_at REAL, pulled_at REAL);
CREATE TABLE IF NOT EXISTS sms_replies (id INTEGER PRIMARY KEY AUTOINCREMENT, phone TEXT, text TEXT, created_at REAL,
    pulled_at REAL);
CREATE TABLE IF NOT EXISTS sms_blacklist (phone TEXT PRIMARY KEY, created_at REAL);
"""
VERSION = "2021-01-11"
MAX_SKEW_S = 300
PER_30S, PER_DAY = 1, 10
CHINA = dt.timezone(dt.timedelta(hours=8))
PHONE = re.compile(r"^\+861[3-9][0-9]{9}$")
URL = re.compile(r"(https?://|www\.)", re.I)
UNSUBSCRIBE = {"T", "TD", "N", "退订", "R"}
FAILING_SUFFIX = "0000"

bp = Blueprint("sms", __name__)


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def ensure_schema(store_):
    with store_.connect() as db:
        db.executescript(SCHEMA)


def store():
    return current_app.extensions["sandbox_store"]


def cfg():
    return current_app.config["SANDBOX"]


def _answer(response):
    return jsonify({"Response": {**response, "RequestId": str(uuid.uuid4())}})


def _log(action, body, answer):
    store().run("INSERT INTO requests (method, path, query, body, status, errcode, answer, ms, created_at) "
                "VALUES ('POST', ?, '{}', ?, 200, NULL, ?, 0, ?)", f"sms/{action}", body[:4000],
                json.dumps(answer, ensure_ascii=False)[:2000], time.time())


# -- signature ---------------------------------------------------------------------------------------------------
def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def verify_signature(headers, path, body, secret_id, secret_key, now=None):
    """Check a TC3-HMAC-SHA256 request the way Tencent does; raise Refused with its code."""
    auth = headers.get("Authorization", "")
    match = re.match(r"^TC3-HMAC-SHA256 Credential=([^/]+)/(\d{4}-\d{2}-\d{2})/([a-z]+)/tc3_request, "
                     r"SignedHeaders=([a-z0-9;\-]+), Signature=([0-9a-f]{64})$", auth)
    if not match:
        raise Refused("AuthFailure.InvalidAuthorization", "Authorization header is not TC3-HMAC-SHA256.")
    sid, date, service, signed, signature = match.groups()
    if sid != secret_id:
        raise Refused("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
    try:
        timestamp = int(headers.get("X-TC-Timestamp", ""))
    except ValueError:
        raise Refused("AuthFailure.SignatureFailure", "X-TC-Timestamp is missing.") from None
    if abs((now or time.time()) - timestamp) > MAX_SKEW_S:
        raise Refused("AuthFailure.SignatureExpire", "Signature expired: timestamp differs by more than 5 minutes.")
    names = signed.split(";")
    if "content-type" not in names or "host" not in names or names != sorted(names):
        raise Refused("AuthFailure.SignatureFailure", "SignedHeaders must include content-type and host, sorted.")
    canonical_headers = "".join(f"{n}:{headers.get(n, '').strip().lower()}\n" for n in names)
    canonical = "\n".join(["POST", path, "", canonical_headers, signed, hashlib.sha256(body).hexdigest()])
    day = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), f"{date}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    expected = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if service != "sms" or date != day or not hmac.compare_digest(expected, signature):
        raise Refused("AuthFailure.SignatureFailure",
                      "The provided credentials could not be validated. Please check your signature is correct.")


# -- the API -----------------------------------------------------------------------------------------------------
@bp.post("/")
def api():
    body = request.get_data()
    action = request.headers.get("X-TC-Action", "")
    try:
        verify_signature(request.headers, request.path, body, cfg()["sms_secret_id"], cfg()["sms_secret_key"])
        if request.headers.get("X-TC-Version") != VERSION:
            raise Refused("NoSuchVersion", f"The API version does not exist (use {VERSION}).")
        if not request.headers.get("X-TC-Region"):
            raise Refused("MissingParameter", "The request is missing a required parameter `Region`.")
        handler = ACTIONS.get(action)
        if handler is None:
            raise Refused("InvalidAction", f"The action `{action}` does not exist.")
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            raise Refused("FailedOperation.JsonParseFail", "The request body is not JSON.") from None
        if str(params.get("SmsSdkAppId", "")) != cfg()["sms_app_id"]:
            raise Refused("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId does not exist.")
        answer = handler(params)
    except Refused as exc:
        answer = {"Error": {"Code": exc.code, "Message": exc.message}}
    _log(action, body.decode("utf-8", "replace"), answer)
    return _answer(answer)


def send_sms(params):
    phones = params.get("PhoneNumberSet") or []
    if not isinstance(phones, list) or not phones:
        raise Refused("MissingParameter.EmptyPhoneNumberSet", "PhoneNumberSet is empty.")
    if len(phones) > 200:
        raise Refused("LimitExceeded.PhoneNumberCountLimit", "At most 200 numbers per request.")
    template_id = str(params.get("TemplateId", ""))
    values = [str(v) for v in (params.get("TemplateParamSet") or [])]
    statuses = []
    for phone in phones:
        try:
            serial, fee = _send_one(str(phone), params.get("SignName", ""), template_id, values,
                                    params.get("SessionContext", ""))
            statuses.append(_status(phone, "Ok", "send success", serial, fee, params))
        except Refused as exc:
            statuses.append(_status(phone, exc.code, exc.message, "", 0, params))
    return {"SendStatusSet": statuses}


def _status(phone, code, message, serial, fee, params):
    return {"SerialNo": serial, "PhoneNumber": phone, "Fee": fee, "SessionContext": params.get("SessionContext", ""),
            "Code": code, "Message": message, "IsoCode": "CN" if PHONE.match(str(phone)) else "DEF"}


def _send_one(phone, sign, template_id, values, session_context):
    if not PHONE.match(phone):
        raise Refused("InvalidParameterValue.IncorrectPhoneNumber", "Incorrect phone number format.")
    if sign != cfg()["sms_sign"]:
        raise Refused("FailedOperation.SignatureIncorrectOrUnapproved",
                      "signature format is wrong or signature is not approved")
    template = APPROVED.get(template_id)
    if template is None or count_params(template["text"]) != len(values):
        raise Refused("FailedOperation.TemplateIncorrectOrUnapproved",
                      "template is not approved or request content does not match the approved template content")
    if template["kind"] == CODE and not re.fullmatch(r"[0-9]{0,6}", values[0]):
        raise Refused("InvalidParameterValue.TemplateParameterFormatError",
                      "verification code parameters must be 0-6 digits")
    if any(URL.search(v) for v in values):
        raise Refused("InvalidParameterValue.ProhibitedUseUrlInTemplateParameter", "URLs are not allowed as parameters")
    if template["kind"] != CODE and store().one("SELECT 1 FROM sms_blacklist WHERE phone = ?", phone):
        raise Refused("FailedOperation.PhoneNumberInBlacklist", "the number unsubscribed (replied T)")
    now = time.time()
    with store().lock:
        recent = store().one("SELECT COUNT(*) AS n FROM sms_messages WHERE phone = ? AND created_at > ?",
                             phone, now - 30)["n"]
        if recent >= PER_30S:
            raise Refused("LimitExceeded.PhoneNumberThirtySecondLimit", "more than 1 SMS to this number in 30 s")
        # The China day is stored when sent, so /age (which moves created_at for the 30 s rule) keeps it.
        day = dt.datetime.now(CHINA).strftime("%Y-%m-%d")
        today = store().one("SELECT COUNT(*) AS n FROM sms_messages WHERE phone = ? AND day = ?", phone, day)["n"]
        if today >= PER_DAY:
            raise Refused("LimitExceeded.PhoneNumberDailyLimit", f"more than {PER_DAY} SMS to this number today")
        text = render(template_id, values)
        fee = 1 if len(text) <= 70 else -(-len(text) // 67)
        serial = f"2433:{secrets.randbelow(10 ** 20):020d}"
        failing = phone.endswith(FAILING_SUFFIX)
        status, description = ("failed", "用户手机号停机或空号") if failing else ("delivered", "用户短信送达成功")
        store().run("INSERT INTO sms_messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", serial, phone, template_id,
                    json.dumps(values, ensure_ascii=False), text, fee, status, description, session_context, now,
                    day)
        store().run("INSERT INTO sms_receipts (serial, phone, status, description, received_at) VALUES (?, ?, ?, ?, ?)",
                    serial, phone, "FAIL" if failing else "SUCCESS", description, now)
    return serial, fee


def render(template_id, values, sign=None):
    """The SMS as the phone shows it: 【signature】 and the approved text filled in."""
    text = APPROVED[template_id]["text"].replace("$LINK", cfg()["sms_link_base"].rstrip("/"))
    text = text.replace("$ZONE", ZONE_WORDS)
    for number, value in enumerate(values, start=1):
        text = text.replace(f"{{{number}}}", value)
    return f"【{sign or cfg()['sms_sign']}】{text}"


def _pull(table, params):
    """The rows of `table` nobody has pulled yet (at most Limit, oldest first), marked pulled: each is pulled once."""
    limit = params.get("Limit")
    if not isinstance(limit, int) or not 1 <= limit <= 100:
        raise Refused("InvalidParameterValue.LimitVerifyFail", "Limit must be an integer from 1 to 100.")
    with store().lock:
        rows = store().all(f"SELECT * FROM {table} WHERE pulled_at IS NULL ORDER BY id LIMIT ?", limit)
        if rows:
            store().run(f"UPDATE {table} SET pulled_at = ? WHERE id IN ({','.join('?' * len(rows))})",
                        time.time(), *[r["id"] for r in rows])
    return rows


def pull_send_status(params):
    return {"PullSmsSendStatusSet": [{
        "UserReceiveTime": int(r["received_at"]), "CountryCode": "86", "SubscriberNumber": r["phone"][3:],
        "PhoneNumber": r["phone"], "SerialNo": r["serial"], "ReportStatus": r["status"],
        "Description": r["description"], "SessionContext": ""} for r in _pull("sms_receipts", params)]}


def pull_reply_status(params):
    return {"PullSmsReplyStatusSet": [{
        "ExtendCode": "", "CountryCode": "86", "SubscriberNumber": r["phone"][3:], "PhoneNumber": r["phone"],
        "SignName": cfg()["sms_sign"], "ReplyContent": r["text"], "ReplyTime": int(r["created_at"])}
        for r in _pull("sms_replies", params)]}


ACTIONS = {"SendSms": send_sms, "PullSmsSendStatus": pull_send_status, "PullSmsReplyStatus": pull_reply_status}


# -- the phone ---------------------------------------------------------------------------------------------------
def e164(phone):
    digits = re.sub(r"\D", "", phone)
    return "+86" + digits[-11:]


def reply(phone, text):
    """The number replies; "T" (or 退订) also puts it on the signature's blacklist, like the carriers do."""
    phone, text = e164(phone), (text or "").strip()
    if not text:
        return None
    store().run("INSERT INTO sms_replies (phone, text, created_at) VALUES (?, ?, ?)", phone, text[:300], time.time())
    if text.upper() in UNSUBSCRIBE:
        store().run("INSERT OR IGNORE INTO sms_blacklist VALUES (?, ?)", phone, time.time())
    for listener in current_app.extensions.get("sms_reply_listeners", ()):
        listener(phone, text[:300])
    return phone


def received(phone):
    """What the number got, newest first (an SMS to a switched-off number never arrives)."""
    rows = store().all("SELECT * FROM sms_messages WHERE phone = ? AND status = 'delivered' ORDER BY created_at DESC",
                       e164(phone))
    return [dict(r, params=json.loads(r["params"]), kind=APPROVED[r["template_id"]]["kind"]) for r in rows]


def linkify(text):
    """Links clickable, like a phone's SMS app (the rest escaped)."""
    parts = re.split(r"(https?://[^\s,，。]+)", str(text))
    return Markup("".join(f'<a href="{escape(p)}">{escape(p)}</a>' if i % 2 else str(escape(p))
                          for i, p in enumerate(parts)))


def china_time(unix):
    """A phone in China shows China time."""
    return dt.datetime.fromtimestamp(unix, CHINA).strftime("%m-%d %H:%M")


@bp.get("/sms/<phone>")
def phone_page(phone):
    number = e164(phone)
    replies = store().all("SELECT * FROM sms_replies WHERE phone = ? ORDER BY id DESC LIMIT 20", number)
    blocked = bool(store().one("SELECT 1 FROM sms_blacklist WHERE phone = ?", number))
    return render_template("sandbox/sms_phone.html", number=number, messages=received(number), replies=replies,
                           blocked=blocked, linkify=linkify, china_time=china_time)


@bp.post("/sms/<phone>/reply")
def phone_reply(phone):
    reply(phone, request.form.get("text", ""))
    return redirect(url_for("sms.phone_page", phone=e164(phone)[3:]))


# -- control API for tests and scripts ---------------------------------------------------------------------------
@bp.get("/sandbox/api/sms/<phone>")
def api_received(phone):
    return jsonify(messages=received(phone), blacklisted=bool(
        store().one("SELECT 1 FROM sms_blacklist WHERE phone = ?", e164(phone))))


@bp.post("/sandbox/api/sms/<phone>/reply")
def api_reply(phone):
    return jsonify(phone=reply(phone, (request.get_json(force=True) or {}).get("text", "")))


@bp.post("/sandbox/api/sms/<phone>/age")
def api_age(phone):
    """Move the number's past SMS `seconds` back in time (to pass the 30 s limit without waiting)."""
    seconds = float((request.get_json(force=True) or {}).get("seconds", 0))
    store().run("UPDATE sms_messages SET created_at = created_at - ? WHERE phone = ?", seconds, e164(phone))
    return jsonify(ok=True)

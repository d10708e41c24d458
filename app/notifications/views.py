"""Candidate-facing endpoints of the notifications domain: SMS codes (JSON, for the reusable form partial
templates/notifications/_phone_code.html) and the SMS unsubscribe link (/u/<token>); and the URL Aliyun pushes
candidates' SMS replies to (/sms/aliyun/replies/<token>)."""
import hmac
import logging

from flask import Blueprint, abort, jsonify, render_template, request

from app.core.errors import BadRequest
from app.core.extensions import settings
from app.core.phones import mask
from app.notifications import codes, consent, receipts, record_join
from app.screening import intake

api_bp = Blueprint("notifications_api", __name__, url_prefix="/api/notifications")
page_bp = Blueprint("notifications", __name__)
# Called by the SMS provider, not a browser: guarded by the secret in its URL instead of a CSRF token.
hooks_bp = Blueprint("notifications_hooks", __name__)
log = logging.getLogger(__name__)


def _json():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("请求格式不正确 Send a JSON object", code="bad_json")
    return {k: str(v) if v is not None else "" for k, v in data.items()}


@api_bp.post("/phone-codes")
def request_code():
    data = _json()
    return jsonify(codes.request_code(data.get("phone", ""), data.get("purpose", ""), request.remote_addr))


@api_bp.post("/phone-codes/verify")
def verify_code():
    data = _json()
    proof = codes.verify_code(data.get("phone", ""), data.get("purpose", ""), data.get("code", ""),
                              request.remote_addr)
    return jsonify({"verified": True, "proof": proof})


@page_bp.route("/u/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """The unsubscribe link: GET asks (link previews must not unsubscribe anyone), POST records it."""
    phone = consent.phone_of_token(token)
    if phone is None:
        raise BadRequest("退订链接无效 This unsubscribe link is not valid", code="invalid_link")
    done = request.method == "POST"
    if done and not consent.opted_out(phone):
        consent.record(phone, True, "link")
    return render_template("notifications/unsubscribe.html", phone=mask(phone), done=done,
                           already=not done and consent.opted_out(phone), company=settings["COMPANY_NAME"])


@page_bp.route("/p/applied/<token>/same-phone", methods=["GET", "POST"])
def join_records(token):
    """The applicant proves their phone with a code to join this application to their earlier record."""
    application = intake.find_intake(token).application
    result = None
    if request.method == "POST":
        result = record_join.join_with_code(token, request.form.get("phone_proof", ""))
    return render_template("notifications/join_records.html", token=token, job=application.job, result=result,
                           offered=record_join.offered(), company=settings["COMPANY_NAME"])


@hooks_bp.post("/sms/aliyun/replies/<token>")
def aliyun_replies(token):
    """Aliyun's 上行短信 HTTP push: a JSON array of replies; "T" stops notice SMS. Aliyun wants {"code": 0} with a
    200, and pushes again (1, 5 and 10 minutes later) after anything else."""
    secret = settings["ALIYUN_SMS_UP_TOKEN"]
    if not secret or not hmac.compare_digest(token.encode(), secret.encode()):
        abort(404)
    try:
        stopped = receipts.read_pushed_replies(request.get_json(silent=True))
    except ValueError:
        log.warning("Aliyun reply push refused: the body is not a JSON array of objects")
        return jsonify({"code": 1, "msg": "请求格式不正确,应为上行短信的JSON数组 Send a JSON array"}), 400
    return jsonify({"code": 0, "msg": "接收成功", "stopped": stopped})

"""GET answers URL verification; POST stores the event and answers 200 with an empty body."""
from flask import Blueprint, Response, current_app, request

from app.core.errors import TooLarge
from app.core.rate_limits import callback_limits
from wecom_callbacks import inbox

bp = Blueprint("wecom_callbacks", __name__, url_prefix="/wecom")

# WeCom's events are a few KB; anything far bigger is not from WeCom.
MAX_BODY = 64 * 1024


@bp.get("/callback")
@callback_limits
def verify():
    args = request.args
    plain = inbox.verify_url(current_app.config, args.get("msg_signature"), args.get("timestamp"),
                             args.get("nonce"), args.get("echostr"))
    return Response(plain, mimetype="text/plain")


@bp.post("/callback")
@callback_limits
def receive():
    if (request.content_length or 0) > MAX_BODY:
        raise TooLarge("回调内容太大 Callback body too large", code="body_too_large")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise TooLarge("回调内容太大 Callback body too large", code="body_too_large")
    args = request.args
    inbox.receive(current_app.config, body, args.get("msg_signature"), args.get("timestamp"), args.get("nonce"))
    return Response("", status=200, mimetype="text/plain")

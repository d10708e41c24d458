"""GET answers URL verification; POST stores the event and answers 200 with an empty body."""
from flask import Blueprint, Response, current_app, request

from app.core.errors import TooLarge
from app.core.rate_limits import callback_limits
from wecom_callbacks import inbox

bp = Blueprint("wecom_callbacks", __name__, url_prefix="/wecom")

# WeCom's events are a few KB; anything far bigger is not from WeCom.
MAX_BODY = 64 * 1024


def _body():
    """The POSTed body, read once (the rate limit's signature check and the view both need it); None when it is
    larger than MAX_BODY."""
    key = "wecom.callback_body"
    if key not in request.environ:
        body = None
        if (request.content_length or 0) <= MAX_BODY:
            body = request.stream.read(MAX_BODY + 1)
            body = body if len(body) <= MAX_BODY else None
        request.environ[key] = body
    return request.environ[key]


def _signed():
    args = request.args
    if request.method == "GET":
        encrypted = args.get("echostr")
    else:
        body = _body()
        encrypted = inbox.envelope_text(body) if body else None
    return inbox.signed(current_app.config, args.get("msg_signature"), args.get("timestamp"), args.get("nonce"),
                        encrypted)


@bp.get("/callback")
@callback_limits(_signed)
def verify():
    args = request.args
    plain = inbox.verify_url(current_app.config, args.get("msg_signature"), args.get("timestamp"),
                             args.get("nonce"), args.get("echostr"))
    return Response(plain, mimetype="text/plain")


@bp.post("/callback")
@callback_limits(_signed)
def receive():
    body = _body()
    if body is None:
        raise TooLarge("回调内容太大 Callback body too large", code="body_too_large")
    args = request.args
    inbox.receive(current_app.config, body, args.get("msg_signature"), args.get("timestamp"), args.get("nonce"))
    return Response("", status=200, mimetype="text/plain")

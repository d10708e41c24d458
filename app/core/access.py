"""View guards for staff pages (every domain's staff views use them): who is signed in, sign-in and HR-only
guards, and safe `next` targets; for the candidate's JSON APIs, the bearer token and the body."""
import functools
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from app.core import staff as staff_service
from app.core import staff_sessions
from app.core.errors import BadRequest, Forbidden, Unauthorized, UnsupportedMediaType


def current_staff():
    """The signed-in staff member (roles reloaded per request), or None."""
    userid = session.get("staff_userid")
    if userid and not staff_sessions.is_active(session.get("staff_sid"), userid):
        userid = None  # logged out, expired or revoked: the cookie alone signs nobody in
    # Keyed by userid: g lives as long as the app context, which a test or CLI may share across requests.
    if g.get("staff_userid") != userid or "staff" not in g:
        g.staff_userid, g.staff = userid, staff_service.load_staff(userid)
    return g.staff


def visible_application(application_id):
    """The application the signed-in staff member may see, else 404 (one answer for missing and not theirs)."""
    application = staff_service.application_for(current_staff(), application_id)
    if application is None:
        abort(404)
    return application


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_staff() is None:
            session.pop("staff_userid", None)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def hr_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_staff().is_hr:
            raise Forbidden("仅HR可访问 HR only", code="hr_only")
        return view(*args, **kwargs)
    return wrapped


def safe_next(value, default=None):
    """`value` when it is a path on this site, else `default` (the manager's home).

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so `/\t/evil.example` or
    `/\\evil.example` would leave the site; any control character or backslash is refused outright (which also keeps
    CR/LF out of the Location header).
    """
    default = default or url_for("manager.home")
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return default
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def bearer_token():
    """The candidate's token of an API request (`Authorization: Bearer <token>`: the mini-program and the status
    page's JSON calls); Unauthorized when there is none. What it opens is the domain's to say."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("缺少凭证 Missing token (Authorization: Bearer <token>)", code="token_required")
    return token.strip()


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FIELD_TYPES = {"string": (str, "字符串", "a string"), "boolean": (bool, " true 或 false", "a boolean"),
               "integer": (int, "整数", "an integer"), "array": (list, "数组", "an array")}


def json_body(optional=False):
    """The JSON object a candidate API request sent: 415 when a body is sent as anything but JSON, BadRequest when
    it is no JSON object. `optional`: an empty body reads as {} (an endpoint whose fields all have defaults)."""
    # A form's body was parsed into fields before the view (request_guards): the type says a body was sent. A
    # chunked body has no Content-Length: reading it (cached) tells; get_json below reads the same cached bytes.
    sent = bool(request.content_length) or request.mimetype in FORM_TYPES or bool(request.get_data(cache=True))
    if optional and not sent:
        return {}
    if sent and not request.is_json:
        raise UnsupportedMediaType("请求体必须是 JSON(Content-Type: application/json) The body must be sent as "
                                   "application/json", code="unsupported_content_type")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("请求体必须是 JSON 对象 The body must be a JSON object", code="invalid_json")
    return data


def json_field(data, name, kind, required=False, default=None):
    """`data[name]` when it is of JSON type `kind` (string, boolean, integer, array; a boolean is no integer);
    `default` when absent (or null) and not `required`; else BadRequest `invalid_field` naming the field."""
    value = data.get(name)
    python_type, zh, en = FIELD_TYPES[kind]
    if value is None:
        if not required:
            return default
        raise BadRequest(f"缺少 {name} Field {name} is required", code="invalid_field", field=name)
    if not isinstance(value, python_type) or (kind == "integer" and isinstance(value, bool)):
        raise BadRequest(f"{name} 必须是{zh} Field {name} must be {en}",
                         code="invalid_field", field=name)
    return value


def raw_body():
    """The raw bytes of a chunk request; 415 when sent as a form (whose body is parsed into fields, not kept)."""
    if request.mimetype in FORM_TYPES:
        raise UnsupportedMediaType("分片必须作为原始请求体发送(Content-Type: application/octet-stream),不能用表单 "
                                   "Send the chunk as the raw body, not as a form", code="unsupported_content_type")
    return request.get_data(cache=False)

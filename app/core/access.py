"""View guards for staff pages (every domain's staff views use them): who is signed in, sign-in and HR-only
guards, and safe `next` targets; for the candidate's JSON APIs, the bearer token and the body."""
import functools
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from app.core import staff as staff_service
from app.core import staff_sessions
from app.core.errors import BadRequest, Forbidden, Unauthorized


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


def json_body():
    """The JSON object a candidate API request sent; BadRequest for anything else."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("请求体必须是 JSON 对象 The body must be a JSON object", code="invalid_json")
    return data

"""Staff sign-in through WeCom OAuth2 (the sandbox's authorize page in sandbox mode), and view guards."""
import functools
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from app.errors import Forbidden
from app.services import staff as staff_service
from app.services import staff_sessions
from app.wecom import WeComError
from app.wecom.oauth import authorize_url, get_user_info

bp = Blueprint("auth", __name__, url_prefix="/auth")


def current_staff():
    """The signed-in staff member (roles reloaded per request), or None."""
    userid = session.get("staff_userid")
    if userid and not staff_sessions.is_active(session.get("staff_sid"), userid):
        userid = None  # logged out, expired or revoked: the cookie alone signs nobody in
    # Keyed by userid: g lives as long as the app context, which a test or CLI may share across requests.
    if g.get("staff_userid") != userid or "staff" not in g:
        g.staff_userid, g.staff = userid, staff_service.load_staff(userid)
    return g.staff


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


@bp.get("/login")
def login():
    state = secrets.token_urlsafe(16)
    session["oauth_state"] = state
    session["oauth_next"] = safe_next(request.args.get("next"))
    cfg = current_app.config
    return redirect(authorize_url(corp_id=cfg["WECOM_CORP_ID"], agent_id=cfg["WECOM_AGENT_ID"],
                                  redirect_uri=cfg["PUBLIC_BASE_URL"] + url_for("auth.callback"), state=state,
                                  api_base=cfg["WECOM_API_BASE"], sandbox=cfg["WECOM_SANDBOX"]))


@bp.get("/callback")
def callback():
    expected = session.pop("oauth_state", None)
    if not expected or request.args.get("state") != expected:
        raise Forbidden("登录已失效,请重新进入 The sign-in expired, open the page again", code="bad_oauth_state")
    try:
        info = get_user_info(request.args.get("code", ""))
    except WeComError as exc:
        raise Forbidden("企业微信登录失败,请重试 WeCom sign-in failed", code="oauth_failed") from exc
    if not info.get("userid"):
        raise Forbidden("仅企业成员可登录 Only members of the company can sign in", code="not_a_member")
    member = staff_service.sign_in(info["userid"], name=staff_service.display_name(info["userid"]))
    next_url = safe_next(session.get("oauth_next"))
    staff_sessions.revoke(session.get("staff_sid"))
    session.clear()  # a fresh session on privilege change
    session["staff_userid"] = member.userid
    session["staff_sid"] = staff_sessions.start(member.userid)
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (STAFF_SESSION_HOURS)
    return redirect(next_url)


@bp.post("/logout")
def logout():
    staff_sessions.revoke(session.get("staff_sid"))
    session.clear()
    return render_template("auth/logged_out.html")


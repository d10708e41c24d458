"""Staff sign-in through WeCom OAuth2 (the sandbox's authorize page in sandbox mode), and view guards."""
import secrets

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from app.core import staff as staff_service
from app.core import staff_sessions
from app.core.access import safe_next
from app.core.errors import Forbidden
from app.wecom import WeComError, users
from app.wecom.oauth import authorize_url, get_user_info

bp = Blueprint("auth", __name__, url_prefix="/auth")


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
    member = staff_service.sign_in(info["userid"], name=users.display_name(info["userid"]))
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


"""OAuth2 for H5 pages inside WeCom: the authorize URL and code -> userid."""
from urllib.parse import urlencode

from app.wecom import get_client

REAL_AUTHORIZE = "https://open.weixin.qq.com/connect/oauth2/authorize"


def authorize_base(api_base, sandbox):
    """The authorize page: WeCom's, or the sandbox's (same host as its API)."""
    if not sandbox:
        return REAL_AUTHORIZE
    root = api_base.rstrip("/")
    if root.endswith("/cgi-bin"):
        root = root[: -len("/cgi-bin")]
    return root + "/connect/oauth2/authorize"


def authorize_url(*, corp_id, agent_id, redirect_uri, state, api_base, sandbox=False):
    """The URL that sends a member through WeCom's silent sign-in back to `redirect_uri?code=&state=`."""
    query = urlencode({"appid": corp_id, "redirect_uri": redirect_uri, "response_type": "code",
                       "scope": "snsapi_base", "state": state, "agentid": agent_id})
    return f"{authorize_base(api_base, sandbox)}?{query}#wechat_redirect"


def get_user_info(code, client=None):
    """auth/getuserinfo: {"userid", "user_ticket"} for a member, {"openid"/"external_userid"} otherwise."""
    client = client or get_client()
    return client.call("get", "auth/getuserinfo", params={"code": code})

"""WeCom mini-program login: js_code -> corpid, userid, session_key."""
from app.wecom import get_client


def code_to_session(js_code, client=None):
    """miniprogram/jscode2session; raises WeComError for a bad or used code."""
    client = client or get_client()
    return client.call("get", "miniprogram/jscode2session",
                       params={"js_code": js_code, "grant_type": "authorization_code"})

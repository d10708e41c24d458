"""微信客服 (WeChat customer service): the contact link of the recruiting kf account, reading messages after a
callback (kf/sync_msg), downloading files (media/get), replying (kf/send_msg).

wechatpy 1.8.18 has no kf module. Limits (document/path/94677, 94670): a customer may be sent at most 5 messages
within 48 hours after their last message; sync_msg needs the token of the kf_msg_or_event callback; scene_param
is at most 128 bytes.
"""
from urllib.parse import quote

from app.core.extensions import redis_client
from app.wecom import get_client
from app.wecom.errors import WeComError, WeComRetryableError

WINDOW_HOURS = 48
WINDOW_MESSAGES = 5
# Origin of a synced message: 3 the customer wrote, 4 a system event, 5 a servicer wrote in the WeCom client.
ORIGIN_CUSTOMER = 3
SCENE = "jobs"   # one contact way for the recruiting account; each posting link passes its code as scene_param


def contact_url(open_kfid, scene_param):
    """The kf contact link that opens the chat with `scene_param` (≤ 128 bytes); the base link is cached."""
    key = f"wecom:kf:contact:{open_kfid}:{SCENE}"
    conn = redis_client.get()
    base = conn.get(key)
    if base is None:
        base = get_client().post("kf/add_contact_way", data={"open_kfid": open_kfid, "scene": SCENE})["url"]
        conn.set(key, base)
    base = base.decode() if isinstance(base, bytes) else base
    return f"{base}{'&' if '?' in base else '?'}scene_param={quote(scene_param)}"


def send_text(open_kfid, external_userid, content, client=None):
    """kf/send_msg a text; returns WeCom's answer (with msgid)."""
    client = client or get_client()
    return client.call("post", "kf/send_msg", data={
        "touser": external_userid, "open_kfid": open_kfid, "msgtype": "text", "text": {"content": content}})


def sync_msg(token, cursor="", open_kfid="", limit=1000, client=None):
    """kf/sync_msg: the messages after `cursor` -> {"next_cursor", "has_more", "msg_list"}."""
    client = client or get_client()
    data = {"cursor": cursor, "token": token, "limit": limit}
    if open_kfid:
        data["open_kfid"] = open_kfid
    return client.call("post", "kf/sync_msg", data=data)


def get_media(media_id, max_bytes):
    """The bytes of a media file (JSON means an error); None for a file over max_bytes (not read to the end)."""
    import requests
    client = get_client()
    try:
        res = client._http.get(client.API_BASE_URL + "media/get", timeout=client.timeout, stream=True,
                               params={"access_token": client.access_token, "media_id": media_id})
    except requests.RequestException as exc:
        raise WeComRetryableError(-1, f"media/get: {exc.__class__.__name__}") from exc
    if res.headers.get("Content-Type", "").startswith(("application/json", "text/plain")):
        body = res.json()
        raise WeComError(body.get("errcode", -2), body.get("errmsg", "media/get failed"))
    data = b""
    for chunk in res.iter_content(64 * 1024):
        data += chunk
        if len(data) > max_bytes:
            res.close()
            return None
    return data

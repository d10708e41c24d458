"""微信客服 (kf): the contact link of the recruiting kf account, reading messages with kf/sync_msg, downloading
files with media/get, replying with kf/send_msg. wechatpy 1.8.18 has no kf module: a thin client over ours."""
from urllib.parse import quote

from app.extensions import redis_client
from app.wecom import get_client
from app.wecom.errors import WeComError, WeComRetryableError

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


def sync_msg(open_kfid, token, cursor=""):
    """One page of messages after `cursor`: (msg_list, next_cursor, has_more)."""
    data = {"open_kfid": open_kfid, "token": token, "limit": 1000}
    if cursor:
        data["cursor"] = cursor
    result = get_client().post("kf/sync_msg", data=data)
    return result.get("msg_list") or [], result.get("next_cursor") or cursor, bool(result.get("has_more"))


def send_text(open_kfid, external_userid, content):
    return get_client().post("kf/send_msg", data={"touser": external_userid, "open_kfid": open_kfid,
                                                  "msgtype": "text", "text": {"content": content[:600]}})


def get_media(media_id, max_bytes):
    """The bytes of a media file (JSON means an error); refuses files over max_bytes without reading them all."""
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

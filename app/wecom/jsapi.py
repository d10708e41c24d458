"""JS-SDK tickets (cached per corp and agent in Redis) and signatures for the H5 pages."""
import hashlib
import secrets
import time

from app.wecom import get_client


def _cached_ticket(client, kind, endpoint, params):
    key = f"wecom:ticket:{kind}:{client.corp_id}:{client.agent_id}"
    cached = client.redis.get(key)
    if cached:
        return cached.decode()
    result = client.call("get", endpoint, params=params)
    ttl = max(int(result.get("expires_in") or 7200) - 300, 60)  # renew before WeCom expires it
    client.redis.set(key, result["ticket"], ex=ttl)
    return result["ticket"]


def corp_ticket(client=None):
    """The corp jsapi_ticket (wx.config)."""
    client = client or get_client()
    return _cached_ticket(client, "corp", "get_jsapi_ticket", None)


def agent_ticket(client=None):
    """The app's jsapi_ticket (wx.agentConfig)."""
    client = client or get_client()
    return _cached_ticket(client, "agent", "ticket/get", {"type": "agent_config"})


def signature(ticket, url, noncestr=None, timestamp=None):
    """Sign `url` (without its #fragment) for the JS-SDK; return the dict the page needs."""
    noncestr = noncestr or secrets.token_hex(8)
    timestamp = int(timestamp or time.time())
    url = url.split("#", 1)[0]
    plain = f"jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url}"
    return {"noncestr": noncestr, "timestamp": timestamp,
            "signature": hashlib.sha1(plain.encode("utf-8")).hexdigest()}


def page_config(url, client=None):
    """wx.config and wx.agentConfig signatures for one page."""
    client = client or get_client()
    return {"corpid": client.corp_id, "agentid": client.agent_id,
            "config": signature(corp_ticket(client), url), "agent_config": signature(agent_ticket(client), url)}

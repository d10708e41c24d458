"""The outbound WeCom client and its operations. `get_client()` builds one from the app settings."""
from app.wecom.client import WeComClient
from app.wecom.errors import WeComError, WeComRetryableError

_clients = {}


def get_client(config=None):
    """The client of this process for the configured app (one per settings tuple)."""
    from app.core.extensions import redis_client, settings
    cfg = config or settings
    key = (cfg["WECOM_API_BASE"], cfg["WECOM_CORP_ID"], cfg["WECOM_AGENT_ID"], cfg["WECOM_SECRET"],
           redis_client.url)
    client = _clients.get(key)
    if client is None:
        client = WeComClient(cfg["WECOM_CORP_ID"], cfg["WECOM_SECRET"], cfg["WECOM_AGENT_ID"],
                             cfg["WECOM_API_BASE"], redis_client.get(), timeout=cfg.get("WECOM_TIMEOUT", 5))
        _clients[key] = client
    return client


__all__ = ["WeComClient", "WeComError", "WeComRetryableError", "get_client"]

"""The outbound WeCom client and its operations. `get_client()` builds one from the app settings for the app's
own secret; `get_contacts_client()` for the contacts secret (通讯录同步), which writing the directory needs."""
from app.wecom.client import WeComClient
from app.wecom.errors import WeComError, WeComRetryableError

_clients = {}
CONTACTS_NOT_CONFIGURED = "contacts_secret_missing"


def _client(cfg, secret, scope=None):
    from app.core.extensions import redis_client
    key = (cfg["WECOM_API_BASE"], cfg["WECOM_CORP_ID"], cfg["WECOM_AGENT_ID"], secret, scope, redis_client.url)
    client = _clients.get(key)
    if client is None:
        client = WeComClient(cfg["WECOM_CORP_ID"], secret, cfg["WECOM_AGENT_ID"], cfg["WECOM_API_BASE"],
                             redis_client.get(), timeout=cfg.get("WECOM_TIMEOUT", 5), token_scope=scope)
        _clients[key] = client
    return client


def get_client(config=None):
    """The client of this process for the configured app (one per settings tuple)."""
    from app.core.extensions import settings
    cfg = config or settings
    return _client(cfg, cfg["WECOM_SECRET"])


def get_contacts_client(config=None):
    """The client for the directory's write API (user/create) with the 通讯录同步 secret: an app's own secret may
    only read the directory. WeComError CONTACTS_NOT_CONFIGURED when WECOM_CONTACT_SECRET is not set."""
    from app.core.extensions import settings
    cfg = config or settings
    secret = cfg.get("WECOM_CONTACT_SECRET") or ""
    if not secret:
        raise WeComError(CONTACTS_NOT_CONFIGURED,
                         "未配置通讯录同步的 Secret(WECOM_CONTACT_SECRET),无法创建企业微信账号;"
                         "请在 管理工具 → 通讯录同步 开启 API 编辑通讯录后配置")
    return _client(cfg, secret, "contacts")


__all__ = ["WeComClient", "WeComError", "WeComRetryableError", "get_client", "get_contacts_client"]

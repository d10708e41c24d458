"""The WeCom API client: wechatpy's enterprise client with a configurable base URL, timeouts, a token
shared by all processes through Redis and refreshed before it expires, and bounded retries."""
import copy
import json
import logging
import time
import uuid

import requests
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from app.wecom.errors import TOKEN_ERRCODES, WeComError, WeComRetryableError, error_for

log = logging.getLogger(__name__)

# Refresh when this share of the token's lifetime has passed, so no caller ever holds a dying token.
REFRESH_AT = 0.8
LOCK_SECONDS = 15

_RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
_DROP_TOKEN = ("if redis.call('hget', KEYS[1], 'token') == ARGV[1] then return redis.call('del', KEYS[1]) end "
               "return 0")


class WeComClient(WeChatClient):
    """One WeCom app (corp id + agent id + secret); safe to create per process or per job."""

    def __init__(self, corp_id, secret, agent_id, api_base, redis, timeout=5.0, token_scope=None):
        # auto_retry off: wechatpy's own retry recurses without bound on a server that keeps answering 42001.
        super().__init__(corp_id, secret, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = api_base.rstrip("/") + "/"
        self.agent_id = int(agent_id)
        self.redis = redis
        # One token per secret: the app's (its agent id) and the contacts one ("contacts") live side by side.
        self.token_key = f"wecom:token:{corp_id}:{token_scope or agent_id}"
        self.lock_key = f"{self.token_key}:lock"
        self._drop_token = redis.register_script(_DROP_TOKEN)
        self._release_lock = redis.register_script(_RELEASE_LOCK)

    # -- the access token, shared through Redis -------------------------------------------------------
    @property
    def access_token(self):
        """A valid token: the shared one, refreshed by one process once 80% of its life has passed."""
        cached = self._read_token()
        now = time.time()
        if cached and now < cached["refresh_at"]:
            return cached["token"]
        if cached and now < cached["expires_at"]:
            # Due for refresh but still valid: one process refreshes, the others keep using it meanwhile.
            fresh = self._refresh_locked(wait=False)
            return fresh or cached["token"]
        return self._refresh_locked(wait=True)

    def _read_token(self):
        raw = self.redis.hgetall(self.token_key)
        if not raw:
            return None
        data = {k.decode(): v.decode() for k, v in raw.items()}
        return {"token": data["token"], "expires_at": float(data["expires_at"]),
                "refresh_at": float(data["refresh_at"])}

    def _refresh_locked(self, wait):
        """Refetch under a Redis lock; return the new token, or None when another process holds the lock."""
        owner = uuid.uuid4().hex
        deadline = time.time() + 2 * (self.timeout or 5) + 1
        while True:
            if self.redis.set(self.lock_key, owner, nx=True, ex=LOCK_SECONDS):
                try:
                    cached = self._read_token()
                    if cached and time.time() < cached["refresh_at"]:
                        return cached["token"]  # another process refreshed while we waited
                    return self.fetch_access_token()["access_token"]
                finally:
                    self._release_lock(keys=[self.lock_key], args=[owner])
            if not wait:
                return None
            time.sleep(0.05)
            cached = self._read_token()
            if cached and time.time() < cached["refresh_at"]:
                return cached["token"]
            if time.time() > deadline:
                raise WeComRetryableError(-1, "timed out waiting for another process to fetch the token")

    def fetch_access_token(self):
        """Call gettoken on the configured base (wechatpy hard-codes the real host) and share the token."""
        result = self._raw_get("gettoken", {"corpid": self.corp_id, "corpsecret": self.secret})
        expires_in = int(result.get("expires_in") or 7200)
        now = time.time()
        self.redis.hset(self.token_key, mapping={
            "token": result["access_token"], "expires_at": now + expires_in,
            "refresh_at": now + expires_in * REFRESH_AT})
        self.redis.expire(self.token_key, expires_in)
        self.expires_at = int(now + expires_in)
        log.info("fetched a WeCom access token for %s/%s", self.corp_id, self.agent_id)
        return result

    def invalidate_token(self, token):
        """Forget `token` unless another process already replaced it."""
        self._drop_token(keys=[self.token_key], args=[token])

    # -- calls ----------------------------------------------------------------------------------------
    def _raw_get(self, endpoint, params):
        try:
            res = self._http.get(self.API_BASE_URL + endpoint, params=params, timeout=self.timeout)
        except requests.RequestException as exc:
            raise WeComRetryableError(-1, f"{endpoint}: {exc.__class__.__name__}") from exc
        result = _decode(res, endpoint)
        if result.get("errcode", 0) != 0:
            raise error_for(result["errcode"], result.get("errmsg", ""))
        return result

    def call(self, method, endpoint, params=None, data=None):
        """Call `endpoint`; refetch the token and retry once on 40014/42001; raise WeComError otherwise."""
        for attempt in (1, 2):
            token = self.access_token
            query = dict(params or {}, access_token=token)  # a fresh dict per attempt
            kwargs = {"params": query}
            if data is not None:
                kwargs["data"] = copy.deepcopy(data)
            try:
                result = self._request(method, endpoint, **kwargs)
            except WeChatClientException as exc:
                if exc.errcode in TOKEN_ERRCODES and attempt == 1:
                    log.info("WeCom said %s for %s: refetching the token once", exc.errcode, endpoint)
                    self.invalidate_token(token)
                    continue
                if exc.errcode is None:
                    status = getattr(exc.response, "status_code", None)
                    raise WeComRetryableError(-1, f"{endpoint}: HTTP {status}") from exc
                raise error_for(exc.errcode, exc.errmsg) from exc
            except requests.RequestException as exc:
                raise WeComRetryableError(-1, f"{endpoint}: {exc.__class__.__name__}") from exc
            if not isinstance(result, dict):
                raise WeComError(-2, f"{endpoint}: the answer is not JSON")
            return result
        raise AssertionError("unreachable")

    def get(self, url, **kwargs):
        return self.call("get", url, params=kwargs.get("params"))

    def post(self, url, **kwargs):
        return self.call("post", url, params=kwargs.get("params"), data=kwargs.get("data"))


def _decode(res, endpoint):
    if res.status_code >= 500:
        raise WeComRetryableError(-1, f"{endpoint}: HTTP {res.status_code}")
    try:
        result = json.loads(res.content.decode("utf-8", "ignore"))
    except ValueError as exc:
        raise WeComError(-2, f"{endpoint}: HTTP {res.status_code}, the answer is not JSON") from exc
    if not isinstance(result, dict):
        raise WeComError(-2, f"{endpoint}: unexpected answer")
    return result

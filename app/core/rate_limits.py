"""Rate limits (Flask-Limiter, counters in Redis so every web process shares them), per client address.

- identity checks: RATE_LIMIT_IDENTITY per client, on top of IDENTITY_MAX_ATTEMPTS per interview, so one client
  cannot guess across many interviews;
- token lookups: RATE_LIMIT_TOKEN_MISSES counts only answers 404 (an unknown link) on every page and API opened by
  a token (/i/<token>/..., /mp/api/v1/...), so guessing tokens is slowed; a request carrying a token that exists
  is exempt (neither counted nor refused), so a candidate on their own link is never refused because someone
  behind the same address (a company NAT, a mobile carrier) guessed;
- WeCom callbacks: RATE_LIMIT_CALLBACK_FAILURES counts only callbacks that fail the signature check (a bad or
  missing signature, a body that is not WeCom's envelope); a callback carrying WeCom's signature is exempt (neither
  counted nor refused), since all of a company's callbacks come from a few Tencent addresses at whatever pace its
  people tap, approve and message;
- the posting's apply form (POST /p/<code>, an anonymous upload of a resume to parse): RATE_LIMIT_APPLY per client
  and RATE_LIMIT_APPLY_PHONE per phone number typed, every post counted; the posting page answers a refusal
  itself (429, the form as typed).

The limits are read from the settings on every request (they can be changed without a restart of tests).
A limited request gets 429 with the JSON/page error `too_many_requests`, whose message says how long to wait
(`refusal`: 「请求过于频繁,请33秒后再试」, the Retry-After header's seconds, also `details.retry_after_s`).
Behind a reverse proxy set TRUSTED_PROXIES so the client address is the one the proxy saw (werkzeug's ProxyFix).
"""
import math
import time

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.core.extensions import redis_client, settings

limiter = Limiter(key_func=get_remote_address)


def _setting(name):
    return lambda: settings[name]


def identity_limit(view):
    # Shared by the H5 form and the mini-program API: one budget per client.
    return limiter.shared_limit(_setting("RATE_LIMIT_IDENTITY"), scope="identity", methods=["POST"])(view)


def _once_per_request(key, decide):
    """`decide()` evaluated once per request (Flask-Limiter asks for each of a limit's rates), kept in the WSGI
    environ: `g` can outlive a request when an app context was already pushed."""
    if key not in request.environ:
        request.environ[key] = decide()
    return request.environ[key]


def _carries_a_real_token(token_exists):
    """Whether this request's token (the URL's <token>, else the bearer token) is one `token_exists` knows."""
    def decide():
        token = (request.view_args or {}).get("token")
        if token is None and request.authorization is not None and request.authorization.type == "bearer":
            token = request.authorization.token
        return bool(token) and token_exists(token)
    return _once_per_request("interview.carries_real_token", decide)


def token_miss_limit(blueprint, token_exists):
    """Count the unknown-token answers of a blueprint whose routes open something by token; a request whose token
    exists (`token_exists(token)`, the domain's lookup) is exempt."""
    limiter.shared_limit(_setting("RATE_LIMIT_TOKEN_MISSES"), scope="token-miss",
                         exempt_when=lambda: _carries_a_real_token(token_exists),
                         deduct_when=lambda response: response.status_code == 404)(blueprint)


def callback_limits(signed):
    """Decorate a callback view: only requests that fail the signature check (`signed()` is False) are counted and
    refused; a signed one never is, so WeCom's own addresses are never refused at a busy company's pace."""
    return limiter.shared_limit(_setting("RATE_LIMIT_CALLBACK_FAILURES"), scope="callback-failed",
                                exempt_when=lambda: _once_per_request("wecom.signed", signed),
                                deduct_when=lambda response: 400 <= response.status_code < 500)


def apply_limits(phone_key, on_breach):
    """Decorate a posting's apply view: its POSTs limited per client and per phone (`phone_key()` reads it from
    the form); `on_breach(limit)` returns the page a refused applicant gets."""
    def decorate(view):
        view = limiter.limit(_setting("RATE_LIMIT_APPLY"), methods=["POST"], scope="apply",
                             on_breach=on_breach)(view)
        return limiter.limit(_setting("RATE_LIMIT_APPLY_PHONE"), methods=["POST"], scope="apply-phone",
                             key_func=phone_key, on_breach=on_breach)(view)
    return decorate


def wait_seconds():
    """Seconds until the limit this request broke lets it through again (the Retry-After header's value), or None
    outside a limited request."""
    limit = limiter.current_limit
    return max(1, int(limit.reset_at - time.time())) if limit is not None and limit.breached else None


def refusal(wait):
    """The words of a 429 that waits `wait` seconds (None: unknown), Chinese first."""
    if wait is None:
        return "请求过于频繁,请稍后再试 Too many requests, try again later"
    # No space in the Chinese: the error page reads it up to the first space.
    words = f"{wait}秒" if wait <= 90 else f"{math.ceil(wait / 60)}分钟"
    return f"请求过于频繁,请{words}后再试 Too many requests, try again in {wait} s"


def count_use(prefix, limits):
    """Count one use in each window (count, seconds) kept under `prefix` in Redis, for limits on things rather than
    client addresses (a conversation's uploads, a phone's codes). The seconds to wait when a window is full (the use
    is counted all the same), else None."""
    conn = redis_client.get()
    for count, seconds in limits:
        key = f"{prefix}:{seconds}"
        used = conn.incr(key)
        if used == 1:
            conn.expire(key, seconds)
        if used > count:
            return max(1, conn.ttl(key))
    return None


def init_app(app):
    cfg = app.config
    cfg["RATELIMIT_STORAGE_URI"] = cfg["REDIS_URL"]
    cfg["RATELIMIT_KEY_PREFIX"] = "rate-limit"
    cfg["RATELIMIT_ENABLED"] = cfg.get("RATE_LIMITS_ENABLED", True)
    cfg["RATELIMIT_HEADERS_ENABLED"] = True
    # A Redis hiccup must not turn every request into a 500 (the counters then just do not count).
    cfg["RATELIMIT_SWALLOW_ERRORS"] = True
    limiter.init_app(app)
    if cfg.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=cfg["TRUSTED_PROXIES"], x_proto=cfg["TRUSTED_PROXIES"])

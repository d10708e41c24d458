"""Error handlers: JSON for APIs, a friendly page for people; never a stack trace."""
import logging
from urllib.parse import urlsplit

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from werkzeug.exceptions import HTTPException

from app.core import rate_limits
from app.core.access import safe_next
from app.core.errors import REQUEST_TOO_LARGE, AppError

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/mp/api/", "/wecom/", "/api/")

HTTP_MESSAGES = {
    400: ("bad_request", "请求有误 Bad request"),
    403: ("forbidden", "没有权限 Forbidden"),
    404: ("not_found", "页面不存在 Not found"),
    405: ("method_not_allowed", "不支持该请求方式 Method not allowed"),
    410: ("gone", "内容已删除或已失效 Gone"),
    413: ("too_large", REQUEST_TOO_LARGE),
    429: ("too_many_requests", "请求过于频繁 Too many requests"),
    500: ("internal_error", "服务器出错了,请稍后再试 Internal error"),
    503: ("unavailable", "服务暂时不可用,请稍后再试 Service unavailable, try again later"),
}


def wants_json():
    return request.path.startswith(JSON_PREFIXES) or request.accept_mimetypes.best == "application/json"


def error_response(status, code, message, **details):
    if wants_json():
        body = {"code": code, "message": message} | ({"details": details} if details else {})
        return jsonify({"error": body}), status
    return render_template("error.html", status=status, code=code, message=message), status


def page_before():
    """The page of this site the request came from (its path and query, from the Referer: same-origin only), for
    the error page's 返回上一页; None when there is none."""
    before = urlsplit(request.referrer or "")
    if before.netloc != request.host or not before.path.startswith("/"):
        return None
    return safe_next(before.path + (f"?{before.query}" if before.query else ""))


def register(app):
    app.jinja_env.globals["page_before"] = page_before
    @app.errorhandler(AppError)
    def _app_error(exc):
        # An error that says when to retry (details.retry_after_s) also says it in the standard header.
        headers = {"Retry-After": str(exc.details["retry_after_s"])} if "retry_after_s" in exc.details else {}
        if wants_json():
            return jsonify(exc.to_dict()), exc.status, headers
        return (render_template("error.html", status=exc.status, code=exc.code, message=exc.message), exc.status,
                headers)

    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return error_response(400, "csrf_failed", "页面已过期,请刷新后重试 The form expired, reload and retry")

    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.response is not None:   # a page made for this refusal (the apply form's rate limit)
            return exc.response
        code, message = HTTP_MESSAGES.get(exc.code, ("http_error", exc.description or exc.name))
        if exc.code == 429:  # a rate limit: say how long to wait, not only in the Retry-After header
            wait = rate_limits.wait_seconds()
            return error_response(429, code, rate_limits.refusal(wait), **({"retry_after_s": wait} if wait else {}))
        return error_response(exc.code, code, message)

    @app.errorhandler(RedisConnectionError)
    @app.errorhandler(RedisTimeoutError)
    def _redis_down(exc):
        # Staff sessions, locks and queues live in Redis: while it is down the service is unavailable, not broken.
        log.error("Redis unavailable on %s %s: %s", request.method, request.path, exc)
        code, message = HTTP_MESSAGES[503]
        return error_response(503, code, message)

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        code, message = HTTP_MESSAGES[500]
        return error_response(500, code, message)

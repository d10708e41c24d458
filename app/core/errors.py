"""Domain errors: each carries a snake_case code, a message for people (Chinese first) and an HTTP status."""


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message, code=None, status=None, **details):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details

    def to_dict(self):
        body = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return {"error": body}


def _error(name, status, code):
    """An AppError subclass with its HTTP status and default code."""
    return type(name, (AppError,), {"status": status, "code": code, "__module__": __name__})


BadRequest = _error("BadRequest", 400, "bad_request")
Unauthorized = _error("Unauthorized", 401, "unauthorized")
Forbidden = _error("Forbidden", 403, "forbidden")
NotFound = _error("NotFound", 404, "not_found")
Conflict = _error("Conflict", 409, "conflict")
Gone = _error("Gone", 410, "gone")
TooLarge = _error("TooLarge", 413, "too_large")
# A request over the app's bounds (MAX_REQUEST_BYTES, or a form's text over MAX_FORM_BYTES), refused by Werkzeug
# before any page could keep what it carried: what happened and what to do (the error page adds 返回上一页).
REQUEST_TOO_LARGE = ("内容太长,没有保存 请返回上一页,删减文字(或换一个更小的文件)后重试。 "
                     "The request was too large and nothing was saved: go back, shorten it and try again.")
UnsupportedMediaType = _error("UnsupportedMediaType", 415, "unsupported_content_type")
TooManyAttempts = _error("TooManyAttempts", 429, "too_many_attempts")
Unprocessable = _error("Unprocessable", 422, "unprocessable")
ServiceUnavailable = _error("ServiceUnavailable", 503, "unavailable")


def found(value, message, code="not_found"):
    """`value` (a looked-up row), or NotFound with `message` (Chinese first) when it is None."""
    if value is None:
        raise NotFound(message, code=code)
    return value

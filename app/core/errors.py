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


class BadRequest(AppError):
    status = 400
    code = "bad_request"


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Gone(AppError):
    status = 410
    code = "gone"


class TooLarge(AppError):
    status = 413
    code = "too_large"


class Unprocessable(AppError):
    status = 422
    code = "unprocessable"


class ServiceUnavailable(AppError):
    status = 503
    code = "unavailable"


class TooManyAttempts(AppError):
    status = 429
    code = "too_many_attempts"

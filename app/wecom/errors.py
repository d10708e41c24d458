"""Errors raised by the WeCom client: permanent ones, and retryable ones that jobs back off on."""

# errcodes that mean "try again later": WeCom busy, rate limited.
RETRYABLE_ERRCODES = {-1, 45009}
# errcodes that mean "the access token is no good": refetch once and retry.
TOKEN_ERRCODES = {40014, 42001}


class WeComError(Exception):
    """WeCom answered an errcode other than 0 (or could not be understood)."""

    def __init__(self, errcode, errmsg=""):
        super().__init__(f"WeCom error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WeComRetryableError(WeComError):
    """A transient failure (busy, rate limited, timeout, 5xx): the job should retry with backoff."""


def error_for(errcode, errmsg=""):
    """The exception class instance for an errcode."""
    cls = WeComRetryableError if errcode in RETRYABLE_ERRCODES else WeComError
    return cls(errcode, errmsg)

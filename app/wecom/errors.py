"""Errors raised by the WeCom client: permanent ones, and retryable ones that jobs back off on."""

# errcodes that mean "try again later": WeCom busy, rate limited.
RETRYABLE_ERRCODES = {-1, 45009}
# errcodes that mean "the access token is no good": refetch once and retry.
TOKEN_ERRCODES = {40014, 42001}


# What HR reads when WeCom refuses a call made from a staff page (the errcode stays in brackets for support).
STAFF_WORDS = {
    60111: "企业微信里没有这个成员({errcode}),请检查账号",
    81013: "企业微信里没有这个成员({errcode}),请检查账号",
    45009: "企业微信接口调用太频繁({errcode}),请稍后再试",
    -1: "企业微信系统繁忙({errcode}),请稍后再试",
}


class WeComError(Exception):
    """WeCom answered an errcode other than 0 (or could not be understood)."""

    def __init__(self, errcode, errmsg=""):
        super().__init__(f"WeCom error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg

    @property
    def staff_message(self):
        """The refusal in HR's words, Chinese first; WeCom's own text for an errcode without words here."""
        words = STAFF_WORDS.get(self.errcode)
        if words:
            return words.format(errcode=self.errcode)
        return f"企业微信返回错误({self.errcode}):{self.errmsg} WeCom error {self.errcode}"


class WeComRetryableError(WeComError):
    """A transient failure (busy, rate limited, timeout, 5xx): the job should retry with backoff."""


def error_for(errcode, errmsg=""):
    """The exception class instance for an errcode."""
    cls = WeComRetryableError if errcode in RETRYABLE_ERRCODES else WeComError
    return cls(errcode, errmsg)

"""What every SMS provider client (tencent_sms.py, aliyun_sms.py) answers, so channels.py and codes.py treat them
alike: request-wide refusals raise SmsError, transient failures SmsRetryableError (the job retries); each number's
outcome is a SendStatus whose `verdict` says what the app does with it, read from the provider's own code table.
"""
from dataclasses import dataclass

# What a number's outcome means for the app.
OK = "ok"                  # accepted: 发送中 until the receipt
HOLD = "hold"              # the provider's per-number frequency limit: try again after `hold`
OPTED_OUT = "opted_out"    # the number is on the provider's do-not-disturb list: record an opt-out, next channel
BAD_NUMBER = "bad_number"  # the number is not a valid mobile number: next channel
FAILED = "failed"          # refused for a reason the deployment must fix (template, signature, balance ...)
RETRY = "retry"            # the provider failed for now: the job retries
# `hold` values: seconds to wait, or MORNING (until the next local morning).
MORNING = "morning"


class SmsError(Exception):
    """The provider refused the whole request (bad keys or signature, unknown app id ...)."""

    def __init__(self, code, message="", request_id=""):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.request_id = code, message, request_id


class SmsRetryableError(SmsError):
    """A transient failure (network, 5xx, the provider's internal error or request throttling): retry later."""


@dataclass(frozen=True)
class SendStatus:
    """The provider's answer for one number."""
    phone: str
    code: str
    message: str
    serial_no: str        # the provider's id of the SMS (Tencent SerialNo, Aliyun BizId): receipts match on it
    fee: int
    verdict: str = OK
    reason: str = ""      # the 失败 / 等待发送 reason shown to HR (Chinese); "{until}" is filled in for a HOLD
    hold: object = None   # HOLD: seconds or MORNING

    @property
    def ok(self):
        return self.verdict == OK

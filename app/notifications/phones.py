"""Mainland China mobile numbers as the SMS provider wants them (E.164, "+86" and 11 digits), and masked for pages."""
import re

from app.core.errors import BadRequest

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def to_e164(phone):
    """'138 0000 1234', '+86 13800001234', '008613800001234' -> '+8613800001234'; BadRequest otherwise."""
    digits = re.sub(r"[\s\-()]", "", phone or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not MOBILE.match(digits):
        raise BadRequest("请输入正确的11位手机号 Please enter a valid mainland China mobile number",
                         code="phone_invalid")
    return "+86" + digits


def e164_or_none(phone):
    """to_e164, or None for a number SMS cannot reach (a landline, a foreign number, nothing)."""
    try:
        return to_e164(phone)
    except BadRequest:
        return None


def mask(phone):
    """'+8613800001234' -> '138****1234' (what a page or a log may show)."""
    digits = re.sub(r"\D", "", phone or "")[-11:]
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else "****"

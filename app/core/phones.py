"""One way to read a phone number, everywhere: HR's invitation (form, `flask --app wsgi invite`, seed-demo), a
posting's application form, a resume sent to 微信客服, the SMS codes, a performance file, the workbench search.

What is accepted (PHONE_INVALID says it in words):
- a mainland China mobile: 11 digits starting with 13-19, optionally after +86, 0086 or 86;
- any other country's number: "+", its country code (not 86) and the rest, 7 to 15 digits in all (E.164).
Spaces, dashes and brackets between the digits are ignored; the text is read through Unicode NFKC first, so the
full-width digits, "＋", "－" and spaces a Chinese IME types become their ASCII selves. A landline, a short number or
a number with letters is refused: the invitation and every notice go by SMS.

The stored form (Candidate.phone), what `normalise` returns: a mainland mobile as its 11 digits ("13800001234"),
any other number as E.164 ("+442079460958"). Every comparison of phones compares stored forms; `canonical` reads a
value that may predate these rules (a landline HR typed once) the same way without refusing it, for lookups.
"""
import re
import unicodedata

from app.core.errors import BadRequest

PHONE_INVALID = ("手机号格式不正确:中国大陆手机号请填 11 位数字(以 13–19 开头,可加 +86),如 13800001234;"
                 "其他国家或地区的号码请以 + 和国家代码开头,共 7–15 位数字,如 +44 20 7946 0958。不接受座机号码。"
                 "Phone number is invalid: a mainland China mobile has 11 digits starting with 13-19 (+86 optional), "
                 "e.g. 13800001234; another country's number starts with + and its country code, 7 to 15 digits "
                 "in all, e.g. +44 20 7946 0958. Landlines are not accepted.")
NOT_MAINLAND_MOBILE = "请输入正确的11位手机号 Please enter a valid mainland China mobile number"

MAX_TYPED = 32                                 # characters as typed, separators included
MAINLAND = re.compile(r"^1[3-9][0-9]{9}$")
_SEPARATORS = re.compile(r"[\s\-()]")
_DIGITS = re.compile(r"^[0-9]+$")             # ASCII only: NFKC has made full-width digits ASCII already


def _typed(text):
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def _read(text):
    """The stored form of `text`, or None when it is not a phone number these rules accept."""
    typed = _typed(text)
    if not typed or len(typed) > MAX_TYPED:
        return None
    compact = _SEPARATORS.sub("", typed)
    international = compact.startswith("+")
    digits = compact[1:] if international else compact
    if not _DIGITS.match(digits):
        return None
    if international and not digits.startswith("86"):
        return "+" + digits if 7 <= len(digits) <= 15 and digits[0] != "0" else None
    if international:
        digits = digits[2:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if MAINLAND.match(digits) else None


def normalise(text):
    """The stored form of a typed phone number; BadRequest phone_invalid (saying what is accepted) otherwise."""
    stored = _read(text)
    if stored is None:
        raise BadRequest(PHONE_INVALID, code="phone_invalid")
    return stored


def canonical(text):
    """`normalise` for a value that may not pass today's rules (a stored landline, a file's cell): its stored form
    when it passes, else its digits (after a "+" when it had one), else the text itself. Never raises."""
    stored = _read(text)
    if stored is not None:
        return stored
    typed = _typed(text)
    digits = re.sub(r"[^0-9]", "", typed)
    if not digits:
        return typed
    return ("+" if typed.startswith("+") else "") + digits


def search_text(text):
    """What the workbench's search compares with Candidate.phone (a substring of the stored form): a whole number
    in any format as its stored form, a fragment such as "138-0000" as its digits, other text as typed."""
    stored = _read(text)
    if stored is not None:
        return stored
    typed = _typed(text)
    compact = _SEPARATORS.sub("", typed)
    return compact if compact and _DIGITS.match(compact.lstrip("+")) else typed


def to_e164(phone):
    """A mainland mobile in any accepted format -> '+8613800001234' (what the SMS providers take); BadRequest for
    anything else (a landline, another country's number, nothing)."""
    stored = _read(phone)
    if stored is None or stored.startswith("+"):
        raise not_mainland_mobile()
    return "+86" + stored


def not_mainland_mobile():
    """The refusal of a number an SMS cannot reach (400 phone_invalid, NOT_MAINLAND_MOBILE): one these rules refuse
    (to_e164) or one an SMS provider says does not exist (the SMS codes)."""
    return BadRequest(NOT_MAINLAND_MOBILE, code="phone_invalid")


def e164_or_none(phone):
    """to_e164, or None for a number SMS cannot reach (a landline, a foreign number, nothing)."""
    try:
        return to_e164(phone)
    except BadRequest:
        return None


# ITU-T E.164 country calling codes are a prefix code: 1 and 7 are one digit, these two-digit ones are whole codes,
# and every other code is three digits (e.g. 852, 886, 971).
_ONE_DIGIT_CODES = ("1", "7")
_TWO_DIGIT_CODES = frozenset(("20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 "
                              "63 64 65 66 81 82 84 86 90 91 92 93 94 95 98").split())


def country_code(phone):
    """(country calling code, the rest) of a phone in any accepted format: ("44", "2079460958") for
    "+442079460958", ("86", "13800001234") for a mainland mobile; None for what these rules do not read."""
    stored = _read(phone)
    if stored is None:
        return None
    if not stored.startswith("+"):
        return "86", stored
    digits = stored[1:]
    size = 1 if digits[0] in _ONE_DIGIT_CODES else 2 if digits[:2] in _TWO_DIGIT_CODES else 3
    return digits[:size], digits[size:]


def mask(phone):
    """'+8613800001234' -> '138****1234' (what a page or a log may show)."""
    digits = re.sub(r"\D", "", phone or "")[-11:]
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else "****"

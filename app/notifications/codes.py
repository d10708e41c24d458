"""SMS codes that prove a phone: 6 digits, valid 5 minutes, 5 tries, single use, only an HMAC (keyed with the app's
SECRET_KEY) stored. Asking is rate-limited per phone (1 a minute, 5 an hour, 10 a day) and per client address (10 an
hour, 30 a day) and for all phones together (SMS_CODES_PER_HOUR); checking per client address (30 an hour), so
nobody can spray guesses across many phones.

`request_code` sends the SMS at once (the person waits for it; the code is never written anywhere in plain text,
not even in a job's arguments). `verify_code` answers a signed proof (phone + purpose, valid PROOF_SECONDS) that a
page keeps and hands to the service it protects, which checks it with `check_proof`.
"""
import datetime as dt
import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.core import rate_limits, sms
from app.core.base import utcnow
from app.core.errors import BadRequest, ServiceUnavailable, TooManyAttempts
from app.core.extensions import settings
from app.core.phones import mask, not_mainland_mobile, to_e164
from app.notifications import catalogue
from app.notifications.channels import sms_client, sms_template_id
from app.notifications.models import PhoneCode
from app.notifications.providers import sms_base
from app.notifications.providers.sms_base import SmsError, SmsRetryableError

CODE_MINUTES = 5
MAX_TRIES = 5
PROOF_SECONDS = 15 * 60
# Why a phone must be proven (phase 2 wires each one).
PURPOSES = {"apply_merge": "合并同一手机号的申请", "data_export": "导出个人数据", "data_deletion": "删除个人数据",
            "identity": "身份验证"}
PHONE_LIMITS = ((1, 60), (5, 3600), (10, 86400))
IP_LIMITS = ((10, 3600), (30, 86400))
VERIFY_IP_LIMITS = ((30, 3600),)


def _hash(phone, purpose, code):
    message = f"{purpose}:{phone}:{code}".encode()
    return hmac.new(settings["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()


def _check_purpose(purpose):
    if purpose not in PURPOSES:
        raise BadRequest("验证用途不正确 Unknown purpose", code="purpose_invalid")


def _limit(scope, who, limits, message):
    """Count one use of `who` in each window; TooManyAttempts (with the seconds to wait) past a limit."""
    wait = rate_limits.count_use(f"notifications:codes:{scope}:{who}", limits)
    if wait is not None:
        raise TooManyAttempts(message.format(wait=_wait_words(wait)), code="too_many_code_requests",
                              retry_after_s=wait)


def _wait_words(seconds):
    if seconds < 90:
        return f"{seconds} 秒"
    if seconds < 5400:
        return f"{-(-seconds // 60)} 分钟"
    return f"{-(-seconds // 3600)} 小时"


def request_code(phone, purpose, ip):
    """Send a new code to `phone` for `purpose`; {"phone": masked, "expires_in": s, "resend_in": s}."""
    _check_purpose(purpose)
    phone = to_e164(phone)
    _limit("ip", ip or "-", IP_LIMITS, "获取验证码太频繁,请 {wait}后再试 Too many requests from this network")
    _limit("phone", phone, PHONE_LIMITS, "验证码已发送,请 {wait}后再重新获取 Please wait before asking again")
    # All phones together: a public endpoint that sends SMS is a target for SMS pumping (many numbers, many
    # addresses); past this the service pauses instead of paying for it.
    _limit("all", "all", ((settings["SMS_CODES_PER_HOUR"], 3600),),
           "验证码服务繁忙,请 {wait}后再试 The code service is busy, try again later")
    if not sms.on():
        raise ServiceUnavailable("短信服务未开通,暂时无法发送验证码 SMS is not available", code="sms_unavailable")
    template_id = sms_template_id("code")
    if not template_id:
        raise ServiceUnavailable("验证码短信模板未配置 SMS code template is not configured", code="sms_unavailable")
    code = f"{secrets.randbelow(10 ** 6):06d}"
    now = utcnow()
    # A new code replaces the older ones of this phone and purpose.
    PhoneCode.update(used_at=now).where((PhoneCode.phone == phone) & (PhoneCode.purpose == purpose)
                                        & PhoneCode.used_at.is_null()).execute()
    row = PhoneCode.create(phone=phone, purpose=purpose, code_hash=_hash(phone, purpose, code),
                           expires_at=now + dt.timedelta(minutes=CODE_MINUTES), created_at=now)
    try:
        params = catalogue.sms_named_params("code", {"code": code, "minutes": CODE_MINUTES})
        [status] = sms_client().send([phone], template_id, params, session_context="code")
    except (SmsError, SmsRetryableError) as exc:
        row.delete_instance()
        raise ServiceUnavailable("验证码短信发送失败,请稍后再试 Could not send the code, try again later",
                                 code="sms_failed") from exc
    if not status.ok:
        row.delete_instance()
        if status.verdict == sms_base.HOLD:
            raise TooManyAttempts("该手机号接收短信太频繁,请稍后再试 This number got too many SMS, try later",
                                  code="too_many_code_requests")
        if status.verdict == sms_base.BAD_NUMBER:
            raise not_mainland_mobile()   # the phone rules' words (app/core/phones.py): one message
        raise ServiceUnavailable("验证码短信发送失败,请稍后再试 Could not send the code, try again later",
                                 code="sms_failed")
    return {"phone": mask(phone), "expires_in": CODE_MINUTES * 60, "resend_in": PHONE_LIMITS[0][1]}


def verify_code(phone, purpose, code, ip):
    """Check `code`; returns a proof token for (phone, purpose). BadRequest / TooManyAttempts say why not."""
    _check_purpose(purpose)
    phone = to_e164(phone)
    _limit("verify-ip", ip or "-", VERIFY_IP_LIMITS, "尝试次数太多,请 {wait}后再试 Too many attempts")
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise BadRequest("请输入短信中的6位数字验证码 Enter the 6-digit code", code="code_format")
    now = utcnow()
    row = (PhoneCode.select().where((PhoneCode.phone == phone) & (PhoneCode.purpose == purpose)
                                    & PhoneCode.used_at.is_null() & (PhoneCode.expires_at > now))
           .order_by(PhoneCode.created_at.desc()).first())
    if row is None:
        raise BadRequest("验证码已过期或已使用,请重新获取 The code expired, ask for a new one", code="code_expired")
    # Count the try before comparing (a conditional UPDATE: two requests cannot both use the last try).
    counted = (PhoneCode.update(attempts=PhoneCode.attempts + 1)
               .where((PhoneCode.id == row.id) & (PhoneCode.attempts < MAX_TRIES) & PhoneCode.used_at.is_null())
               .execute())
    if not counted:
        raise TooManyAttempts("验证码错误次数过多,请重新获取 Too many wrong codes, ask for a new one",
                              code="code_tries_used")
    if not hmac.compare_digest(row.code_hash, _hash(phone, purpose, code)):
        left = MAX_TRIES - row.attempts - 1
        if left <= 0:
            raise TooManyAttempts("验证码错误次数过多,请重新获取 Too many wrong codes, ask for a new one",
                                  code="code_tries_used")
        raise BadRequest(f"验证码不正确,还可以再试 {left} 次 Wrong code", code="code_wrong", tries_left=left)
    used = (PhoneCode.update(used_at=now).where((PhoneCode.id == row.id) & PhoneCode.used_at.is_null()).execute())
    if not used:
        raise BadRequest("验证码已过期或已使用,请重新获取 The code expired, ask for a new one", code="code_expired")
    return _serializer().dumps({"phone": phone, "purpose": purpose})


def _serializer():
    return URLSafeTimedSerializer(settings["SECRET_KEY"], salt="phone-proof")


def check_proof(proof, phone, purpose, max_age=PROOF_SECONDS):
    """True when `proof` (from verify_code) proves `phone` for `purpose` and is younger than `max_age` seconds."""
    try:
        data = _serializer().loads(proof or "", max_age=max_age)
    except (BadSignature, SignatureExpired):
        return False
    try:
        return data == {"phone": to_e164(phone), "purpose": purpose}
    except BadRequest:
        return False


def purge_expired(older_than=dt.timedelta(days=1)):
    """Delete codes a day after they expired (the retention purge may call it); returns how many."""
    return PhoneCode.delete().where(PhoneCode.expires_at < utcnow() - older_than).execute()

"""An SMS code before a candidate's own data leaves (export) or is asked to be deleted (issue 21): the link token
alone proves only that someone holds the link (it may have been forwarded), so with SMS on the candidate also types
the code sent to the phone they applied with (notifications.codes; purposes data_export and data_deletion). Without
SMS (SMS_PROVIDER=off) or for a number SMS cannot reach (a landline) the token alone opens them, as before."""
from app.core import sms
from app.core.errors import Forbidden
from app.core.phones import e164_or_none
from app.notifications import codes

EXPORT, DELETION = "data_export", "data_deletion"


def required(application):
    """Whether this candidate must prove their phone first."""
    return sms.on() and e164_or_none(application.candidate.phone) is not None


NOT_VERIFIED = "请先验证手机号:点「获取验证码」,填写短信里的 6 位验证码后点「验证」,再提交。"


def proven(application, proof, purpose):
    """Whether `proof` (the code block's phone_proof) proves the application's phone for `purpose`, or none is
    needed."""
    return not required(application) or codes.check_proof(proof, application.candidate.phone, purpose)


def check(application, proof, purpose):
    """Forbidden unless `proof` proves the application's phone for `purpose` (`proven`)."""
    if not proven(application, proof, purpose):
        raise Forbidden("请先用投递时填写的手机号获取并填写短信验证码 Verify the phone you applied with first",
                        code="phone_not_verified")

"""An applicant who applied before with the same phone joins the new application to their earlier candidate record
by typing the SMS code sent to that phone (purpose apply_merge): `screening.ownership.join_candidate` with
`Proof.phone_code`. A phone typed into a posting proves nothing on its own (tests/security/test_phone_ownership.py),
so without the code the application stays under its own record (HR may still join records side by side).

The page never says whether an earlier record exists before the code is checked (the phone may be someone
else's): it offers the step to everyone who applied through a posting while SMS is on."""
from app.core import sms
from app.core.errors import AppError, Forbidden
from app.notifications import codes
from app.screening import intake, ownership

PURPOSE = "apply_merge"


def offered():
    return sms.on()


def join_with_code(token, proof):
    """Join the application of the posting link `token` to every earlier record with its phone, given a proof of
    that phone; returns (joined record ids, refusals: [message])."""
    application = intake.find_intake(token).application
    phone = application.candidate.phone
    if not offered() or not codes.check_proof(proof, phone, PURPOSE):
        raise Forbidden("请先用投递时填写的手机号获取并填写短信验证码 Verify the phone you applied with first",
                        code="phone_not_verified")
    joined, refused = [], []
    for record, _ in ownership.same_phone_records(application):
        try:
            ownership.join_candidate(application.id, record.id, ownership.Proof.phone_code(phone))
            joined.append(record.id)
            break  # the application now belongs to that record; the others (if any) are HR's to compare
        except AppError as exc:
            refused.append(exc.message)
    return joined, refused

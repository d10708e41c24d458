"""HR records a candidate's withdrawal of biometric consent (the candidate asked by phone, message or letter):
the way a withdrawal reaches the platform once the interview ended, when the candidate's own consent step answers
409 interview_finished. It does what the candidate's withdrawal does (interview_flow.withdraw_biometrics: the
consent record, the face photo and the answers' face results erased, answers scored with expressions scored again)
and amends the report already built and its result card (app/interview/withdrawn_report.py)."""
from app.core.base import utcnow
from app.core.errors import Conflict, found
from app.core.tx import transaction
from app.interview import flow, withdrawn_report
from app.interview.answers import locked_interview
from app.interview.models import Interview, Report


def withdrawable(application_ids):
    """The interviews of these applications whose biometric consent stands (HR may record its withdrawal)."""
    return list(Interview.select().where(Interview.application.in_(list(application_ids) or [0])
                                         & (Interview.consent_biometric == True))  # noqa: E712
                .order_by(Interview.id))


def record_withdrawal(interview_id):
    """Withdraw the interview's biometric consent on the candidate's behalf. Returns the Interview; Conflict when
    there is no biometric consent to withdraw (never given, or withdrawn already)."""
    found(Interview.get_or_none(Interview.id == interview_id), "找不到该面试 Interview not found",
          code="interview_not_found")
    with transaction():
        interview = locked_interview(interview_id)
        if interview.consent_biometric is not True:
            raise Conflict("该面试没有生效的生物识别同意(未同意或已撤回),无需再次撤回 No biometric consent to withdraw",
                           code="no_biometric_consent")
        rescore = flow.withdraw_biometrics(interview, interview.consent_text_version or flow.CONSENT_VERSION,
                                           utcnow())
        interview.save()
        report = Report.get_or_none(Report.interview == interview.id)
        if report is not None:
            withdrawn_report.amend(report, rescoring=rescore)
    return Interview.get_by_id(interview_id)

"""Biometric consent withdrawn: the face results derived from it are erased, not only the face photo.

Biometric processing is opt-in (docs/privacy.md). A withdrawal (interview_flow.withdraw_biometrics: the candidate's
consent step with biometric False while the interview is open, or HR recording it for them afterwards,
app/interview/late_withdrawal.py) deletes the reference face photo and, in the same transaction, every result
derived from biometrics that is stored on the interview's answers: the face check of each answer (`Answer.video`:
face counts, identity match, flags, expression probabilities) is replaced by a note that it was erased, and an answer
scored with expressions (a job with `use_expressions`) is scored again without them. The recordings stay: they are
covered by the recording consent.

A report holds copies of the face flags (`Report.flags`, `Report.integrity`). A report built after the withdrawal
reads the erased answers and says why there is no face check. A report already built (HR recorded the withdrawal
after the interview ended) loses its face flags in the same transaction, is written again once the answers are
re-scored, and its result card is updated, not sent again (app/interview/withdrawn_report.py).
"""
from app.interview.models import Answer, AnswerStatus, ConsentRecord

# Stored as `Answer.video["skipped"]` of an erased face check (compared as written: do not reword it).
WITHDRAWN = "候选人已撤回生物识别同意,人脸核验结果已删除 biometric consent withdrawn, face results erased"
WITHDRAWN_NOTE = "候选人已撤回生物识别同意，人脸核验结果已删除"   # what the report's face check says then


def erased():
    """The `Answer.video` of an answer whose face results were erased (or never made) after a withdrawal."""
    return {"skipped": WITHDRAWN, "flags": []}


def was_withdrawn(interview):
    """Did the candidate give biometric consent and withdraw it (not: never gave it)?"""
    return interview.consent_biometric is False and ConsentRecord.select().where(
        (ConsentRecord.interview == interview.id) & (ConsentRecord.kind == "biometric")
        & ConsentRecord.granted).exists()


def erase_face_results(interview_id):
    """Inside the withdrawal's transaction: erase the face results of the interview's answers. Returns the ids of the
    answers scored with the face's expression probabilities, put back to be scored again (the caller queues them
    after commit)."""
    rescore = []
    for answer in Answer.select().where((Answer.interview == interview_id) & Answer.video.is_null(False)):
        video = answer.video or {}
        if video.get("skipped") == WITHDRAWN:
            continue
        fields = {"video": erased()}
        if video.get("emotions") and answer.status == AnswerStatus.SCORED:
            # Its expression score mixed in the face's expression probabilities: score it again without them.
            fields.update(scores=None, status=AnswerStatus.ANALYSED)
            rescore.append(answer.id)
        Answer.update(fields).where(Answer.id == answer.id).execute()
    return rescore

"""A built report and its result card after a late withdrawal of biometric consent (HR records it once the
interview ended: app/interview/late_withdrawal.py).

The answers' face results are erased by the withdrawal (app/interview/biometrics.py); the report holds copies of
them (`Report.flags`, `Report.integrity`). In the withdrawal's transaction `amend` takes every face flag out and
marks the face check not run, saying why (biometrics.WITHDRAWN_NOTE). When answers scored with expressions are
scored again, the report waits for them (`integrity["rescoring"]`); the answer chain then runs REFRESH_REPORT
instead of building a report, which writes it again from the re-scored answers (same id, same stage).

The result card is updated once the report is final (`AMEND_RESULT_CARD`), never sent a second time: a card not
sent yet (or waiting to be sent again) simply goes out with the amended content; an undecided card is replaced in
WeCom with the send's response code (its buttons stay live; a later tap brings a new code), with a quoted line
saying why; a decided card waiting to be greyed out is greyed with the amended content. A card whose response code
is used up (already greyed, or past WeCom's 72 hours) cannot be changed: it keeps its face line, so its recipients
get a message saying the face check no longer applies (once); its row records that, the report it opens shows the
amended report.
"""
import logging

from app.core import jobs, links
from app.core.base import JSONField, utcnow
from app.core.jobs import JobSpec
from app.core.queues import FAST, SCORING
from app.core.tx import transaction
from app.interview import integrity, reports, result_cards
from app.interview.answer_analysis import interview_ready_for_report, interviews_ready_for_report
from app.interview.answers import locked_interview
from app.interview.models import CardMessage, CardStatus, Interview, Report
from app.wecom import WeComError, WeComRetryableError
from app.wecom.cards import replace_card
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)

CARD_NOTE = "候选人已撤回生物识别同意，人脸核验结果已从报告中删除"
CODE_USED = "候选人撤回生物识别同意后未能更新卡片:response_code 已用完或已过期"
TOLD = ",已发消息告知卡片接收人"
UNCHANGED_NOTE = ("候选人已撤回生物识别同意，人脸核验结果已从报告中删除。此前发出的AI面试结果卡片已无法更新，"
                  "卡片上的人脸核验提示不再适用，请以报告为准。")


def amend(report, rescoring):
    """Inside the withdrawal's transaction: the report without its face flags; `rescoring` (answers queued to be
    scored again) keeps the report waiting for them, else its card is updated after commit."""
    checks = integrity.without_faces(reports.integrity_of(report))
    if rescoring:
        checks["rescoring"] = True   # cleared when the report is written again from the re-scored answers
    Report.update(flags=checks["flags"], integrity=checks).where(Report.id == report.id).execute()
    if not rescoring:
        jobs.enqueue_after_commit(AMEND_RESULT_CARD, report.id, recovery="none: HR can record the withdrawal again")


def awaits_rescoring(interview_id):
    """Does the interview's report wait for answers scored again after a late withdrawal?"""
    report = Report.get_or_none(Report.interview == interview_id)
    return report is not None and bool((report.integrity or {}).get("rescoring"))


def refresh_report(interview_id):
    """Once every counted answer is scored again: write the waiting report from them and update its card. Returns
    the report, or None while it still waits (or waits for nothing)."""
    if not awaits_rescoring(interview_id) or not interview_ready_for_report(interview_id):
        return None
    with transaction():
        locked_interview(interview_id)   # one run writes it (PostgreSQL: FOR UPDATE; SQLite: one writer)
        report = Report.get(Report.interview == interview_id)
        if not (report.integrity or {}).get("rescoring"):
            return None   # another run did it
        reports.rewrite_report(report)
        jobs.enqueue_after_commit(AMEND_RESULT_CARD, report.id, recovery="none: HR can record the withdrawal again")
    log.info("report %s written again after a biometric withdrawal", report.id)
    return Report.get_by_id(report.id)


def amend_result_card(report_id):
    """Bring the report's result card in line with the amended report, without sending it again. Returns what was
    done: "none" (no card of this report), "done" (an earlier run did it), "stored" (not out yet or waiting for its
    grey-out: the amended card is what goes out), "replaced" (updated in WeCom), "stuck" (no usable response
    code: its recipients are told by message)."""
    report = Report.get_or_none(Report.id == report_id)
    row = _card_to_amend(report)
    if row is None:
        return "none"
    card = _amended_card(report, row)
    if card == row.card and (row.response_code_used or row.error.startswith(CODE_USED)):
        return "done"   # an earlier run updated it, or told its recipients it could not
    CardMessage.update(card=card, updated_at=utcnow()).where(CardMessage.id == row.id).execute()
    if _goes_out_later(row):
        return "stored"
    return _replace_in_wecom(row, card, report)


def _card_to_amend(report):
    """The result card row of a final amended report; None when the report is gone or still waits for answers
    scored again (refresh_report amends it later), when no card was sent yet (push_result_card reads the amended
    report) or the card is an earlier interview's."""
    if report is None or (report.integrity or {}).get("rescoring"):
        return None
    row = result_cards.card_of(result_cards.result_card_key(report.interview.application_id))
    if row is None or row.created_at < report.created_at:
        return None
    return row


def _amended_card(report, row):
    """The card's content from the amended report, under the card's own task id (its buttons stay live)."""
    return result_cards.build_result_card(report.interview.application,
                                          reports.card_summary(report, links.report_url(report.id)),
                                          task_id=row.task_id)


def _goes_out_later(row):
    """Whether the stored card is what goes out anyway: not sent yet or waiting to be sent again, or decided and
    waiting to be greyed out."""
    return row.status in (CardStatus.SENDING, CardStatus.RETRY, CardStatus.FAILED) or bool(
        row.decision and row.status == CardStatus.DECIDED and not row.response_code_used)


def _replace_in_wecom(row, card, report):
    """Replace the undecided card in WeCom with its response code: "replaced", or "stuck" when the code is missing,
    used up or refused (the row says so, and its recipients are told by message). A transient WeCom failure
    raises: the job is retried."""
    if not row.response_code or row.response_code_used:
        _tell_card_unchanged(row, report)
        CardMessage.update(error=f"{CODE_USED}{TOLD}").where(CardMessage.id == row.id).execute()
        return "stuck"
    try:
        replace_card(row.userids, row.response_code, card, CARD_NOTE)
    except WeComRetryableError:
        raise
    except WeComError as exc:   # WeCom refused the code: it cannot be used again
        _tell_card_unchanged(row, report)
        CardMessage.update(response_code_used=True, error=f"{CODE_USED}{TOLD} ({exc})").where(
            CardMessage.id == row.id).execute()
        return "stuck"
    CardMessage.update(response_code_used=True, error="").where(CardMessage.id == row.id).execute()
    return "replaced"


def _tell_card_unchanged(row, report):
    """WeCom cannot change the card any more (greyed by a decision, or its response code older than 72 hours): it
    keeps showing the face line, so its recipients are told in a message that the face check no longer applies."""
    application = report.interview.application
    send_markdown(row.userids, f"**{plain(application.candidate.name)}** · {plain(application.job.title)}\n"
                               f"> {UNCHANGED_NOTE}\n[查看报告]({links.report_url(report.id)})")


# How `"rescoring": true` reads in the stored integrity column (JSONField's own encoding), so the sweep asks the
# database for the reports that wait instead of reading every withdrawn report.
_RESCORING_TEXT = JSONField().db_value({"rescoring": True})[1:-1]


def stranded_refreshes():
    """Interviews whose waiting report can be written now (its job was lost): for the interview sweep, every 20 s.
    A bounded number of queries however many reports there are: the waiting ones, then their readiness."""
    waiting = (Report.select(Report.interview, Report.integrity).join(Interview)
               .where((Interview.consent_biometric == False)  # noqa: E712
                      & Report.integrity.coerce(False).contains(_RESCORING_TEXT)))
    waiting = [r.interview_id for r in waiting if (r.integrity or {}).get("rescoring")]
    return sorted(interviews_ready_for_report(waiting)) if waiting else []


REFRESH_REPORT = JobSpec(refresh_report, SCORING, "refresh-report-{0}-{key}")
AMEND_RESULT_CARD = JobSpec(amend_result_card, FAST, "amend-result-card-{0}")

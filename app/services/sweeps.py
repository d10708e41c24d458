"""Sweeps that run on a schedule (workers/scheduler.py) and at worker start: nothing stays stranded.

A step is stranded when its job was never enqueued (Redis failed after the commit) or its worker died
mid-job. Every job here is idempotent and has a deterministic id, so a sweep that finds work already queued or
running adds nothing.
"""
import logging
import time

from app.services import answer_analysis, jobs, playback, result_cards, wecom_events

log = logging.getLogger(__name__)


def _bucket():
    """A key that changes every minute: a job a dead worker left "started" under an older key cannot block."""
    return f"sweep{int(time.time()) // 60}"


def resume_unfinished():
    """Re-enqueue what was left unfinished (answer steps, reports, result cards, card updates, WeCom events whose
    job's retries ran out); return how many."""
    count = 0
    for answer in answer_analysis.unfinished_answers():
        answer_analysis.continue_answer(answer)
        count += 1
    for answer in playback.answers_without_playback():
        jobs.enqueue(jobs.PREPARE_PLAYBACK, answer.id)
        count += 1
    for interview_id in answer_analysis.interviews_awaiting_report():
        jobs.enqueue(jobs.BUILD_REPORT, interview_id, key="sweep")
        count += 1
    for report_id in result_cards.unsent_result_cards():
        jobs.enqueue(jobs.PUSH_RESULT_CARD, report_id, key=_bucket())
        count += 1
    for card_id, decision in result_cards.cards_awaiting_update():
        jobs.enqueue(jobs.UPDATE_DECISION_CARD, card_id, decision)
        count += 1
    count += wecom_events.retry_stranded()
    if count:
        log.info("sweep re-enqueued %s unfinished steps", count)
    return count


def purge_retention():
    """Delete media and message attachments past RETENTION_DAYS, attachments never sent after a day, chunks of
    uploads that can never complete and QR codes of dead links; return the counts."""
    from app.services.retention import (
        purge_abandoned_uploads,
        purge_dead_link_qr_codes,
        purge_expired_attachments,
        purge_expired_media,
        purge_unsent_attachments,
    )

    interviews, files = purge_expired_media()
    return {"interviews": interviews, "files": files, "attachments": purge_expired_attachments(),
            "unsent_attachments": purge_unsent_attachments(), "abandoned_uploads": purge_abandoned_uploads(),
            "qr_codes": purge_dead_link_qr_codes()}

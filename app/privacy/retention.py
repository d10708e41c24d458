"""Retention: delete recordings and face photos once their retention period is over, data packages (the
export with its files, app/privacy/archive.py) once PRIVACY_ARCHIVE_DAYS have passed, and the content of WeCom
callbacks WECOM_EVENT_DAYS after they were handled.

The consent text promises deletion; `flask --app wsgi retention purge` (run it daily, e.g. from cron) keeps the
promise. Transcripts, scores and the report stay: they are the hiring record.
"""
import datetime as dt
import logging

from peewee import fn

from app.conversation.models import Attachment, AttachmentUpload
from app.core.base import utcnow
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.models import EventStatus, WeComEvent
from app.core.queues import FAST
from app.core.storage import get_storage
from app.core.tx import transaction
from app.interview.invitations import qr_path
from app.interview.models import Answer, Interview, InterviewStatus, Upload, UploadStatus
from app.interview.uploads import drop_chunks
from app.privacy import archive

log = logging.getLogger(__name__)


def expired_interviews(now=None, days=None):
    """Interviews that ended (completed, or their link expired) more than `days` days ago and still hold media (a
    face photo, or an answer not yet purged): the ones purged before are not looked at again every run."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=settings["RETENTION_DAYS"] if days is None else days)
    ended = fn.COALESCE(Interview.completed_at, Interview.expires_at)
    unpurged = Answer.select(Answer.interview).where(Answer.media_purged_at.is_null())
    return list(Interview.select().where((ended < cutoff)
                                         & ((Interview.reference_image != "") | Interview.id.in_(unpurged))))


def purge_interview_media(interview):
    """Delete one interview's recordings and face photo; return how many files went."""
    storage = get_storage()
    answers = list(Answer.select().where((Answer.interview == interview.id) & Answer.media_purged_at.is_null()))
    removed = 0
    for answer in answers:
        for key in (answer.media_key, answer.playback_key, answer.poster_key):
            if key and storage.exists(key):
                storage.delete(key)
                removed += 1
    if interview.reference_image and storage.exists(interview.reference_image):
        storage.delete(interview.reference_image)
        removed += 1
    with transaction():
        Answer.update(media_purged_at=utcnow()).where(Answer.id.in_([a.id for a in answers])).execute()
        Interview.update(reference_image="").where(Interview.id == interview.id).execute()
    return removed


def purge_expired_attachments(now=None, days=None):
    """Delete the files candidates sent with messages (app/conversation) once RETENTION_DAYS have passed since
    they were sent; the message text stays with the hiring record. Returns how many files went."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(days=settings["RETENTION_DAYS"] if days is None else days)
    storage = get_storage()
    removed = 0
    for attachment in Attachment.select().where(Attachment.created_at < cutoff):
        if storage.exists(attachment.storage_key):
            storage.delete(attachment.storage_key)
            removed += 1
    if removed:
        log.info("retention: purged %s attachment files", removed)
    return removed


# A file uploaded but not sent with a message within this long was abandoned (a draft left behind): it goes, and
# so do the chunks of attachment uploads never completed.
UNSENT_ATTACHMENT_HOURS = 24


def purge_unsent_attachments(now=None):
    """Delete attachments never sent with a message UNSENT_ATTACHMENT_HOURS after their upload (file and row), and
    the chunks of attachment uploads never completed; return how many attachments went."""
    cutoff = (now or utcnow()) - dt.timedelta(hours=UNSENT_ATTACHMENT_HOURS)
    storage = get_storage()
    removed = 0
    for attachment in Attachment.select().where(Attachment.message.is_null() & (Attachment.created_at < cutoff)):
        with transaction():
            AttachmentUpload.update(attachment=None).where(AttachmentUpload.attachment == attachment.id).execute()
            # Conditional: a message that took the file meanwhile keeps it.
            gone = Attachment.delete().where((Attachment.id == attachment.id) & Attachment.message.is_null()).execute()
        if gone:
            if storage.exists(attachment.storage_key):
                storage.delete(attachment.storage_key)
            removed += 1
    stale = list(AttachmentUpload.select(AttachmentUpload.id).where(
        (AttachmentUpload.status == UploadStatus.OPEN) & (AttachmentUpload.created_at < cutoff)))
    for upload in stale:
        drop_chunks(upload.id)
    if stale:
        (AttachmentUpload.update(status=UploadStatus.ABANDONED)
         .where(AttachmentUpload.id.in_([u.id for u in stale])).execute())
    if removed or stale:
        log.info("retention: purged %s unsent attachments and %s unfinished attachment uploads", removed, len(stale))
    return removed


def purge_expired_media(now=None, days=None, dry_run=False):
    """Delete the media of every interview past its retention period; return (interviews, files)."""
    interviews = expired_interviews(now, days)
    if dry_run:
        return len(interviews), 0
    files = sum(purge_interview_media(interview) for interview in interviews)
    log.info("retention: purged %s files of %s interviews", files, len(interviews))
    return len(interviews), files


def purge_abandoned_uploads(now=None):
    """Delete the chunks of uploads that can no longer complete (the interview ended); return how many."""
    now = now or utcnow()
    ended = Interview.status.in_(InterviewStatus.ENDED) | (Interview.expires_at < now)
    uploads = list(Upload.select(Upload.id).join(Interview).where((Upload.status == UploadStatus.OPEN) & ended))
    for upload in uploads:
        drop_chunks(upload.id)
    if uploads:
        Upload.update(status=UploadStatus.ABANDONED).where(Upload.id.in_([u.id for u in uploads])).execute()
    return len(uploads)


def purge_dead_link_qr_codes(now=None):
    """Delete the QR code PNGs (MEDIA_ROOT/qr/) of links that no longer work; return how many went.

    A QR code is the live link itself: it goes when the interview ends, expires or is replaced by a new invitation,
    and with any interview that no longer exists.
    """
    folder = qr_path(0).parent
    if not folder.is_dir():
        return 0
    now = now or utcnow()
    live = {row.id for row in Interview.select(Interview.id).where(
        Interview.status.in_(InterviewStatus.OPEN) & (Interview.expires_at >= now))}
    removed = 0
    for path in folder.glob("interview-*.png"):
        suffix = path.stem.rsplit("-", 1)[-1]
        if not suffix.isdigit() or int(suffix) not in live:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def blank_old_callbacks(now=None, days=None):
    """Blank the decrypted XML and payload of WeCom callbacks handled (or refused, ignored, failed) more than
    WECOM_EVENT_DAYS ago: an approval's comments, an external contact's id. The row stays (its UNIQUE dedupe key
    still refuses a redelivery; type, status and result remain the audit). Returns how many were blanked."""
    cutoff = (now or utcnow()) - dt.timedelta(days=settings["WECOM_EVENT_DAYS"] if days is None else days)
    blanked = (WeComEvent.update(raw_xml="", payload={})
               .where(WeComEvent.status.in_(EventStatus.FINAL) & (WeComEvent.created_at < cutoff)
                      & (WeComEvent.raw_xml != "")).execute())
    if blanked:
        log.info("retention: blanked %s WeCom callbacks", blanked)
    return blanked


def purge(days=None):
    """Delete media and message attachments past RETENTION_DAYS (or `days`), attachments never sent after a day,
    chunks of uploads that can never complete, QR codes of dead links, expired data packages and old WeCom
    callbacks' content; return the counts."""
    interviews, files = purge_expired_media(days=days)
    return {"interviews": interviews, "files": files, "attachments": purge_expired_attachments(days=days),
            "unsent_attachments": purge_unsent_attachments(), "abandoned_uploads": purge_abandoned_uploads(),
            "qr_codes": purge_dead_link_qr_codes(), "archives": archive.purge_expired(),
            "wecom_callbacks": blank_old_callbacks()}


PURGE_RETENTION = JobSpec(purge, FAST, "purge-retention", retries=0)

"""Attachments the candidate sends: the answers' resumable chunked upload (app/interview/uploads.py) for any file,
then the type detected from the bytes, a size limit, and storage under MEDIA_ROOT/attachments/<application>/.

The same upload carries the documents of the background check and the onboarding checklist (purpose
`hr_document`, models.Purpose): they are stored the same way but are not chat attachments: `for_message` and
`open_for` (every chat route) refuse them; app/process/documents.py serves them to HR only."""
from app.conversation import filetypes
from app.conversation.models import Attachment, AttachmentUpload, Purpose
from app.core.candidate_files import clean_filename
from app.core.converters import DB_INT_MAX
from app.core.errors import BadRequest, Conflict, Gone, NotFound, TooLarge, Unprocessable, found
from app.core.extensions import settings
from app.core.locks import completion_lock
from app.core.storage import get_storage
from app.core.tx import transaction
from app.interview import uploads
from app.interview.models import UploadStatus

MAX_PER_MESSAGE = 5
# Also what a candidate hears when an attachment left unsent for a day was purged (app/privacy/retention.py).
GONE_MESSAGE = ("附件不存在或已发送;上传后一天内未发送的附件会被清理,请重新上传 "
                "Attachment not found or already sent (files not sent within a day are removed: upload it again)")


def max_bytes():
    return settings["ATTACHMENT_MAX_BYTES"]


# The stages at which the candidate is asked for documents (background check, onboarding checklist).
DOCUMENT_STAGES = ("background_check", "onboarding")


def accepted_types(purpose):
    """What an upload of this purpose takes (filetypes.CHAT or, for a check or checklist document,
    filetypes.DOCUMENTS)."""
    return filetypes.DOCUMENTS if purpose == Purpose.HR_DOCUMENT else filetypes.CHAT


def init_upload(interview, filename, total_bytes, purpose=None):
    """Open an upload session for one attachment (or, purpose hr_document, one document) of the interview's
    application."""
    purpose = Purpose.CHAT if purpose is None else purpose
    if purpose not in Purpose.VALUES:
        raise BadRequest("purpose 只能是 chat 或 hr_document purpose must be chat or hr_document",
                         code="invalid_purpose")
    if purpose == Purpose.HR_DOCUMENT and interview.application.stage not in DOCUMENT_STAGES:
        raise Conflict("现在没有需要提交的背景调查或入职材料 No documents are asked for now",
                       code="no_documents_expected")
    if total_bytes <= 0:  # an int: the view reads it with json_field
        raise BadRequest("文件是空的(没有内容),请选择有内容的文件 The file is empty (total_bytes must be at least 1)",
                         code="empty_upload")
    if total_bytes > max_bytes():
        limit_mb = max_bytes() // (1024 * 1024)
        raise TooLarge(f"文件太大,单个附件最大 {limit_mb} MB The file is over the {limit_mb} MB limit",
                       code="attachment_too_large", max_bytes=max_bytes())
    return uploads.new_session(AttachmentUpload, total_bytes, application=interview.application_id,
                               interview=interview.id, filename=clean_filename(filename), purpose=purpose)


def get_upload(interview, upload_id):
    """The upload `upload_id` of this candidate's application; NotFound for anybody else's."""
    uploads.check_upload_id(upload_id)
    return found(AttachmentUpload.get_or_none((AttachmentUpload.id == upload_id)
                                              & (AttachmentUpload.application == interview.application_id)),
                 uploads.UPLOAD_NOT_FOUND, code="upload_not_found")


def put_chunk(interview, upload_id, index, data):
    return uploads.write_chunk(get_upload(interview, upload_id), index, data)


def describe(upload):
    return {"upload_id": upload.id, "status": upload.status, "filename": upload.filename,
            **uploads.chunk_progress(upload),
            "attachment": attachment_out(upload.attachment) if upload.attachment_id else None}


def attachment_out(attachment):
    return {"id": attachment.id, "filename": attachment.filename, "mime_type": attachment.mime_type,
            "kind": attachment.kind, "size_bytes": attachment.size_bytes}


def complete_upload(interview, upload_id):
    """Assemble, detect the type from the bytes, store; return the Attachment (the same one when repeated)."""
    upload = get_upload(interview, upload_id)
    # The upload's attachment column is the unique result: a second complete returns the first one's Attachment.
    with completion_lock("attachment-complete", upload.id):
        upload = AttachmentUpload.get_by_id(upload.id)
        if upload.attachment_id:
            return upload.attachment
        uploads.require_all_chunks(upload)
        assembled = uploads.assemble(upload)
        try:
            kind = filetypes.detect(assembled)
            accepted = accepted_types(upload.purpose)
            wrong_name = filetypes.mismatch(upload.filename, kind) if kind is not None else None
            if wrong_name:
                raise Unprocessable(wrong_name, code="attachment_name_mismatch", filename=upload.filename)
            if kind is None or not accepted.takes(kind):
                raise Unprocessable(accepted.refusal(), code="attachment_type_refused")
            key = f"attachments/{upload.application_id}/{upload.id}.{kind.ext}"
            get_storage().save(key, assembled)
        finally:
            if assembled.exists():
                assembled.unlink()
        with transaction():
            attachment = Attachment.create(application=upload.application_id, storage_key=key,
                                           filename=_with_extension(upload.filename, kind), mime_type=kind.mime,
                                           kind=kind.kind, size_bytes=upload.total_bytes, purpose=upload.purpose)
            AttachmentUpload.update(status=UploadStatus.COMPLETE, attachment=attachment).where(
                AttachmentUpload.id == upload.id).execute()
    uploads.drop_chunks(upload.id)
    return attachment


def _with_extension(filename, kind):
    """The name as the candidate gave it when it names a kind (the bytes agree: complete_upload refused a text file
    called 简历.pdf); otherwise with the detected extension added (a PDF called 扫描件 is listed as 扫描件.pdf)."""
    if filetypes.named(filename) is not None:
        return filename
    return f"{filename}.{kind.ext}"[-80:]


def for_message(application_id, attachment_ids):
    """The candidate's own not-yet-sent attachments with these ids; BadRequest for anything else."""
    ids = attachment_ids or []
    # JSON numbers within the id column only: not "1", true, [1] or {} (a list or dict is not even hashable).
    if not all(isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= DB_INT_MAX for i in ids):
        raise BadRequest("附件编号不正确 attachment_ids must be integers", code="invalid_attachment")
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_PER_MESSAGE:
        raise BadRequest(f"每条消息最多 {MAX_PER_MESSAGE} 个附件 At most {MAX_PER_MESSAGE} attachments per message",
                         code="too_many_attachments")
    found = list(Attachment.select().where(Attachment.id.in_(ids) & (Attachment.application == application_id)
                                           & Attachment.message.is_null()
                                           & (Attachment.purpose == Purpose.CHAT))) if ids else []
    if len(found) != len(ids):
        raise BadRequest(GONE_MESSAGE, code="invalid_attachment")
    return found


def open_for(application_id, attachment_id):
    """(Attachment, file object) of one chat attachment of this application; NotFound otherwise (a document of
    the check or onboarding included: app/process/documents.py opens those, for HR)."""
    attachment = Attachment.get_or_none((Attachment.id == attachment_id)
                                        & (Attachment.application == application_id)
                                        & (Attachment.purpose == Purpose.CHAT))
    if attachment is None:
        raise NotFound("附件不存在 Attachment not found", code="attachment_not_found")
    return attachment, open_stored(attachment)


def open_stored(attachment):
    """The stored file of an attachment; Gone when retention already deleted it."""
    if not get_storage().exists(attachment.storage_key):
        raise Gone("附件已按保留期限删除 The file was deleted at the end of its retention period",
                   code="attachment_purged")
    return get_storage().open(attachment.storage_key)

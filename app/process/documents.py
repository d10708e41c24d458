"""Documents of the background check and the onboarding checklist (离职证明, ID card, degree, bank card...): HR only.

The candidate uploads them on the check and onboarding pages through the status page's resumable upload with
purpose `hr_document` (app/static/h5/documents.js); they are Attachment rows of that purpose, which every chat
route refuses (app/conversation/attachments.py), so they never show in the conversation the job's managers read.
A check item or a checklist item names its file (`attachment_id`). Staff open it only through
/m/applications/<id>/check/files/<id> or /m/applications/<id>/onboarding/files/<id>: HR only, only a file that
item of that application names, and each view is written to the access log (`view_document`). The export lists
the files by name and the deletion removes them (they are attachments of the application).
"""
from app.conversation import filetypes
from app.conversation.attachments import open_stored
from app.conversation.models import Attachment, Purpose
from app.core.errors import BadRequest, NotFound
from app.process.models import CheckItem, CheckOrder, OnboardingItem

# What a document item takes is filetypes.DOCUMENTS (a photo or a scan), the declaration its upload checks too.
CHECK = "check"
ONBOARDING = "onboarding"
KINDS = (CHECK, ONBOARDING)


def _named_by(application_id, kind):
    """The attachment ids the application's check items (or checklist items) name."""
    if kind == CHECK:
        query = (CheckItem.select(CheckItem.attachment_id).join(CheckOrder)
                 .where(CheckOrder.application == application_id))
    else:
        query = OnboardingItem.select(OnboardingItem.attachment_id).where(OnboardingItem.application == application_id)
    return {row.attachment_id for row in query if row.attachment_id}


def open_document(application_id, kind, attachment_id):
    """(Attachment, file object) of a document that the application's `kind` items name; NotFound otherwise.
    The caller checks that the viewer is HR and logs the view."""
    if kind not in KINDS or attachment_id not in _named_by(application_id, kind):
        raise NotFound("文件不存在 File not found", code="document_not_found")
    attachment = Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.application == application_id)
                                        & (Attachment.purpose == Purpose.HR_DOCUMENT))
    if attachment is None:
        raise NotFound("文件不存在 File not found", code="document_not_found")
    return attachment, open_stored(attachment)


def for_submission(application_id, attachment_id):
    """The candidate's own uploaded document `attachment_id`, or None (a chat attachment or anybody else's)."""
    if not attachment_id:
        return None
    return Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.application == application_id)
                                  & (Attachment.purpose == Purpose.HR_DOCUMENT))


def require_document(application_id, attachment_id, label, missing):
    """The candidate's own uploaded document for the item `label`: BadRequest `missing` (file_required) without one,
    wrong_file_type when it is not one of filetypes.DOCUMENTS (a file uploaded before the upload checked that)."""
    attachment = for_submission(application_id, attachment_id)
    if attachment is None:
        raise BadRequest(missing, code="file_required")
    if not filetypes.DOCUMENTS.takes_mime(attachment.mime_type):
        raise BadRequest(f"「{label}」需要{filetypes.DOCUMENTS.label},收到的是 {attachment.filename} "
                         "An image or a PDF is required", code="wrong_file_type")
    return attachment


def uploaded(application_id):
    """The documents the candidate uploaded for this application, newest first (their pages offer them)."""
    return list(Attachment.select().where((Attachment.application == application_id)
                                          & (Attachment.purpose == Purpose.HR_DOCUMENT))
                .order_by(Attachment.id.desc()))

"""What the conversation stores about a candidate: `application_fields` (the export's "messages") and `erase` for
the deletion (declared as the conversation domain's `personal_data`; app/core/personal_data.py has the contract).

Export ("messages" of each application): every message both ways with its channel, its attachments (listed, not
embedded) and its delivery states. `files`: the files sent with messages (附件/ in the data package); a file sent
for the background check or onboarding is process's (its own folder).

Erase: messages, their deliveries, attachments (and their files), attachment uploads (and their chunks) and the
links to the candidate's WeChat channels (微信客服, external contact) are deleted.
"""
from app.conversation import services
from app.conversation.models import Attachment, AttachmentUpload, ChannelLink, Delivery, Message
from app.core.personal_data import stored_file
from app.interview.uploads import drop_chunks


def export(application_ids):
    """The conversation has no sections of its own: its data is the export's "messages" (application_fields)."""
    return {}


def application_fields(application_ids):
    """{application_id: {"messages": [...]}} for the candidate's export."""
    return {app_id: {"messages": services.export(app_id)} for app_id in application_ids}


def files(application_ids):
    """The files the candidate sent with their messages, still stored (retention removes them after RETENTION_DAYS:
    the row stays, the object goes, and the package skips it)."""
    return [stored_file(a.application_id, "附件", a.filename, a.storage_key, "messages", {"id": a.id})
            for a in Attachment.select().where(Attachment.application.in_(list(application_ids))
                                               & Attachment.message.is_null(False)).order_by(Attachment.id)
            if a.storage_key]


def erase(application_ids):
    """Delete the conversation of these applications; return counts and the storage keys of its files."""
    ids = list(application_ids)
    attachments = list(Attachment.select().where(Attachment.application.in_(ids)))
    for upload in AttachmentUpload.select(AttachmentUpload.id).where(AttachmentUpload.application.in_(ids)):
        drop_chunks(upload.id)
    message_ids = [m.id for m in Message.select(Message.id).where(Message.application.in_(ids))]
    Delivery.delete().where(Delivery.message.in_(message_ids)).execute()
    AttachmentUpload.delete().where(AttachmentUpload.application.in_(ids)).execute()
    Attachment.delete().where(Attachment.application.in_(ids)).execute()
    Message.delete().where(Message.id.in_(message_ids)).execute()
    ChannelLink.delete().where(ChannelLink.application.in_(ids)).execute()
    return {"counts": {"messages": len(message_ids), "attachments": len(attachments)},
            "keys": [a.storage_key for a in attachments if a.storage_key]}

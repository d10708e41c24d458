"""Step 16 (issue 20.4): background-check and onboarding documents apart from chat attachments.

`attachment.purpose` and `attachment_upload.purpose` ('chat' or 'hr_document'); the attachments a check item or an
onboarding item already names become 'hr_document', so the chat routes stop serving them (their message rows stay).
"""
from peewee import BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField

from app.core.migrations import ops
from app.core.migrations.ops import FrozenModel, IdField


class Application(FrozenModel):  # referenced only
    id = IdField()

    class Meta:
        table_name = 'application'


class Interview(FrozenModel):  # referenced only
    id = IdField()

    class Meta:
        table_name = 'interview'


class Message(FrozenModel):  # referenced only
    id = IdField()

    class Meta:
        table_name = 'message'


class Attachment(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    message = ForeignKeyField(Message, column_name='message_id', on_delete='CASCADE', backref='+', null=True)
    storage_key = CharField(max_length=255)
    filename = CharField(max_length=120)
    mime_type = CharField(max_length=80)
    kind = CharField(max_length=12)
    size_bytes = BigIntegerField()
    purpose = CharField(max_length=12, default='chat')
    created_at = DateTimeField()

    class Meta:
        table_name = 'attachment'


class AttachmentUpload(FrozenModel):
    id = CharField(max_length=32, primary_key=True)
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+')
    filename = CharField(max_length=120)
    total_bytes = BigIntegerField()
    chunk_bytes = IntegerField()
    total_chunks = IntegerField()
    status = CharField(max_length=20, default='open')
    purpose = CharField(max_length=12, default='chat')
    attachment = ForeignKeyField(Attachment, column_name='attachment_id', on_delete='SET NULL', backref='+',
        null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'attachment_upload'


MODELS = [Attachment, AttachmentUpload]


def upgrade(db):
    ops.add_columns(db, Attachment, "purpose", fill={"purpose": "chat"})
    ops.add_columns(db, AttachmentUpload, "purpose", fill={"purpose": "chat"})
    db.execute_sql("UPDATE attachment SET purpose = 'hr_document' WHERE id IN "
                   "(SELECT attachment_id FROM check_item WHERE attachment_id IS NOT NULL "
                   "UNION SELECT attachment_id FROM onboarding_item WHERE attachment_id IS NOT NULL)")

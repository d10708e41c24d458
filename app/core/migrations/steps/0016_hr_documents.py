"""Step 16 (issue 20.4): background-check and onboarding documents apart from chat attachments.

`attachment.purpose` and `attachment_upload.purpose` ('chat' or 'hr_document'); the attachments a check item or an
onboarding item already names become 'hr_document', so the chat routes stop serving them (their message rows stay).
"""
from app.core.migrations import ops

FROZEN = ops.load(__file__)


def upgrade(db):
    ops.add_columns(db, FROZEN["attachment"], "purpose", fill={"purpose": "chat"})
    ops.add_columns(db, FROZEN["attachment_upload"], "purpose", fill={"purpose": "chat"})
    db.execute_sql("UPDATE attachment SET purpose = 'hr_document' WHERE id IN "
                   "(SELECT attachment_id FROM check_item WHERE attachment_id IS NOT NULL "
                   "UNION SELECT attachment_id FROM onboarding_item WHERE attachment_id IS NOT NULL)")

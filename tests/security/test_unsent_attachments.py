"""Files a candidate uploads but never sends go a day later, with their unfinished uploads' chunks (issue 20: they
stayed for the whole 180-day retention, 76 MB for one application); sent ones stay, and a send that comes too late
is told to upload again instead of losing the file silently."""
import datetime as dt

from app.conversation.models import Attachment, AttachmentUpload
from app.core.base import utcnow
from app.core.storage import get_storage
from app.interview.uploads import received_chunks
from app.privacy import retention
from tests.conversation.helpers import auth, invite, pdf_bytes, png_bytes, send, upload


def _age(hours, *ids):
    when = utcnow() - dt.timedelta(hours=hours)
    Attachment.update(created_at=when).where(Attachment.id.in_(ids)).execute()


def test_unsent_attachments_and_unfinished_uploads_are_purged_after_a_day(app, client, demo_job):
    _, token = invite(demo_job)
    sent = upload(client, token, "项目介绍.pdf", pdf_bytes()).get_json()["attachment"]["id"]
    assert send(client, token, "见附件", [sent]).status_code == 201
    forgotten = upload(client, token, "草稿.png", png_bytes()).get_json()["attachment"]["id"]
    recent = upload(client, token, "刚传的.png", png_bytes()).get_json()["attachment"]["id"]
    opened = client.post("/mp/api/v1/conversation/attachments", json={"filename": "半截.pdf", "total_bytes": 10},
                         headers=auth(token)).get_json()["upload_id"]
    assert client.put(f"/mp/api/v1/conversation/attachments/{opened}/chunks/0", data=b"%PDF-1.4 x",
                      headers=auth(token)).status_code == 200
    _age(25, sent, forgotten)
    AttachmentUpload.update(created_at=utcnow() - dt.timedelta(hours=25)).execute()
    keys = {a.id: a.storage_key for a in Attachment.select()}

    counts = retention.purge()   # the scheduled retention sweep (every 6 hours)

    assert counts["unsent_attachments"] == 1
    assert Attachment.get_or_none(Attachment.id == forgotten) is None
    assert not get_storage().exists(keys[forgotten])
    assert get_storage().exists(keys[sent]) and get_storage().exists(keys[recent])   # sent, and less than a day
    assert client.get(f"/i/{token}/attachments/{sent}").status_code == 200
    assert received_chunks(AttachmentUpload.get_by_id(opened)) == []
    # Sending the purged file now is refused in words the candidate can act on; nothing is half-sent.
    late = send(client, token, "补发", [forgotten])
    assert late.status_code == 400 and "重新上传" in late.get_json()["error"]["message"]
    assert send(client, token, "补发", [recent]).status_code == 201

"""Helpers of the conversation tests: a candidate with a token, files of real types, the JSON API."""
import io
import time
import zipfile

from PIL import Image

from app.interview.invitations import invite_candidate


def invite(job, name="李明", phone="13800001234"):
    interview, token = invite_candidate(job.id, name, phone)
    return interview, token


def png_bytes():
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def pdf_bytes():
    """A small real PDF (one empty page), written by Pillow: the same bytes on every call (fixed dates; Pillow
    otherwise writes the current second, and a test comparing two calls failed when a second ticked between)."""
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (255, 255, 255)).save(buf, "PDF", creationDate=time.gmtime(0), modDate=time.gmtime(0))
    return buf.getvalue()


def docx_bytes():
    """A minimal Word document (the container's parts; type detection reads it as .docx)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def upload(client, token, filename, data, chunk=None, purpose=None):
    """Upload one attachment (purpose "hr_document": a document of the check or onboarding) through the chunked
    API; return the complete response."""
    body = {"filename": filename, "total_bytes": len(data)} | ({"purpose": purpose} if purpose else {})
    res = client.post("/mp/api/v1/conversation/attachments", json=body, headers=auth(token))
    assert res.status_code == 201, res.get_json()
    up = res.get_json()
    size = up["chunk_bytes"]
    for index in up["missing"]:
        put = client.put(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/chunks/{index}",
                         data=data[index * size:(index + 1) * size], headers=auth(token))
        assert put.status_code == 200, put.get_json()
    return client.post(f"/mp/api/v1/conversation/attachments/{up['upload_id']}/complete", headers=auth(token))


def send(client, token, text, attachment_ids=()):
    return client.post("/mp/api/v1/conversation/messages", json={"text": text, "attachment_ids": list(attachment_ids)},
                       headers=auth(token))


def work_until_events_handled(redis_conn, deadline_s=15):
    """Run the fast queue until every stored WeCom callback is handled.

    The sandbox marks a callback delivered when the app answered 200, and the app enqueues its job before that
    answer; still, a run started right then has once missed the job (not understood yet), so run again until
    the events are handled instead of trusting one run.
    """
    import time

    from app.core.models import EventStatus, WeComEvent
    from tests.support.wecom import run_fast_worker
    end = time.time() + deadline_s
    while True:
        run_fast_worker(redis_conn)
        if not WeComEvent.select().where(WeComEvent.status == EventStatus.RECEIVED).exists() or time.time() > end:
            return
        time.sleep(0.05)

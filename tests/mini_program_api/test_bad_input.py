"""Bad input on every endpoint of /mp/api/v1, one table: wrong or missing fields, strings for integers, booleans
for integers, huge numbers, negative indexes, empty and unicode strings, a body that is not JSON or not an object,
the wrong Content-Type, chunks over the limit, expired / replaced / deleted links and another interview's upload.

Each row must answer its status with a stable code and a message in Chinese first, then English; the status must be
one the OpenAPI document lists for the operation; and nothing may be recorded (consent, identity tries, clocks,
uploads, chunks, answers, messages)."""
import datetime as dt
import json
import re

import pytest

from app.conversation import attachments
from app.conversation.models import AttachmentUpload, Message
from app.core.errors import Gone
from app.core.extensions import settings
from app.core.storage import get_storage
from app.interview import flow as interview_flow
from app.interview import uploads
from app.interview.invitations import find_interview
from app.interview.models import Answer, ConsentRecord, Interview, QuestionStart, Upload
from app.privacy import deletion
from tests.support.interviews import invite, make_ready, make_short_job, upload_answer
from tests.support.openapi import Document

API = "/mp/api/v1"
V = interview_flow.CONSENT_VERSION
FIELDS = {"question_id": "{q1}", "mime_type": "audio/webm", "total_bytes": 10}


def J(body):
    """A JSON body."""
    return {"data": json.dumps(body), "content_type": "application/json"}


def RAW(data, content_type="application/json"):
    return {"data": data, "content_type": content_type}


# (method, path, who, body, status, code): `who` is the token's interview (landing: invited only; consented: before
# identity; ready: at the questions), the path's {q1}/{upload}/{attachment}/{foreign_upload}/{foreign_q} are
# filled in.
ROWS = [
    # consent
    ("post", "/consent", "landing", {}, 400, "invalid_json"),
    ("post", "/consent", "landing", J([1]), 400, "invalid_json"),
    ("post", "/consent", "landing", J("recording"), 400, "invalid_json"),
    ("post", "/consent", "landing", RAW("{not json"), 400, "invalid_json"),
    ("post", "/consent", "landing", RAW('{"recording": NaN, "text_version": "x"}'), 400, "invalid_json"),
    ("post", "/consent", "landing", RAW(json.dumps({"recording": True, "text_version": V}), "text/plain"),
     415, "unsupported_content_type"),
    ("post", "/consent", "landing", RAW("recording=yes", "application/x-www-form-urlencoded"),
     415, "unsupported_content_type"),
    ("post", "/consent", "landing", J({"text_version": V}), 400, "invalid_field"),
    ("post", "/consent", "landing", J({"recording": "true", "text_version": V}), 400, "invalid_field"),
    ("post", "/consent", "landing", J({"recording": 1, "text_version": V}), 400, "invalid_field"),
    ("post", "/consent", "landing", J({"recording": True, "biometric": "yes", "text_version": V}), 400,
     "invalid_field"),
    ("post", "/consent", "landing", J({"recording": True, "biometric": 1, "text_version": V}), 400, "invalid_field"),
    ("post", "/consent", "landing", J({"recording": True}), 400, "invalid_field"),
    ("post", "/consent", "landing", J({"recording": True, "text_version": 5}), 400, "invalid_field"),
    ("post", "/consent", "landing", J({"recording": True, "text_version": ""}), 409, "consent_outdated"),
    ("post", "/consent", "landing", J({"recording": True, "text_version": "版本一"}), 409, "consent_outdated"),
    ("post", "/consent", "landing", J({"recording": False, "text_version": V}), 400, "consent_required"),
    # identity: a malformed form is no guess and takes none of the limited tries
    ("post", "/identity", "landing", J({"name": "李雷", "phone_last4": "5678"}), 403, "step_required"),
    ("post", "/identity", "consented", {}, 400, "invalid_json"),
    ("post", "/identity", "consented", RAW('{"name": "李雷"}', "text/plain"), 415, "unsupported_content_type"),
    ("post", "/identity", "consented", J({"phone_last4": "5678"}), 400, "invalid_field"),
    ("post", "/identity", "consented", J({"name": 123, "phone_last4": "5678"}), 400, "invalid_field"),
    ("post", "/identity", "consented", J({"name": ["李雷"], "phone_last4": "5678"}), 400, "invalid_field"),
    ("post", "/identity", "consented", J({"name": {"a": 1}, "phone_last4": ["1"]}), 400, "invalid_field"),
    ("post", "/identity", "consented", J({"name": "李雷", "phone_last4": 5678}), 400, "invalid_field"),
    ("post", "/identity", "consented", J({"name": "李雷", "phone_last4": "5678", "face_jpeg_base64": 12}), 400,
     "invalid_field"),
    ("post", "/identity", "consented", J({"name": "", "phone_last4": "5678"}), 400, "name_required"),
    ("post", "/identity", "consented", J({"name": " \u3000 ", "phone_last4": "5678"}), 400, "name_required"),
    ("post", "/identity", "consented", J({"name": "李雷"}), 400, "phone_last4_invalid"),
    ("post", "/identity", "consented", J({"name": "李雷", "phone_last4": ""}), 400, "phone_last4_invalid"),
    ("post", "/identity", "consented", J({"name": "李雷", "phone_last4": "567"}), 400, "phone_last4_invalid"),
    ("post", "/identity", "consented", J({"name": "李雷", "phone_last4": "五六七八"}), 400, "phone_last4_invalid"),
    ("post", "/identity", "consented", J({"name": "李雷", "phone_last4": "56789"}), 400, "phone_last4_invalid"),
    ("post", "/device-check", "consented", {}, 403, "step_required"),
    # the question clock
    ("post", "/questions/{q1}/start", "consented", {}, 403, "step_required"),
    ("post", "/questions/{q1}/start", "ready", J([1]), 400, "invalid_json"),
    ("post", "/questions/{q1}/start", "ready", RAW("attempt=1"), 400, "invalid_json"),
    ("post", "/questions/{q1}/start", "ready", RAW('{"attempt": 1}', "text/plain"), 415, "unsupported_content_type"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": "1"}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": True}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": 1.5}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": 0}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": -1}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": 10**30}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": 3}), 409, "no_retakes_left"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": 1, "recording": "yes"}), 400, "invalid_recording"),
    ("post", "/questions/{q1}/start", "ready", J({"attempt": 1, "recording": 1}), 400, "invalid_recording"),
    ("post", "/questions/{q1}/start", "ready", J({"recording": True}), 400, "invalid_attempt"),
    ("post", "/questions/{foreign_q}/start", "ready", J({}), 400, "question_not_in_interview"),
    ("post", "/questions/-1/start", "ready", J({}), 404, "not_found"),
    ("post", "/questions/99999999999999999999/start", "ready", J({}), 404, "not_found"),
    ("post", "/questions/一/start", "ready", J({}), 404, "not_found"),
    ("post", "/questions/{q1}/page-hidden", "ready", {}, 400, "invalid_json"),
    ("post", "/questions/{q1}/page-hidden", "ready", RAW("{"), 400, "invalid_json"),
    ("post", "/questions/{q1}/page-hidden", "ready", J({"seconds": 3}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/page-hidden", "ready", J({"attempt": 0, "seconds": 3}), 400, "invalid_attempt"),
    ("post", "/questions/{q1}/page-hidden", "ready", J({"attempt": 1}), 400, "invalid_seconds"),
    ("post", "/questions/{q1}/page-hidden", "ready", J({"attempt": 1, "seconds": "3"}), 400, "invalid_seconds"),
    ("post", "/questions/{q1}/page-hidden", "ready", J({"attempt": 1, "seconds": True}), 400, "invalid_seconds"),
    ("post", "/questions/{q1}/page-hidden", "ready", J({"attempt": 1, "seconds": -1}), 400, "invalid_seconds"),
    ("post", "/questions/{q1}/page-hidden", "ready", RAW('{"attempt": 1, "seconds": NaN}'), 400, "invalid_json"),
    ("post", "/questions/{q1}/page-hidden", "ready", RAW('{"attempt": 1, "seconds": Infinity}'), 400,
     "invalid_json"),
    ("post", "/questions/{q1}/page-hidden", "ready", RAW('{"attempt": 1, "seconds": -Infinity}'), 400,
     "invalid_json"),
    # upload init
    ("post", "/uploads", "consented", J(FIELDS), 403, "step_required"),
    ("post", "/uploads", "ready", {}, 400, "invalid_json"),
    ("post", "/uploads", "ready", RAW(json.dumps(FIELDS), "text/plain"), 415, "unsupported_content_type"),
    # the numbers are JSON integers: a string of digits, a float or a boolean is refused naming the field
    ("post", "/uploads", "ready", J({**FIELDS, "question_id": "abc"}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "question_id": "١٢"}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "question_id": True}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "question_id": "1"}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "attempt": "2"}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "attempt": 1.5}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": "10"}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": "1e3"}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": 10.0}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({"mime_type": "audio/webm", "total_bytes": 10}), 400, "invalid_field"),
    ("post", "/uploads", "ready", J({**FIELDS, "question_id": 2**31}), 400, "invalid_upload"),
    ("post", "/uploads", "ready", J({**FIELDS, "attempt": -1}), 400, "invalid_upload"),
    # a size over the limit is 413 whatever its size, none at all (or less) is empty
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": 10**30}), 413, "upload_too_large"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": 3 * 1024**3}), 413, "upload_too_large"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": 300 * 1024 * 1024}), 413, "upload_too_large"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": -5}), 400, "empty_upload"),
    ("post", "/uploads", "ready", J({**FIELDS, "total_bytes": 0}), 400, "empty_upload"),
    ("post", "/uploads", "ready", J({**FIELDS, "mime_type": ""}), 400, "unsupported_media_type"),
    ("post", "/uploads", "ready", J({**FIELDS, "mime_type": 5}), 400, "unsupported_media_type"),
    ("post", "/uploads", "ready", J({**FIELDS, "mime_type": "视频/webm"}), 400, "unsupported_media_type"),
    ("post", "/uploads", "ready", J({**FIELDS, "attempt": 0}), 400, "invalid_attempt"),
    ("post", "/uploads", "ready", J({**FIELDS, "attempt": 3}), 409, "no_retakes_left"),
    ("post", "/uploads", "ready", J({**FIELDS, "question_id": "{foreign_q}"}), 400, "question_not_in_interview"),
    # chunks of the open upload {upload} (10 bytes, one chunk), and of another interview's
    ("put", "/uploads/{upload}/chunks/-1", "ready", RAW(b"x" * 10, "application/octet-stream"), 400,
     "invalid_chunk_index"),
    ("post", "/uploads/{upload}/chunks/-1", "ready", RAW(b"x" * 10, "application/octet-stream"), 400,
     "invalid_chunk_index"),
    ("put", "/uploads/{upload}/chunks/99999999999", "ready", RAW(b"x" * 10, "application/octet-stream"), 404,
     "not_found"),
    ("put", "/uploads/{upload}/chunks/1", "ready", RAW(b"x" * 10, "application/octet-stream"), 400,
     "invalid_chunk_index"),
    ("put", "/uploads/{upload}/chunks/0", "ready", RAW(b"x" * 11, "application/octet-stream"), 413,
     "chunk_too_large"),
    ("post", "/uploads/{upload}/chunks/0", "ready", RAW(b"x" * (9 * 1024 * 1024), "application/octet-stream"), 413,
     "too_large"),
    ("put", "/uploads/{upload}/chunks/0", "ready", RAW(b"", "application/octet-stream"), 400,
     "chunk_size_mismatch"),
    ("put", "/uploads/{upload}/chunks/0", "ready", RAW(b"xxxxxxxxxx", "application/x-www-form-urlencoded"), 415,
     "unsupported_content_type"),
    ("put", "/uploads/{upload}/chunks/0", "ready", RAW(b"--b\r\n\r\nxxxxxxxxxx\r\n--b--", "multipart/form-data; "
                                                                                          "boundary=b"), 415,
     "unsupported_content_type"),
    ("put", "/uploads/ZZZ/chunks/0", "ready", RAW(b"x" * 10, "application/octet-stream"), 404, "upload_not_found"),
    ("put", "/uploads/{foreign_upload}/chunks/0", "ready", RAW(b"x" * 10, "application/octet-stream"), 404,
     "upload_not_found"),
    ("get", "/uploads/{foreign_upload}", "ready", {}, 404, "upload_not_found"),
    ("get", "/uploads/上传", "ready", {}, 404, "upload_not_found"),
    ("get", "/uploads/" + "0" * 32, "ready", {}, 404, "upload_not_found"),
    ("post", "/uploads/{foreign_upload}/complete", "ready", {}, 404, "upload_not_found"),
    ("post", "/uploads/{upload}/complete", "ready", {}, 409, "chunks_missing"),
    # the conversation (same token)
    ("post", "/conversation/messages", "ready", {}, 400, "invalid_json"),
    ("post", "/conversation/messages", "ready", RAW('{"text": "你好"}', "text/plain"), 415,
     "unsupported_content_type"),
    ("post", "/conversation/messages", "ready", J({"text": ""}), 400, "message_empty"),
    ("post", "/conversation/messages", "ready", J({"text": 5}), 400, "invalid_field"),
    ("post", "/conversation/messages", "ready", J({"text": ["你好"]}), 400, "invalid_field"),
    ("post", "/conversation/messages", "ready", J({"text": True}), 400, "invalid_field"),
    ("post", "/conversation/messages", "ready", J({"text": "你好", "attachment_ids": [True]}), 400,
     "invalid_attachment"),
    ("post", "/conversation/messages", "ready", J({"text": "你好", "attachment_ids": [10**30]}), 400,
     "invalid_attachment"),
    ("post", "/conversation/messages", "ready", J({"text": "你好", "attachment_ids": "1"}), 400,
     "invalid_attachment"),
    ("post", "/conversation/messages", "ready", J({"text": "你好", "attachment_ids": [-1]}), 400,
     "invalid_attachment"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": "x"}), 400,
     "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": "10"}), 400,
     "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf"}), 400, "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": 0}), 400, "empty_upload"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": -5}), 400, "empty_upload"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": 3 * 1024**3}), 413,
     "attachment_too_large"),
    ("post", "/conversation/attachments", "ready", J({"total_bytes": 10}), 400, "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": 5, "total_bytes": 10}), 400, "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": ["a.pdf"], "total_bytes": 10}), 400,
     "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": True}), 400,
     "invalid_field"),
    ("post", "/conversation/attachments", "ready", J({"filename": "a.pdf", "total_bytes": 10, "purpose": "x"}), 400,
     "invalid_purpose"),
    ("put", "/conversation/attachments/{attachment}/chunks/-1", "ready", RAW(b"x" * 10, "application/octet-stream"),
     400, "invalid_chunk_index"),
    ("put", "/conversation/attachments/{attachment}/chunks/1", "ready", RAW(b"x" * 10, "application/octet-stream"),
     400, "invalid_chunk_index"),
    ("put", "/conversation/attachments/ZZZ/chunks/0", "ready", RAW(b"x", "application/octet-stream"), 404,
     "upload_not_found"),
    ("post", "/conversation/attachments/{upload}/complete", "ready", {}, 404, "upload_not_found"),
]

# Every operation, with a well-formed body: what a dead token gets on each.
EVERY_OPERATION = [
    ("get", "/interview", {}), ("get", "/status", {}), ("get", "/questions", {}), ("get", "/questions/next", {}),
    ("post", "/consent", J({"recording": True, "text_version": V})),
    ("post", "/identity", J({"name": "李雷", "phone_last4": "5678"})), ("post", "/device-check", {}),
    ("post", "/questions/{q1}/start", J({})), ("post", "/questions/{q1}/page-hidden", J({"attempt": 1, "seconds": 1})),
    ("post", "/uploads", J(FIELDS)), ("get", "/uploads/{upload}", {}),
    ("put", "/uploads/{upload}/chunks/0", RAW(b"x" * 10, "application/octet-stream")),
    ("post", "/uploads/{upload}/complete", {}),
]
ROWS += [(method, path, "nobody", body, 401, "token_required") for method, path, body in EVERY_OPERATION]
ROWS += [(method, path, "unknown", body, 404, "invalid_link") for method, path, body in EVERY_OPERATION]
for who, code in (("expired", "link_expired"), ("revoked", "link_revoked"), ("deleted", "data_deleted")):
    ROWS += [(method, path, who, body, 410, code) for method, path, body in EVERY_OPERATION]
ROWS += [(method, path, "completed", body, 409, "interview_finished") for method, path, body in EVERY_OPERATION
         if method == "post" and path in ("/consent", "/identity", "/device-check", "/questions/{q1}/start",
                                          "/questions/{q1}/page-hidden")]
# The completed interview's upload of an answered attempt is answered as it is (a client resuming learns it is done).
ROWS += [("post", "/uploads", "completed", J({**FIELDS, "attempt": 2}), 409, "interview_finished")]


@pytest.fixture
def world(any_db_app, webm_bytes, tmp_path):
    """On SQLite and PostgreSQL: interviews at every state, the ready one with an open 10-byte upload and an open
    10-byte attachment upload, another candidate's upload; with the app's test client."""
    settings.update(UPLOAD_CHUNK_BYTES=1024 * 1024, RATE_LIMIT_IDENTITY="1000 per minute")
    job = make_short_job(questions=2, retakes=1)
    tokens = {}
    _, tokens["landing"] = invite(job, name="甲", phone="13900000001")
    consented, tokens["consented"] = invite(job, name="李雷", phone="13900005678")
    interview_flow.give_consent(consented.id, True, False, V)
    ready, tokens["ready"] = invite(job)
    make_ready(ready)
    q1, q2 = job.ordered_questions()
    upload = uploads.init_upload(tokens["ready"], q1.id, 1, "audio/webm", 10)
    attachment = attachments.init_upload(ready, "简历.pdf", 10)
    foreign, foreign_token = invite(job, name="韩梅梅", phone="13900001111")
    make_ready(foreign, name="韩梅梅", phone="13900001111")
    foreign_upload = uploads.init_upload(foreign_token, q1.id, 1, "audio/webm", 10)
    expired, tokens["expired"] = invite(job, name="丙", phone="13900000003")
    Interview.update(expires_at=dt.datetime(2020, 1, 1)).where(Interview.id == expired.id).execute()
    with pytest.raises(Gone):
        find_interview(tokens["expired"])  # the first look marks it expired: that is not the bad input's doing
    revoked, tokens["revoked"] = invite(job, name="丁", phone="13900000004")
    invite(job, name="丁", phone="13900000004")
    done, tokens["completed"] = invite(job, name="戊", phone="13900000005")
    make_ready(done, name="戊", phone="13900000005")
    deleted, tokens["deleted"] = invite(job, name="己", phone="13900000006")
    make_ready(deleted, name="己", phone="13900000006")
    media = tmp_path / "answer.webm"
    media.write_bytes(webm_bytes)
    for token in (tokens["completed"], tokens["deleted"]):
        for question in (q1, q2):
            upload_answer(token, question, media)
    deletion.execute_deletion(deletion.delete_by_hr(deleted.application.candidate_id, "hr_lina").id)
    tokens["unknown"] = "not-a-token-of-anybody"
    fill = {"q1": q1.id, "upload": upload.id, "attachment": attachment.id, "foreign_upload": foreign_upload.id,
            "foreign_q": make_short_job(title="另一个岗位").ordered_questions()[0].id}
    return any_db_app.test_client(), tokens, fill


def recorded():
    """Everything a request could have written."""
    rows = [(m.__name__, m.select().count()) for m in (ConsentRecord, Answer, Upload, Message, AttachmentUpload)]
    rows += [tuple(r) for r in Interview.select(
        Interview.id, Interview.status, Interview.consent_recording_at, Interview.consent_biometric,
        Interview.identity_attempts, Interview.identity_verified_at, Interview.device_checked_at).tuples()]
    rows += [tuple(r) for r in QuestionStart.select(
        QuestionStart.id, QuestionStart.attempt, QuestionStart.recording_started_at, QuestionStart.hidden_count,
        QuestionStart.hidden_seconds).tuples()]
    return rows + sorted(get_storage().keys("uploads/"))


def fill_in(value, fill):
    if isinstance(value, str | bytes):
        out = value.decode("latin-1") if isinstance(value, bytes) else value
        for key, sub in fill.items():
            # '"{q1}"' in a JSON body is the number itself, not a string of digits.
            out = out.replace(f'"{{{key}}}"', str(sub)).replace(f"{{{key}}}", str(sub))
        return out.encode("latin-1") if isinstance(value, bytes) else out
    return value


# Chinese first (a field's name may open the sentence), then the English sentence.
CHINESE_THEN_ENGLISH = re.compile(r"[\u4e00-\u9fff].*\s[A-Za-z]", re.S)


def test_every_bad_input_is_a_clear_documented_error_and_records_nothing(world):
    client, tokens, fill = world
    doc = Document()
    failures = []
    for method, path, who, body, status, code in ROWS:
        path = fill_in(path, fill)
        kwargs = {key: fill_in(value, fill) for key, value in body.items()}
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who != "nobody" else {}
        before = recorded()
        res = client.open(API + path, method=method.upper(), headers=headers, **kwargs)
        error = (res.get_json(silent=True) or {}).get("error") or {}
        row = f"{method.upper()} {path} as {who} {str(kwargs.get('data', ''))[:60]!r}"
        if (res.status_code, error.get("code")) != (status, code):
            failures.append(f"{row}: {res.status_code} {error.get('code')} (want {status} {code})")
        elif not CHINESE_THEN_ENGLISH.search(error.get("message", "")):
            failures.append(f"{row}: message {error.get('message')!r} is not Chinese then English")
        else:
            try:
                doc.check(res, path, method)
            except AssertionError as exc:
                failures.append(f"{row}: not as documented: {exc}")
        if recorded() != before:
            failures.append(f"{row}: something was recorded")
    assert not failures, "\n".join(failures)

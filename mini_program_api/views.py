"""JSON views of the interview flow for the mini-program (and the H5's uploads): thin wrappers over services."""
from flask import Blueprint, jsonify

from app.core.access import bearer_token, json_body, json_field, raw_body
from app.core.errors import BadRequest
from app.core.rate_limits import identity_limit, token_miss_limit
from app.interview import flow as interview_flow
from app.interview import question_clock, uploads
from app.interview.flow import progress
from app.interview.invitations import token_exists
from mini_program_api.auth import current_interview
from mini_program_api.openapi import build_document
from mini_program_api.serializers import interview_info, next_question_out, question_list, status_out, timing_out

bp = Blueprint("mini_program_api", __name__, url_prefix="/mp/api/v1")
token_miss_limit(bp, token_exists)


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_document())


@bp.get("/interview")
def interview():
    return jsonify(interview_info(current_interview()))


@bp.post("/consent")
def consent():
    interview = current_interview()
    data = json_body()
    recording = json_field(data, "recording", "boolean", required=True)
    biometric = json_field(data, "biometric", "boolean")  # None: not sent (no at first, unchanged on a repeat)
    text_version = json_field(data, "text_version", "string", required=True)
    return jsonify(status_out(interview_flow.give_consent(interview.id, recording, biometric, text_version)))


@bp.post("/identity")
@identity_limit
def identity():
    interview = current_interview()
    data = json_body()
    name = json_field(data, "name", "string", required=True)
    phone_last4, phone_proof, face = (json_field(data, field, "string", default="")
                                      for field in ("phone_last4", "phone_proof", "face_jpeg_base64"))
    done = interview_flow.verify_identity(interview.id, name, phone_last4, face or None, phone_proof=phone_proof)
    return jsonify(status_out(done))


@bp.post("/device-check")
def device_check():
    return jsonify(status_out(interview_flow.mark_device_checked(current_interview().id)))


@bp.get("/questions")
def questions():
    return jsonify(question_list(current_interview()))


@bp.get("/questions/next")
def next_question():
    interview = current_interview()
    state = progress(interview)
    return jsonify({"step": state.step, "question": next_question_out(interview, state.question) if state.question
                    else None})


@bp.post("/questions/<int:question_id>/start")
def start_attempt(question_id):
    interview = current_interview()
    data = json_body(optional=True)
    attempt, recording = _attempt(data, required=False), data.get("recording", False)
    if not isinstance(recording, bool):
        raise BadRequest("recording 必须是 true 或 false recording must be a boolean", code="invalid_recording")
    if not recording:
        return jsonify(timing_out(question_clock.open_attempt(interview, question_id, attempt)))
    if attempt is None:
        raise BadRequest("开始录制时必须指明 attempt Recording needs the attempt number", code="invalid_attempt")
    return jsonify(timing_out(question_clock.start_recording(interview, question_id, attempt)))


@bp.post("/questions/<int:question_id>/page-hidden")
def page_hidden(question_id):
    """The H5 left the page (app switch, lock) while recording: count it for the integrity checks."""
    interview = current_interview()
    data = json_body()
    row = question_clock.record_page_hidden(interview, question_id, _attempt(data, required=True), data.get("seconds"))
    return jsonify({"hidden_count": row.hidden_count, "hidden_seconds": round(row.hidden_seconds, 1)})


def _attempt(data, required):
    """The body's attempt number (an integer; None when absent and not required); BadRequest invalid_attempt."""
    attempt = data.get("attempt")
    if attempt is None and not required:
        return None
    if not isinstance(attempt, int) or isinstance(attempt, bool):
        raise BadRequest("attempt 必须是整数 attempt must be an integer", code="invalid_attempt")
    return attempt


@bp.post("/uploads")
def upload_init():
    token = bearer_token()
    current_interview()
    data = json_body()
    # JSON integers only: "1" or 1.5 is refused naming the field (400 invalid_field), as every field of this API.
    question_id, attempt, total_bytes = (json_field(data, "question_id", "integer", required=True),
                                         json_field(data, "attempt", "integer", default=1),
                                         json_field(data, "total_bytes", "integer", required=True))
    upload = uploads.init_upload(token, question_id, attempt, data.get("mime_type"), total_bytes,
                                 data.get("recording") or "")
    return jsonify(uploads.describe(upload)), 201


@bp.route("/uploads/<upload_id>/chunks/<int(signed=True):index>", methods=["PUT", "POST"])
def upload_chunk(upload_id, index):
    upload = uploads.put_chunk(bearer_token(), upload_id, index, raw_body())
    return jsonify(uploads.chunk_receipt(upload, index))


@bp.get("/uploads/<upload_id>")
def upload_status(upload_id):
    return jsonify(uploads.upload_status(bearer_token(), upload_id))


@bp.post("/uploads/<upload_id>/complete")
def upload_complete(upload_id):
    answer, created = uploads.complete_upload(bearer_token(), upload_id)
    body = {"answer": {"id": answer.id, "question_id": answer.question_id, "attempt": answer.attempt,
                       "duration_s": answer.duration_s, "has_video": answer.has_video, "status": answer.status},
            "created": created, "interview": status_out(answer.interview)}
    return jsonify(body), 201 if created else 200


@bp.get("/status")
def status():
    return jsonify(status_out(current_interview()))

"""The candidate's side: the status page (/i/<token>/status), their attachments, and the JSON API the page
(and a mini-program) uses to send messages and upload attachments (/mp/api/v1/conversation, bearer token)."""
from flask import Blueprint, jsonify, render_template, url_for

from app.conversation import attachments, services
from app.core import domains
from app.core.access import bearer_token, json_body, json_field, raw_body
from app.core.candidate_files import send_stored_file
from app.core.errors import BadRequest
from app.core.extensions import settings
from app.core.rate_limits import token_miss_limit
from app.interview import identity_lock, uploads
from app.interview.invitations import data_deleted, open_link, token_exists

page_bp = Blueprint("conversation", __name__, url_prefix="/i")
api_bp = Blueprint("conversation_api", __name__, url_prefix="/mp/api/v1/conversation")
token_miss_limit(page_bp, token_exists)
token_miss_limit(api_bp, token_exists)


@page_bp.get("/<token>/status")
def status(token):
    interview = open_link(token)
    final = domains.final_page(interview.application)
    if final is not None:  # one final state (the data was deleted), nothing the rows left behind would still say
        return final
    config = {"token": token, "apiBase": url_for("conversation_api.show"),
              "maxBytes": attachments.max_bytes(), "maxFiles": attachments.MAX_PER_MESSAGE}
    application = interview.application
    return render_template("conversation/status.html", token=token, interview=interview, config=config,
                           company=settings["COMPANY_NAME"], top=domains.status_sections(application, "top"),
                           bottom=domains.status_sections(application, "bottom"),
                           identity_locked=identity_lock.is_locked(interview),
                           **services.candidate_status(interview))


@page_bp.get("/<token>/attachments/<int:attachment_id>")
def attachment(token, attachment_id):
    interview = open_link(token)
    return send_stored_file(*attachments.open_for(interview.application_id, attachment_id))


def _interview():
    """The interview the bearer token opens; Gone once the candidate's data was deleted: the link then shows only
    that (the status page) and writes nothing new, no message, no file."""
    interview = open_link(bearer_token())
    if domains.final_page(interview.application) is not None:
        raise data_deleted()
    return interview


def message_out(message, names, superseded=()):
    """One message as JSON; `superseded`: an invitation notice a newer invitation replaced (its link and deadline
    no longer hold), which the client shows as services.SUPERSEDED."""
    return {"id": message.id, "from": message.sender_kind, "name": names.get(message.sender, ""),
            "channel": message.channel, "text": message.body, "at": message.created_at.isoformat() + "Z",
            "attachments": [attachments.attachment_out(a) for a in message.attachments],
            "superseded": message.id in superseded}


@api_bp.get("")
def show():
    state = services.candidate_status(_interview())
    phase = state["phase"]
    return jsonify({"phase": {"key": phase.key, "title": phase.title, "next": phase.next_step, "final": phase.final,
                              "step": phase.step, "steps": list(state["steps"])},
                    "due": state["due"].isoformat() + "Z" if state["due"] else None,
                    "messages": [message_out(m, state["names"], state["superseded"]) for m in state["messages"]]})


@api_bp.post("/messages")
def post_message():
    interview = _interview()
    data = json_body()
    ids = data.get("attachment_ids") or []
    if not isinstance(ids, list):
        raise BadRequest("attachment_ids 必须是数组 attachment_ids must be a list", code="invalid_attachment")
    message = services.post_candidate_message(interview, json_field(data, "text", "string", default=""), ids)
    return jsonify(message_out(message, {})), 201


@api_bp.post("/attachments")
def attachment_init():
    interview = _interview()
    data = json_body()
    services.check_upload_rate(interview.application_id)
    upload = attachments.init_upload(interview, json_field(data, "filename", "string", required=True),
                                     json_field(data, "total_bytes", "integer", required=True), data.get("purpose"))
    return jsonify(attachments.describe(upload)), 201


@api_bp.route("/attachments/<upload_id>/chunks/<int(signed=True):index>",
              methods=["PUT", "POST"])
def attachment_chunk(upload_id, index):
    upload = attachments.put_chunk(_interview(), upload_id, index, raw_body())
    return jsonify(uploads.chunk_receipt(upload, index))


@api_bp.get("/attachments/<upload_id>")
def attachment_status(upload_id):
    return jsonify(attachments.describe(attachments.get_upload(_interview(), upload_id)))


@api_bp.post("/attachments/<upload_id>/complete")
def attachment_complete(upload_id):
    item = attachments.complete_upload(_interview(), upload_id)
    return jsonify({"attachment": attachments.attachment_out(item)}), 201

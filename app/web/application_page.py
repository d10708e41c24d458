"""What the staff pages show: applications a member may see, one application's trail and notes."""
from app.core import pipeline
from app.core.errors import BadRequest
from app.core.models import Note
from app.interview import decision_changes, decision_options, reports
from app.interview.models import CardMessage
from app.process.models import Approval

NOTE_MAX = 2000
NOTE_DRAFT = "note"


def application_page(application, member=None):
    report = reports.latest_report(application.id)
    return {
        "application": application,
        "stage_label": pipeline.STAGE_LABELS.get(application.stage, application.stage),
        "labels": pipeline.STAGE_LABELS,
        "source_labels": pipeline.SOURCE_LABELS,
        "history": pipeline.history(application.id),
        "notes": list(Note.select().where(Note.application == application.id).order_by(Note.created_at.desc())),
        "cards": list(CardMessage.select().where(CardMessage.application == application.id)
                      .order_by(CardMessage.created_at)),
        "approvals": list(Approval.select().where(Approval.application == application.id)),
        "report": report,
        "report_total": reports.total_text(report.total) if report else "",
        "report_basis": reports.basis_line(report) if report else "",
        "decisions": decision_options.options(application.stage), "confirm_keys": decision_options.CONFIRM,
        "change_options": decision_changes.change_options(application, member),
        "decided": decision_changes.decided_note(application),
        "can_offer": pipeline.can_move(application.stage, "offer_approval"),
    }


def add_note(application_id, author, body):
    body = (body or "").strip()
    if not body:
        raise BadRequest("备注不能为空 The note is empty", code="note_empty")
    if len(body) > NOTE_MAX:
        raise BadRequest(f"备注最多 {NOTE_MAX} 字,这条有 {len(body)} 字,请删减后再保存 "
                         f"The note has {len(body)} characters, at most {NOTE_MAX}", code="note_too_long")
    return Note.create(application=application_id, author=author, body=body)

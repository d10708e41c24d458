"""What the staff pages show: applications a member may see, one application's trail and notes."""
from app.errors import BadRequest
from app.models import Application, Approval, Candidate, CardMessage, Job, Note
from app.services import decision_changes, decision_options, pipeline, reports
from app.services.staff import can_view_application


def applications_for(staff, limit=200):
    """Applications of the member's jobs (every job for HR), newest first."""
    query = (Application.select(Application, Candidate, Job).join(Candidate).switch(Application).join(Job)
             .order_by(Application.updated_at.desc()).limit(limit))
    if not staff.is_hr:
        if not staff.job_ids:
            return []
        query = query.where(Application.job.in_(list(staff.job_ids)))
    return list(query)


def application_for(staff, application_id):
    """The application if the member may see it, else None (a 404: do not reveal it exists)."""
    application = Application.get_or_none(Application.id == application_id)
    return application if application is not None and can_view_application(staff, application) else None


def application_page(application, member=None):
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
        "report": reports.latest_report(application.id),
        "decisions": decision_options.options(application.stage), "confirm_keys": decision_options.CONFIRM,
        "change_options": decision_changes.change_options(application, member),
        "can_offer": pipeline.can_move(application.stage, "offer_approval"),
    }


def add_note(application_id, author, body):
    body = (body or "").strip()
    if not body:
        raise BadRequest("备注不能为空 The note is empty", code="note_empty")
    if len(body) > 2000:
        raise BadRequest("备注最多2000字 The note is too long", code="note_too_long")
    return Note.create(application=application_id, author=author, body=body)

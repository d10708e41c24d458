"""The resume file on the staff application page (/m): HR and the job's managers, every view in the access log."""
from flask import Blueprint

from app.core import access_log
from app.core.access import current_staff, login_required, visible_application
from app.core.access_log import Action
from app.core.candidate_files import send_stored_file
from app.screening import staff_panel

bp = Blueprint("screening_staff", __name__, url_prefix="/m")


@bp.get("/applications/<int:application_id>/resume")
@login_required
def resume(application_id):
    application = visible_application(application_id)
    item, fileobj = staff_panel.open_resume(application_id)
    response = send_stored_file(item, fileobj)
    access_log.record_view(current_staff(), Action.VIEW_RESUME, application, f"resume:{item.resume_id}")
    return response

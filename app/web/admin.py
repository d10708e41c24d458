"""HR admin views."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.core import forms
from app.core import staff as staff_access
from app.core.access import current_staff, hr_required
from app.core.converters import parse_int
from app.core.errors import AppError
from app.core.links import interview_url
from app.core.models import Job, JobStatus
from app.core.pipeline import STAGE_LABELS
from app.interview import invitations, result_cards
from app.wecom import WeComError
from app.wecom.users import actor_name

bp = Blueprint("admin", __name__, url_prefix="/admin")
HOME_ROWS = 20  # the most recently updated applications on the home page; the workbench has them all


def _form_id(name):
    """The id in form field `name`, or 0 (which names nothing: the service says it was not found)."""
    try:
        return parse_int(request.form.get(name, ""))
    except ValueError:
        return 0


@bp.get("/")
@hr_required
def home():
    jobs = list(Job.select().order_by(Job.id))
    return render_template("admin/home.html", staff=current_staff(), jobs=jobs,
                           open_jobs=[j for j in jobs if j.status == JobStatus.OPEN],   # the ones to invite to
                           applications=staff_access.applications_for(current_staff(), limit=HOME_ROWS),
                           labels=STAGE_LABELS, invite=forms.take_draft("invite", "home") or {})


@bp.post("/test-card")
@hr_required
def test_card():
    try:
        card = result_cards.send_test_card(_form_id("application_id"),
                                             request.form.get("userid", "").strip())
        # the member by name, as every staff page names people (users.actor_name), not by their WeCom account
        flash(f"测试卡片已发送给 {'、'.join(actor_name(userid) for userid in card.userids)}(task_id {card.task_id})")
    except AppError as exc:
        flash(exc.message, "error")
    except WeComError as exc:
        flash(exc.staff_message, "error")
    return redirect(url_for("admin.home"))


@bp.post("/invite")
@hr_required
def invite():
    """Invite a candidate to a job's AI interview; show the link and its QR code to send or share."""
    ok, invited = forms.run(lambda: invitations.invite(_form_id("job_id"), request.form.get("name", ""),
                                                       request.form.get("phone", ""), actor=current_staff().userid,
                                                       source="web"),
                            draft=("invite", "home", forms.typed(("job_id", "name", "phone"))))
    if not ok:   # the home page fills the form again beside the reason
        return redirect(url_for("admin.home"))
    interview, token, sent = invited
    url = interview_url(token)
    return render_template("admin/invited.html", staff=current_staff(), interview=interview, url=url,
                           qr=invitations.qr_data_uri(url), sent=sent)

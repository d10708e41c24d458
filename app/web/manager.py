"""Manager views: thin, each calls one service."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from app.conversation.staff_panel import panel as conversation_panel
from app.core import forms, links
from app.core import staff as staff_access
from app.core.access import current_staff, login_required, visible_application
from app.core.errors import AppError
from app.core.pipeline import STAGE_LABELS
from app.interview import identity_lock
from app.interview.decision_forms import change_from_form, decide_from_form
from app.process import audit
from app.process.staff_panel import panel as process_panel
from app.screening import actions, ownership
from app.screening.staff_panel import panel as screening_panel
from app.web import application_page as staff_pages

bp = Blueprint("manager", __name__, url_prefix="/m")


@bp.get("/")
@login_required
def home():
    return render_template("manager/home.html", staff=current_staff(), labels=STAGE_LABELS,
                           applications=staff_access.applications_for(current_staff()))


@bp.get("/applications/<int:application_id>")
@login_required
def application(application_id):
    app = visible_application(application_id)
    member = current_staff()
    same_phone = ownership.same_phone_counts([app]).get(app.id, 0) if member.is_hr else 0
    return render_template("manager/application.html", staff=member, **staff_pages.application_page(app, member),
                           identity_locked=identity_lock.locked_interview(app.id),
                           conversation=conversation_panel(app, request.args.get("compose", "")),
                           process=process_panel(app, member), screening=screening_panel(app, member),
                           same_phone=same_phone,
                           note_draft=(forms.take_draft(staff_pages.NOTE_DRAFT, app.id) or {}).get("body", ""))


@bp.post("/applications/<int:application_id>/notes")
@login_required
def add_note(application_id):
    visible_application(application_id)
    body = request.form.get("body", "")   # a refused note comes back in the box as typed, whole
    forms.run(lambda: staff_pages.add_note(application_id, current_staff().userid, body), "备注已保存",
              draft=(staff_pages.NOTE_DRAFT, application_id, {"body": body}))
    return redirect(url_for("manager.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/decide")
@login_required
def decide(application_id):
    visible_application(application_id)
    decide_from_form(application_id)
    return redirect(url_for("manager.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/change-decision")
@login_required
def change_decision(application_id):
    visible_application(application_id)
    change_from_form(application_id)
    return redirect(url_for("manager.application", application_id=application_id))



@bp.post("/applications/<int:application_id>/identity/unlock")
@login_required
def unlock_identity(application_id):
    """HR gives a locked-out candidate's link its identity attempts back (app/interview/identity_lock.py)."""
    visible_application(application_id)
    member = current_staff()
    try:
        identity_lock.unlock(application_id, member)
        audit.record(application_id, "identity_unlocked", member.userid)
        flash("已解锁:候选人可以用原链接重新做身份核验")
    except AppError as exc:
        flash(exc.message, "error")
    return redirect(url_for("manager.application", application_id=application_id) + "#identity-lock")


@bp.post("/applications/<int:application_id>/identity/reinvite")
@login_required
def reinvite(application_id):
    """HR opens a new AI interview (a new link; the old one stops working) for a locked-out candidate."""
    visible_application(application_id)
    member = current_staff()
    if not member.is_hr:
        abort(403)
    try:
        sent = []
        token = actions.invite(application_id, member.userid, sent=sent)
        audit.record(application_id, "reinvited", member.userid)
        flash(f"已重新邀请。新的面试链接(原链接已失效,请发给候选人):{links.interview_url(token)}" if token else
              "已重新邀请:候选人投递时拿到的链接会打开新的面试")
        for notice in sent:
            if notice["channels"]:
                flash(f"已通知候选人:{notice['summary']}({notice['state_label']})")
    except AppError as exc:
        flash(exc.message, "error")
    return redirect(url_for("manager.application", application_id=application_id))

"""The staff side: reply from the application page, save a job's quick reply, open a candidate's attachment
(what the conversation panel shows: staff_panel.py)."""
from flask import Blueprint, flash, redirect, request, url_for

from app.conversation import attachments, drafts, services
from app.conversation.models import Channel, DeliveryState
from app.conversation.staff_panel import REPLY_DRAFT
from app.core import access_log, forms
from app.core.access import current_staff, login_required, visible_application
from app.core.access_log import Action
from app.core.candidate_files import send_stored_file

bp = Blueprint("conversation_staff", __name__, url_prefix="/m")


def _back(application_id, **args):
    return redirect(url_for("manager.application", application_id=application_id, **args) + "#conversation")


@bp.post("/applications/<int:application_id>/messages")
@login_required
def reply(application_id):
    application = visible_application(application_id)
    text, userid = request.form.get("body", ""), current_staff().userid
    # A refused reply (too long, empty) or template comes back in the form as typed, whole (the form's size limit
    # bounds it): staff_panel.panel takes it.
    draft = (REPLY_DRAFT, application_id, {"body": text, "title": request.form.get("title", "")[:40]})
    if request.form.get("action") == "save_template":
        forms.run(lambda: drafts.save_template(application.job_id, request.form.get("title", ""), text, userid),
                  "已保存为本岗位的快捷回复", draft=draft)
        return _back(application_id)
    sent, result = forms.run(lambda: services.post_staff_message(application_id, userid, text), draft=draft)
    if sent:
        held = [d for d in result[1] if d.state == DeliveryState.HELD]
        flash("已发送,候选人在状态页可以看到" + "".join(
            f";{Channel.LABELS[d.channel]}未发送:{d.detail},这条只在状态页显示" for d in held))
    return _back(application_id)


@bp.get("/applications/<int:application_id>/attachments/<int:attachment_id>")
@login_required
def attachment(application_id, attachment_id):
    application = visible_application(application_id)
    response = send_stored_file(*attachments.open_for(application_id, attachment_id))
    access_log.record_view(current_staff(), Action.VIEW_ATTACHMENT, application, f"attachment:{attachment_id}")
    return response

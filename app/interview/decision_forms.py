"""The decision forms of the staff pages (report page, application page): one way to post a decision."""
from flask import flash, request

from app.core import forms
from app.core.access import current_staff
from app.interview import decision_changes, decision_options, decisions


def decide_from_form(application_id):
    """Apply the decision posted by a page's button and flash the outcome; 淘汰 needs its confirmation."""
    decision = request.form.get("decision", "")
    if decision in decision_options.CONFIRM and request.form.get("confirm") != "1":
        flash("请在确认框中确认淘汰 Confirm the rejection first")
        return
    forms.run(lambda: decisions.decide(application_id, decision, current_staff().userid, "web",
                                       reason=request.form.get("reason", "")),
              lambda event: "已记录你的决定" if event else "该决定此前已记录")


def change_from_form(application_id):
    """Change a decision already made (HR, or the deciding manager for a while), with the posted reason."""
    forms.run(lambda: decision_changes.change_decision(application_id, request.form.get("decision", ""),
                                                       current_staff().userid, request.form.get("reason", "")),
              "决定已更改，HR和用人经理会收到通知")

"""The forms of the staff application page's process panel (/m; what the panel shows: staff_panel.py): the round
and its slots, the booking, the second-round decision, the background check, the offer and its policy, the
onboarding checklist, arrival and reminders. Interviewers' pages are in interviewer_views.py."""

from flask import Blueprint, abort, flash, redirect, request, url_for

from app.core import access_log, forms
from app.core import staff as staff_access
from app.core.access import current_staff, hr_required, login_required, safe_next, visible_application
from app.core.access_log import Action
from app.core.candidate_files import send_stored_file
from app.core.errors import AppError, Forbidden
from app.core.models import Job
from app.process import availability as interviewer_times
from app.process import (
    checklists,
    checks,
    documents,
    offer_withdrawal,
    offers,
    onboarding,
    reminders,
    round_decisions,
    scheduling,
)

bp = Blueprint("process_staff", __name__, url_prefix="/m")


def _back(application_id, anchor="process"):
    return redirect(url_for("manager.application", application_id=application_id) + f"#{anchor}")


# -- scheduling ---------------------------------------------------------------------------------------
@bp.post("/applications/<int:application_id>/round")
@login_required
def open_round(application_id):
    visible_application(application_id)
    form = request.form
    # Picked from the directory (checkboxes); a comma-separated text field is read the same way.
    panel = ",".join(form.getlist("interviewers"))
    forms.run(lambda: scheduling.open_round(
        application_id, current_staff().userid, interviewers=panel, duration_min=form.get("duration_min"),
        fmt=form.get("format"), place=form.get("place"), focus=form.get("focus")), "复试安排已保存",
        draft=("round", application_id, {**forms.typed(("duration_min", "format", "place", "focus")),
                                         "interviewers": form.getlist("interviewers")}))
    return _back(application_id)


@bp.post("/applications/<int:application_id>/slots")
@login_required
def add_slot(application_id):
    application = visible_application(application_id)
    round_ = scheduling.round_of(application.id)

    def act():
        if round_ is None:
            raise AppError("请先保存复试安排 Set up the round first", code="no_round")
        scheduling.check_can_schedule(current_staff(), application)
        return scheduling.add_slot(round_.id, interviewer_times.parse_local(request.form.get("start")),
                                   current_staff().userid)
    forms.run(act, lambda slot: f"已提供 {interviewer_times.when(slot)}",
              draft=("slot", application_id, forms.typed(("start",))))
    return _back(application_id)


@bp.post("/applications/<int:application_id>/slots/<int:slot_id>/<action>")
@login_required
def slot_action(application_id, slot_id, action):
    application = visible_application(application_id)
    round_ = scheduling.round_of(application.id) or abort(404)

    def act():
        scheduling.check_can_schedule(current_staff(), application)
        if action == "offer":
            return scheduling.offer_existing(round_.id, slot_id, current_staff().userid)
        if action == "withdraw":
            return scheduling.withdraw_slot(round_.id, slot_id, current_staff().userid)
        abort(404)
    forms.run(act, "已更新")
    return _back(application_id)


@bp.post("/applications/<int:application_id>/booking/cancel")
@login_required
def cancel_booking(application_id):
    application = visible_application(application_id)
    round_ = scheduling.round_of(application.id) or abort(404)

    def act():
        scheduling.check_can_schedule(current_staff(), application)
        return scheduling.cancel_booking(round_.id, current_staff().userid, request.form.get("reason", ""))
    forms.run(act, "预约已取消,企业微信日程和会议会随之取消")
    return _back(application_id)


@bp.post("/applications/<int:application_id>/round-decision")
@login_required
def round_decision(application_id):
    visible_application(application_id)
    forms.run(lambda: round_decisions.decide(application_id, request.form.get("decision", ""), current_staff().userid,
                                        request.form.get("reason", "")), "已记录复试决定")
    if request.form.get("back"):
        return redirect(safe_next(request.form.get("back")))
    return _back(application_id)


# -- offer, arrival, reminders ---------------------------------------------------------------------------
@bp.post("/applications/<int:application_id>/check/items/<int:item_id>")
@login_required
def verify_check_item(application_id, item_id):
    return _verify(checks.verify_item, application_id, item_id, "check")


@bp.post("/applications/<int:application_id>/check/decision")
@login_required
def check_decision(application_id):
    visible_application(application_id)
    forms.run(lambda: checks.decide_problem(application_id, current_staff().userid,
                                       request.form.get("decision") == "go_on", request.form.get("note", "")),
         "已记录决定")
    return _back(application_id, "check")


@bp.get("/applications/<int:application_id>/check/files/<int:attachment_id>")
@login_required
def check_file(application_id, attachment_id):
    return _document(application_id, documents.CHECK, attachment_id)


@bp.get("/applications/<int:application_id>/onboarding/files/<int:attachment_id>")
@login_required
def onboarding_file(application_id, attachment_id):
    return _document(application_id, documents.ONBOARDING, attachment_id)


def _document(application_id, kind, attachment_id):
    """A document of the check or the checklist: HR only, only a file that kind of item names, every view logged."""
    application = visible_application(application_id)
    member = current_staff()
    if not member.is_hr:
        raise Forbidden("背景调查和入职材料仅HR可查看 HR only", code="hr_only")
    response = send_stored_file(*documents.open_document(application_id, kind, attachment_id))
    access_log.record_view(member, Action.VIEW_DOCUMENT, application, f"{kind}_file:{attachment_id}")
    return response


@bp.post("/applications/<int:application_id>/onboarding/items/<int:item_id>")
@login_required
def verify_onboarding_item(application_id, item_id):
    return _verify(onboarding.verify_item, application_id, item_id, "onboarding")


def _verify(verify_item, application_id, item_id, section):
    """HR's 核实 of one background-check or onboarding item (verified or returned with a note)."""
    visible_application(application_id)
    forms.run(lambda: verify_item(application_id, item_id, current_staff().userid,
                                  request.form.get("result") == "verified", request.form.get("note", "")),
              "已记录核实结果")
    return _back(application_id, section)


@bp.post("/applications/<int:application_id>/offer-letter")
@login_required
def create_offer(application_id):
    visible_application(application_id)
    forms.run(lambda: offers.create_offer(application_id, current_staff().userid, request.form),
              lambda offer: "已发起企业微信审批(超出岗位政策:" + ";".join(offer.breaks) + ")" if offer.breaks
              else "Offer 在岗位政策内,已直接发给候选人",
              draft=("offer", application_id, forms.typed(offers.OFFER_FIELDS)))
    return _back(application_id, "offer")


@bp.post("/applications/<int:application_id>/offer/withdraw")
@hr_required
def withdraw_offer(application_id):
    visible_application(application_id)
    form = request.form
    forms.run(lambda: offer_withdrawal.withdraw_offer(application_id, current_staff().userid, form.get("reason", ""),
                                                      form.get("tell_candidate") == "on"),
              lambda offer: "Offer 已撤回,候选人已收到通知;可以重新填写 Offer" if offer.status == "withdrawn"
              else "Offer 已撤回(审批中,候选人未见过),已告知审批人无需再处理;可以重新填写 Offer",
              draft=("offer_withdraw", application_id, forms.typed(("reason", "tell_candidate"))))
    return _back(application_id, "offer")


@bp.post("/jobs/<int:job_id>/offer-policy")
@login_required
def offer_policy(job_id):
    job = Job.get_or_none(Job.id == job_id) or abort(404)
    forms.run(lambda: offers.save_policy(job, current_staff().userid, request.form), "岗位Offer模板已保存",
              draft=("offer_policy", job.id, forms.typed(offers.POLICY_FIELDS)))
    return redirect(safe_next(request.form.get("back")))


@bp.post("/jobs/<int:job_id>/onboarding-checklist")
@login_required
def onboarding_checklist(job_id):
    job = Job.get_or_none(Job.id == job_id) or abort(404)
    text = request.form.get("checklist", "")   # whole: checklists.parse refuses a text over MAX_TEXT
    forms.run(lambda: checklists.save(job, current_staff().userid, text),
              "岗位入职清单已保存(之后开始入职的候选人使用新清单)",
              draft=("checklist", job.id, text))  # the page shows what HR typed again, beside the error
    return redirect(safe_next(request.form.get("back")))


@bp.post("/applications/<int:application_id>/arrival")
@login_required
def confirm_arrival(application_id):
    visible_application(application_id)
    forms.run(lambda: onboarding.confirm_arrival(application_id, current_staff().userid,
                                            request.form.get("employee_userid", "")),
              "已确认到岗,正在创建企业微信账号", draft=("arrival", application_id, forms.typed(("employee_userid",))))
    return _back(application_id)


@bp.post("/jobs/<int:job_id>/reminders")
@login_required
def reminder_settings(job_id):
    job = Job.get_or_none(Job.id == job_id) or abort(404)
    member = current_staff()
    staff_access.require_manager(member.userid, job.id, "修改提醒设置")
    reminders.set_disabled(job.id, [k for k in reminders.KINDS if request.form.get(k) != "on"])
    flash("提醒设置已保存")
    return redirect(safe_next(request.form.get("back")))

"""The applications workbench in /admin: ranked, filtered list with reasons; bulk actions; CSV/XLSX export."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from app.core import forms
from app.core.access import current_staff, hr_required, safe_next
from app.core.converters import parse_int
from app.core.links import interview_url
from app.core.models import Application, Job
from app.core.pipeline import STAGE_LABELS
from app.screening import actions, ownership, workbench
from app.screening.intake import CHANNELS

bp = Blueprint("workbench", __name__, url_prefix="/admin")


@bp.get("/applications")
@hr_required
def applications():
    filters = workbench.Filters.from_args(request.args)
    rows, total, pages = workbench.page(current_staff(), filters)
    return render_template("admin/applications.html", staff=current_staff(), rows=rows, total=total, pages=pages,
                           f=filters, jobs=list(Job.select().order_by(Job.id)), stages=STAGE_LABELS,
                           channels=CHANNELS, sorts=workbench.SORT_LABELS, actions=actions.ACTIONS,
                           draft=forms.take_draft("bulk", "workbench") or {},
                           none_yet=not total and not Application.select().exists())


@bp.post("/applications/bulk")
@hr_required
def bulk():
    ids = []
    for value in request.form.getlist("ids"):
        try:
            ids.append(parse_int(value, low=1))
        except ValueError:
            continue  # not an application id: nothing to act on
    back = safe_next(request.form.get("back"), default=url_for("workbench.applications"))
    if not back.startswith(("/admin/", "/m/applications/")):   # the workbench, or one application's page
        back = url_for("workbench.applications")
    if not ids:
        flash("请先勾选候选人 Select at least one application", "error")
        return redirect(back)
    # a refusal on the workbench keeps the ticks, the action and the message for the page it goes back to
    draft = (("bulk", "workbench", {"ids": ids, **forms.typed(("action", "message"))})
             if back.startswith(url_for("workbench.applications")) else None)
    ok, result = forms.run(lambda: actions.bulk(request.form.get("action", ""), ids, current_staff().userid,
                                                request.form.get("message", "")), draft=draft)
    if not ok:
        return redirect(back)
    label = actions.ACTIONS[request.form["action"]]
    skipped = f",未处理 {len(result['failed'])} 人" if result["failed"] else ""
    flash(f"{label}:成功 {len(result['done'])} 人{skipped}")
    for application_id, why in result["failed"]:
        flash(f"#{application_id}: {why}")
    reached = set()
    for sent in result["sent"]:
        if sent["channels"]:
            reached.add(sent["application_id"])
            flash(f"#{sent['application_id']} {sent['candidate']} · {sent['title']}:{sent['summary']}"
                  f"({sent['state_label']},结果见应聘记录)")
    for application_id, token in result["tokens"].items():
        if application_id not in reached:
            flash(f"#{application_id} 没有可用的通知渠道,请把面试链接发给候选人: {interview_url(token)}")
    return redirect(back)


@bp.get("/applications/export.<fmt>")
@hr_required
def export(fmt):
    filters = workbench.Filters.from_args(request.args)
    if fmt == "csv":
        body, mime = workbench.export_csv(current_staff(), filters), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = workbench.export_xlsx(current_staff(), filters)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        return redirect(url_for("workbench.applications"))
    return Response(body, content_type=mime,
                    headers={"Content-Disposition": f"attachment; filename=applications.{fmt}"})


@bp.get("/applications/<int:application_id>/same-phone")
@hr_required
def same_phone(application_id):
    """The application's candidate record beside every other record with the same phone, to join by hand."""
    application = Application.get_or_none(Application.id == application_id) or abort(404)
    return render_template("admin/same_phone.html", staff=current_staff(), application=application,
                           own=ownership.record_summary(application.candidate),
                           records=ownership.same_phone_records(application), stages=STAGE_LABELS,
                           channels=CHANNELS)


@bp.post("/applications/<int:application_id>/join")
@hr_required
def join(application_id):
    target = request.form.get("candidate_id", "")
    if request.form.get("confirm") != "yes":
        flash("请先勾选确认两条记录是同一个人 Tick the confirmation first", "error")
    elif not target.isdigit():
        flash("请选择要并入的记录 Pick a record", "error")
    else:
        forms.run(lambda: ownership.join_candidate(application_id, int(target),
                                                   ownership.Proof.hr_merge(current_staff().userid)),
                  "已合并:该申请现属于所选的候选人记录(已记入查看记录)")
    return redirect(url_for("workbench.same_phone", application_id=application_id))

"""HR's recruiting analytics under /admin/analytics: the dashboard, downloads, the data loop (performance
import, correlations, recommended weights) and the adverse-impact tables. HR only."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from app.analytics import calibration, charts, dashboard, demo, performance
from app.analytics.funnel import Cohort
from app.core import forms
from app.core.access import current_staff, hr_required
from app.core.errors import AppError, BadRequest
from app.core.models import Application

bp = Blueprint("analytics", __name__, url_prefix="/admin/analytics")


def _page(template, **context):
    return render_template(template, staff=current_staff(), synthetic=demo.demo_present(), jobs=dashboard.jobs(),
                           none_yet=not Application.select().exists(),
                           channels=dashboard.CHANNELS, demo_prefix=demo.PREFIX, **context)


@bp.get("/")
@hr_required
def home():
    view = request.args.get("view") or "funnel"
    filters = {k: v for k, v in request.args.items() if k != "view"}
    try:
        cohort, days, attrs = dashboard.parse_filters(request.args)
    except BadRequest as exc:  # the filters again as typed beside the reason, nothing counted
        return _page("analytics/dashboard.html", sections=[], args=filters, attrs="", cohort=Cohort(),
                     days=request.args.get("days", ""), view=view, views=dashboard.VIEWS, error=exc.message), 400
    sections = dashboard.build(cohort, days, attrs, view)
    return _page("analytics/dashboard.html", sections=sections, args=filters, attrs=",".join(attrs),
                 cohort=cohort, days=days, view=view, views=dashboard.VIEWS)


@bp.get("/export/<name>.<fmt>")
@hr_required
def export(name, fmt):
    if fmt not in ("csv", "xlsx"):
        raise BadRequest("只支持 CSV 或 XLSX Only csv or xlsx", code="unknown_format")
    cohort, days, attrs = dashboard.parse_filters(request.args)
    sec = dashboard.section(name, cohort, days, attrs)
    return _download(dashboard.to_csv(sec) if fmt == "csv" else dashboard.to_xlsx(sec), f"analytics-{name}", fmt)


def _download(body, name, fmt):
    mime = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, content_type=mime, headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"})


@bp.get("/calibration")
@hr_required
def calibration_page():
    job_id = request.args.get("job", type=int)
    rec = calibration.recommendation(job_id) if job_id else None
    return _page("analytics/calibration.html", rec=rec, job_id=job_id,
                 overview=None if job_id else calibration.overview(), min_hires=calibration.MIN_HIRES,
                 corr_chart=charts.correlation_chart(rec) if rec else None,
                 history=calibration.history(job_id) if job_id else [])


@bp.post("/calibration/<int:job_id>/approve")
@hr_required
def approve(job_id):
    rec = calibration.recommendation(job_id)
    if "recommended" not in rec:
        flash(f"绩效数据不足（{rec['n']}/{rec['min_hires']} 名已入职员工），不能调整权重")
        return redirect(url_for("analytics.calibration_page", job=job_id))
    proposed = {name: request.form.get(f"w_{name}") for name in rec["current"]}
    if proposed != {k: str(v) for k, v in rec["recommended"].items()}:
        flash("推荐权重已经变化（有新的绩效数据），请重新查看后再批准")
        return redirect(url_for("analytics.calibration_page", job=job_id))
    evidence = {"n": rec["n"], "correlations": rec["correlations"], "past": {
        k: v for k, v in rec["past"].items() if k in ("scored", "share", "moved_in", "moved_out")}}
    calibration.apply(job_id, rec["recommended"], current_staff().userid, evidence)
    flash("已批准：岗位权重已更新，之前的报告保留当时的权重")
    return redirect(url_for("analytics.calibration_page", job=job_id))


@bp.get("/performance")
@hr_required
def performance_page():
    return _page("analytics/performance.html", item=None)


@bp.get("/performance/template.<fmt>")
@hr_required
def performance_template(fmt):
    if fmt not in ("csv", "xlsx"):
        raise BadRequest("只支持 CSV 或 XLSX Only csv or xlsx", code="unknown_format")
    return _download(performance.template(fmt), "performance-template", fmt)


@bp.post("/performance")
@hr_required
def performance_upload():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择文件 Choose a file")
        return redirect(url_for("analytics.performance_page"))
    try:
        item = performance.preview(upload.filename, upload.read(performance.MAX_BYTES + 1), current_staff().userid)
    except AppError as exc:
        return _page("analytics/performance.html", item=None, error=exc.message), exc.status
    return redirect(url_for("analytics.performance_preview", import_id=item.id))


@bp.get("/performance/<int:import_id>")
@hr_required
def performance_preview(import_id):
    return _page("analytics/performance.html", item=performance.get_import(import_id))


@bp.post("/performance/<int:import_id>/commit")
@hr_required
def performance_commit(import_id):
    ok, _ = forms.run(lambda: performance.commit(import_id), lambda count: f"已导入 {count} 条绩效记录")
    return redirect(url_for("analytics.performance_page") if ok else
                    url_for("analytics.performance_preview", import_id=import_id))

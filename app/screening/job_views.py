"""Jobs in /admin: create, edit (each save a new version), two versions compared, copy, close/open, postings with QR
codes, preview, YAML export/import."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from app.core import forms, jobs
from app.core.access import current_staff, hr_required
from app.core.errors import AppError, found
from app.core.extensions import settings
from app.core.models import Job, JobStatus
from app.interview import score_files
from app.interview.invitations import qr_data_uri
from app.interview.score_files import dimensions_not_asked, questions_without_anchors
from app.screening import intake, job_form, job_pages, job_versions
from app.screening.job_templates import export_template
from app.screening.screen import SCREEN_JOB

bp = Blueprint("jobs", __name__, url_prefix="/admin")


def _job(job_id):
    job = found(Job.get_or_none(Job.id == job_id), "岗位不存在 Job not found", code="job_not_found")
    return job


@bp.get("/jobs/<int:job_id>")
@hr_required
def job(job_id):
    return _job_page(_job(job_id))


def _job_page(job, trial=None, status=200):
    page = job_pages.overview(job)
    qrs = {row["link"].id: qr_data_uri(row["url"]) for row in page["links"]}
    return render_template("admin/job.html", staff=current_staff(), qrs=qrs, trial=trial or {},
                           no_anchors=questions_without_anchors(job), not_asked=dimensions_not_asked(job),
                           try_max=score_files.TRY_MAX_CHARS,
                           **page), status


@bp.post("/jobs/<int:job_id>/try-score")
@hr_required
def try_score(job_id):
    """试评分: score a pasted answer with the job's scorer and show it on the job page; nothing is stored."""
    job = _job(job_id)
    text = request.form.get("answer", "")
    try:
        position = int(request.form.get("question", "-1"))
    except ValueError:
        position = -1
    trial = {"question": position, "answer": text}
    try:
        trial["result"] = score_files.try_score(job, position, text)
    except AppError as exc:
        trial["error"] = exc.message
        return _job_page(job, trial, exc.status)
    return _job_page(job, trial)


@bp.route("/jobs/new", methods=["GET", "POST"])
@bp.route("/jobs/<int:job_id>/edit", methods=["GET", "POST"])
@hr_required
def edit_job(job_id=None):
    job = _job(job_id) if job_id else None
    if request.method == "POST":
        form = request.form.to_dict(flat=False)
        try:
            saved, version = job_pages.save(job_id, form, current_staff().userid)
        except AppError as exc:
            values = job_form.raw_to_form(form)
            return render_template("admin/job_edit.html", staff=current_staff(), job=job, v=values,
                                   error=exc.message), 400
        if version is None:
            flash(f"没有修改,仍是第 {saved.version} 版 Nothing changed: still version {saved.version}")
        else:
            flash(f"已保存为第 {version.number} 版 Saved as version {version.number}")
        return redirect(url_for("jobs.job", job_id=saved.id))
    return render_template("admin/job_edit.html", staff=current_staff(), job=job,
                           v=job_pages.editor_values(job_id), error=None)


@bp.post("/jobs/<int:job_id>/copy")
@hr_required
def copy_job(job_id):
    new = job_versions.copy_job(_job(job_id).id, current_staff().userid)
    flash(f"已复制为新岗位 #{new.id}(未开放,编辑后再开放)")
    return redirect(url_for("jobs.job", job_id=new.id))


@bp.post("/jobs/<int:job_id>/status")
@hr_required
def job_status(job_id):
    status = request.form.get("status", "")
    job_versions.set_status(_job(job_id).id, status)
    flash("岗位已关闭,招聘链接不再接受投递" if status == JobStatus.CLOSED else "岗位已开放,招聘链接可以投递")
    return redirect(url_for("jobs.job", job_id=job_id))


@bp.post("/jobs/<int:job_id>/links")
@hr_required
def create_link(job_id):
    forms.run(lambda: intake.create_link(_job(job_id).id, request.form.get("channel", ""), current_staff().userid))
    return redirect(url_for("jobs.job", job_id=job_id) + "#postings")


@bp.post("/jobs/<int:job_id>/rescreen")
@hr_required
def rescreen(job_id):
    jobs.enqueue(SCREEN_JOB, _job(job_id).id, key="manual")
    flash("已开始重新筛选,稍后刷新查看 Re-screening started")
    return redirect(url_for("jobs.job", job_id=job_id))


@bp.get("/jobs/<int:job_id>/preview")
@hr_required
def preview(job_id):
    job = _job(job_id)
    return render_template("admin/job_preview.html", job=job, questions=job_pages.preview(job),
                           company=settings["COMPANY_NAME"])


@bp.get("/jobs/<int:job_id>/versions/<int:number>")
@hr_required
def job_version(job_id, number):
    version = job_pages.version_of(_job(job_id).id, number)
    return render_template("admin/job_version.html", staff=current_staff(), job=version.job, version=version,
                           v=job_pages.editor_values(version=version))


@bp.get("/jobs/<int:job_id>/versions/<int:number>/compare/<int:other>")
@hr_required
def compare_versions(job_id, number, other):
    """「对比」: what changed between two versions of the job, older to newer."""
    job = _job(job_id)
    return render_template("admin/job_compare.html", staff=current_staff(), job=job,
                           **job_pages.comparison(job, number, other))


@bp.get("/jobs/<int:job_id>/export.yaml")
@hr_required
def export_job(job_id):
    return Response(export_template(job_id), content_type="text/yaml; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename=job-{job_id}.yaml"})


@bp.post("/jobs/import")
@hr_required
def import_job():
    upload = request.files.get("template")
    raw = upload.read() if upload else b""
    ok, job = forms.run(lambda: job_pages.import_yaml(raw, current_staff().userid),
                        lambda job: f"已导入岗位 #{job.id} {job.title}")
    return redirect(url_for("jobs.job", job_id=job.id) if ok else url_for("admin.home"))

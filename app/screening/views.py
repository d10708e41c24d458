"""Posting pages for candidates (WeUI H5, opened inside WeChat from a shared link or QR code)."""
from flask import Blueprint, redirect, render_template, request, url_for

from app.core.errors import BadRequest
from app.core.extensions import settings
from app.core.pipeline import STAGE_LABELS
from app.interview.models import Interview
from app.screening import intake

bp = Blueprint("postings", __name__, url_prefix="/p")


@bp.route("/<code>", methods=["GET", "POST"])
def posting(code):
    link, job, job_settings = intake.posting(code)
    error = None
    if request.method == "POST":
        upload = request.files.get("resume")
        try:
            if request.form.get("consent") != "yes":
                raise BadRequest("请先同意个人信息处理说明 Please agree to the privacy notice", code="consent_required")
            _, token, _ = intake.apply(code, request.form.get("name", ""), request.form.get("phone", ""),
                                       upload.read() if upload else b"", upload.filename if upload else "",
                                       {q["id"]: request.form.get(f"answer_{q['id']}", "")
                                        for q in job_settings.questions or []})
            return redirect(url_for("postings.applied", token=token))
        except BadRequest as exc:
            error = exc.message
    return render_template("postings/posting.html", job=job, link=link, questions=job_settings.questions or [],
                           company=settings["COMPANY_NAME"], error=error, form=request.form), 400 if error else 200


@bp.get("/applied/<token>")
def applied(token):
    """What the applicant sees after applying (and on their link later): where things stand, what comes next."""
    found = intake.find_intake(token)
    application = found.application
    if Interview.select().where(Interview.token_hash == found.token_hash).exists():
        return redirect(url_for("candidate.landing", token=token))
    return render_template("postings/applied.html", intake=found, application=application, job=application.job,
                           stage_label=STAGE_LABELS.get(application.stage, application.stage),
                           company=settings["COMPANY_NAME"], token=token)

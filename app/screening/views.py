"""Posting pages for candidates (WeUI H5, opened inside WeChat from a shared link or QR code)."""
import math
import time

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from app.core import domains, phases, phones, sms
from app.core.errors import REQUEST_TOO_LARGE, BadRequest
from app.core.extensions import settings
from app.core.rate_limits import apply_limits
from app.interview.models import Interview
from app.screening import intake, resume_files
from app.screening.form_head import fields_before_the_file

bp = Blueprint("postings", __name__, url_prefix="/p")

# Which field an error of intake.apply is about (shown next to it as well as at the top); the rest are the file's.
FIELD_OF_ERROR = {"name_required": "name", "phone_invalid": "phone", "answer_required": "questions",
                  "consent_required": "consent"}
# Before these stages nothing leads on from the applicant's page; from them it leads to the interview (while invited)
# or the interview link's status page (after it: the second round, the offer, HR's messages are there)
BEFORE_INTERVIEW = ("applied", "screened", "on_hold", "rejected", "withdrawn")
TOO_LARGE = (f"提交的内容太大:简历文件请在 {resume_files.MAX_BYTES // (1024 * 1024)} MB 以内"
             "(可压缩 PDF,或拍一张简历照片)。你填写的内容已保留,重新选择简历后再提交即可。 The upload was too large.")


def _form_page(code, form, error=None, error_field=None, status=200):
    """The posting page with what was typed (the file input cannot be refilled: a browser never allows it)."""
    link, job, job_settings = intake.posting(code)
    response = make_response(render_template(
        "postings/posting.html", job=job, link=link, questions=job_settings.questions or [],
        company=settings["COMPANY_NAME"], error=error, error_field=error_field, form=form,
        max_bytes=resume_files.MAX_BYTES))
    response.status_code = status
    return response


def _typed_phone():
    """The rate limit's key of the phone typed on the form (its stored form, so "+86 138..." and full-width digits
    count as "138...")."""
    return "phone:" + phones.canonical(request.form.get("phone", ""))[:32]


def _too_many(limit):
    """A refused application: 429 and the page again, with everything typed kept."""
    wait = max(1, math.ceil(limit.reset_at - time.time()))
    response = _form_page(request.view_args["code"], request.form,
                          f"提交太频繁,请 {math.ceil(wait / 60)} 分钟后再试。你填写的内容已保留,简历文件需要重新选择。 "
                          "Too many applications, please try again later.", status=429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/<code>", methods=["GET", "POST"])
@apply_limits(phone_key=_typed_phone, on_breach=_too_many)
def posting(code):
    _, _, job_settings = intake.posting(code)
    if request.method == "GET":
        return _form_page(code, request.form)
    upload = request.files.get("resume")
    try:
        if request.form.get("consent") != "yes":
            raise BadRequest("请先同意个人信息处理说明 Please agree to the privacy notice", code="consent_required")
        _, token, _ = intake.apply(code, request.form.get("name", ""), request.form.get("phone", ""),
                                   upload.read() if upload else b"", upload.filename if upload else "",
                                   {q["id"]: request.form.get(f"answer_{q['id']}", "")
                                    for q in job_settings.questions or []})
    except BadRequest as exc:
        return _form_page(code, request.form, exc.message, FIELD_OF_ERROR.get(exc.code, "resume"), 400)
    return redirect(url_for("postings.applied", token=token))


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    """A request over MAX_REQUEST_BYTES (a big resume the page's own check did not stop): the form again with what
    was typed and a Chinese message, not a bare 413 page."""
    code = (request.view_args or {}).get("code")
    if request.endpoint != "postings.posting" or not code:
        return render_template("error.html", status=413, code="too_large", message=REQUEST_TOO_LARGE), 413
    return _form_page(code, fields_before_the_file(), TOO_LARGE, "resume", 413)


@bp.get("/applied/<token>")
def applied(token):
    """What the applicant sees after applying (and on their link later): where things stand, what comes next."""
    found = intake.find_intake(token)
    application = found.application
    if Interview.select().where(Interview.token_hash == found.token_hash).exists():
        return redirect(url_for("candidate.landing", token=token))
    final = domains.final_page(application)
    if final is not None:  # the applicant's data was deleted: that is all the link shows
        return final
    past_screening = application.stage not in BEFORE_INTERVIEW
    return render_template("postings/applied.html", intake=found, application=application, job=application.job,
                           stage_label=phases.applicant_title(application.stage),
                           company=settings["COMPANY_NAME"], token=token,
                           same_phone_step=sms.on(), invitation_held=domains.invitation_held_until(application),
                           # the interview opened under a new link (a notice carries it): this page leads to it, so
                           # the applicant need not wait for an SMS held until the morning (quiet hours, the cap),
                           # and after it to that link's status page
                           interview_token=domains.invitation_link_token(application) if past_screening else None,
                           sections=domains.applicant_sections(application))

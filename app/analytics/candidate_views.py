"""The candidate's optional self-identification form: /i/<token>/self-id (linked from the status page)."""
from flask import Blueprint, abort, redirect, render_template, request, url_for

from app.analytics import self_id
from app.core import domains
from app.core.errors import BadRequest
from app.core.extensions import settings
from app.core.rate_limits import token_miss_limit
from app.interview.invitations import open_link, token_exists

bp = Blueprint("self_id", __name__, url_prefix="/i")
token_miss_limit(bp, token_exists)


def _interview(token):
    """The interview of the link; the status page instead once the candidate's data was deleted (nothing is stored
    again after a deletion)."""
    interview = open_link(token)
    if domains.final_page(interview.application) is not None:
        abort(redirect(url_for("conversation.status", token=token)))
    return interview


@bp.get("/<token>/self-id")
def form(token):
    interview = _interview(token)
    return render_template("analytics/self_id.html", token=token, fields=self_id.fields(),
                           consent=self_id.CONSENT_TEXT, answers=self_id.answers_for(interview.application_id),
                           job=interview.application.job, company=settings["COMPANY_NAME"],
                           saved=request.args.get("saved"), error=None)


@bp.post("/<token>/self-id")
def submit(token):
    interview = _interview(token)
    if request.form.get("action") == "withdraw":
        self_id.withdraw(interview.application_id)
        return redirect(url_for("self_id.form", token=token, saved="withdrawn"))
    try:
        self_id.save(interview.application_id, request.form, consented=request.form.get("consent") == "yes")
    except BadRequest as exc:
        return render_template("analytics/self_id.html", token=token, fields=self_id.fields(),
                               consent=self_id.CONSENT_TEXT, answers=dict(request.form),
                               job=interview.application.job, company=settings["COMPANY_NAME"], saved=None,
                               error=exc.message), 400
    return redirect(url_for("self_id.form", token=token, saved="saved"))

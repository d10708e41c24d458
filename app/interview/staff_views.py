"""The manager's report page /m/reports/<id>: scores, evidence, media, and the card's decision buttons."""
from flask import Blueprint, abort, redirect, render_template, request, url_for

from app.core import access_log, forms, staff
from app.core.access import current_staff, login_required
from app.core.access_log import Action
from app.core.errors import NotFound
from app.core.storage import get_storage
from app.interview.decision_forms import change_from_form, decide_from_form
from app.interview.models import Answer, Report
from app.interview.playback import playback_mime
from app.interview.ratings import submit_rating
from app.interview.report_page import report_context

bp = Blueprint("reports", __name__, url_prefix="/m/reports")


def _visible_report(report_id):
    report = Report.get_or_none(Report.id == report_id)
    if report is None or not staff.can_view_application(current_staff(), report.interview.application):
        # One answer for "deleted", "never existed" and "not yours": never confirm that a report exists to someone
        # who may not see it. Ids are never reused, so an old card's link cannot open another candidate's report.
        raise NotFound("找不到这份报告：该候选人数据已删除、你无权查看，或链接有误。 "
                       "Report not found: the candidate's data was deleted, it is not yours, or the link is wrong.",
                       code="report_not_found")
    return report


@bp.get("/<int:report_id>")
@login_required
def show(report_id):
    report = _visible_report(report_id)
    access_log.record_view(current_staff(), Action.VIEW_REPORT, report.interview.application, f"report:{report.id}")
    return render_template("reports/report.html", **report_context(report_id, staff=current_staff()))


@bp.post("/<int:report_id>/decide")
@login_required
def decide(report_id):
    report = _visible_report(report_id)
    decide_from_form(report.interview.application_id)
    return redirect(url_for("reports.show", report_id=report_id))


@bp.post("/<int:report_id>/change-decision")
@login_required
def change_decision(report_id):
    report = _visible_report(report_id)
    change_from_form(report.interview.application_id)
    return redirect(url_for("reports.show", report_id=report_id) + "#decide")


@bp.post("/<int:report_id>/rate")
@login_required
def rate(report_id):
    """A rater's 1-5 rating of one dimension of one answer of this report (HR or the job's managers)."""
    report = _visible_report(report_id)
    answer_id = request.form.get("answer_id", type=int)
    if answer_id is None or not report.interview.answers.where(Answer.id == answer_id).exists():
        abort(404)
    forms.run(lambda: submit_rating(current_staff(), answer_id, request.form.get("dimension", ""),
                                    request.form.get("score")), "评分已保存 rating saved")
    return redirect(url_for("reports.show", report_id=report_id) + f"#answer-{answer_id}")


def _visible_answer(answer_id):
    answer = Answer.get_or_none(Answer.id == answer_id)
    if answer is None or not staff.can_view_application(current_staff(), answer.interview.application):
        abort(404)
    return answer


@bp.get("/media/<int:answer_id>")
@login_required
def media(answer_id):
    answer = _visible_answer(answer_id)
    if answer.media_purged_at:
        abort(410)  # deleted at the end of its retention period
    if access_log.starts_playback(request.headers.get("Range")):
        access_log.record_view(current_staff(), Action.VIEW_MEDIA, answer.interview.application, f"answer:{answer.id}")
    # The seekable playback copy once the worker made it, else the original recording. Range requests are
    # answered (from the file, or ranged reads of the S3 object), so seeking works in WeCom's browser.
    if answer.playback_key:
        return get_storage().send(answer.playback_key, playback_mime(answer))
    return get_storage().send(answer.media_key, answer.mime_type.split(";")[0] or None)


@bp.get("/media/<int:answer_id>/poster.jpg")
@login_required
def poster(answer_id):
    answer = _visible_answer(answer_id)
    if answer.media_purged_at or not answer.poster_key:
        abort(404)
    # Not logged: the poster is a still of the recording shown on the report page, whose view_report row covers it
    # (as it covers the transcript); logging it wrote "查看录像封面" for every answer each time the page opened.
    return get_storage().send(answer.poster_key, "image/jpeg")

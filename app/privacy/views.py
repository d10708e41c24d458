"""The candidate's "my data" routes (the status page's token) and HR's /admin/privacy pages. Thin: each view
checks who may act, writes the audit row and calls one service."""
import json

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for

from app.core import access_log, forms
from app.core import pdf as pdf_doc
from app.core.access import current_staff, hr_required
from app.core.access_log import Action
from app.core.base import utcnow
from app.core.errors import AppError
from app.core.extensions import settings
from app.core.localtime import local_time
from app.core.models import Application, Candidate
from app.core.pipeline import STAGE_LABELS
from app.core.rate_limits import token_miss_limit
from app.core.storage import get_storage
from app.interview import late_withdrawal
from app.interview.invitations import open_link, token_exists
from app.interview.models import Interview
from app.privacy import access_targets, archive, deletion, export, export_pdf, phone_gate, scope
from app.privacy.models import RequestStatus
from app.screening.intake import find_intake, token_known

candidate_bp = Blueprint("privacy", __name__, url_prefix="/i")
token_miss_limit(candidate_bp, lambda token: token_exists(token) or token_known(token))
admin_bp = Blueprint("privacy_admin", __name__, url_prefix="/admin/privacy")


def _file_name(extension):
    """my-data-<the local date people read>.<extension>"""
    return f"my-data-{local_time(utcnow(), '%Y%m%d')}.{extension}"


def _page(data):
    return export.render_html(data, company=settings["COMPANY_NAME"])


def _json_download(data):
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{_file_name("json")}"'})


def _html_page(data):
    return Response(_page(data), mimetype="text/html")


def _pdf_file(data):
    """The export page as a PDF, shown inline (WeChat's and WeCom's browsers open it in their viewer)."""
    return Response(export_pdf.render(_page(data)), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{_file_name("pdf")}"'})


EXPORTS = {"json": (Action.EXPORT_JSON, _json_download), "html": (Action.EXPORT_HTML, _html_page),
           "pdf": (Action.EXPORT_PDF, _pdf_file)}


def _export(scope_, actor, fmt):
    if fmt == "zip":
        return _archive_download(scope_, actor)
    action, respond = EXPORTS[fmt]
    if fmt == "pdf":
        pdf_doc.require_font()   # a server without a CJK font answers 410 before the row: nothing was exported
    access_log.record(actor, action, scope_.candidate_id, scope_.application_id, scope_.key)
    return respond(export.build_export(scope_))   # the export lists its own row


def _archive_download(scope_, actor):
    """The scope's ready data package (404 with the reason when there is none), streamed from storage, logged."""
    row = archive.ready(scope_)
    access_log.record(actor, Action.EXPORT_ZIP, scope_.candidate_id, scope_.application_id, scope_.key)
    return get_storage().send(row.storage_key, "application/zip", as_attachment=True,
                              download_name=archive.download_name(row))


def my_data_state(application):
    """What the "my data" section shows: the deletion request (deletion.candidate_state) and the data package."""
    return {**deletion.candidate_state(application), "archive": archive.state(scope.of_token(application))}


# --- the candidate (their status-page token): their own application only (app/privacy/scope.py) ---

def _opened(token):
    """(the application a candidate's link opens, the page they came from): an interview's link (an expired one
    still opens, a replaced one does not) and its status page or, before any invitation, the posting's link
    (/p/applied/<token>, which becomes the interview's when HR invites) and that page."""
    if token_exists(token):
        return open_link(token).application, url_for("conversation.status", token=token) + "#my-data"
    return find_intake(token).application, url_for("postings.applied", token=token) + "#my-data"


@candidate_bp.route("/<token>/my-data.<any(json, html, pdf, zip):fmt>", methods=["GET", "POST"])
def my_data(token, fmt):
    """The candidate's export (zip: the data package once built); with SMS on, GET asks for the SMS code first and
    the code block's form POSTs here."""
    application, back = _opened(token)
    if fmt == "zip":
        archive.ready(scope.of_token(application))  # 404 before asking for a code when there is nothing to send
    if phone_gate.required(application):
        if request.method == "GET":
            return _verify_page(token, fmt, application, back)
        if not phone_gate.proven(application, request.form.get("phone_proof", ""), phone_gate.EXPORT):
            return _verify_page(token, fmt, application, back, error=phone_gate.NOT_VERIFIED), 403
    return _export(scope.of_token(application), "candidate", fmt)


def _verify_page(token, fmt, application, back, error=""):
    """The SMS step before the export; after a post without a valid code, again with `error` and the phone typed."""
    return render_template("privacy/verify_phone.html", token=token, fmt=fmt, job=application.job,
                           company=settings["COMPANY_NAME"], back=back, error=error,
                           phone=request.form.get("phone", "") if error else "")


@candidate_bp.post("/<token>/my-data/archive")
def request_archive(token):
    """Build the data package (nothing leaves yet: the download is the step behind the phone gate)."""
    application, back = _opened(token)
    if deletion.deleted_request(application):
        return redirect(back)
    archive.request(scope.of_token(application), "candidate")
    return redirect(back)


@candidate_bp.get("/<token>/my-data/archive")
def archive_state(token):
    """The package's state, for the section's poll while it is being built."""
    application, _ = _opened(token)
    return jsonify(archive.state(scope.of_token(application)))


@candidate_bp.get("/<token>/my-data/delete")
def confirm_delete(token):
    application, back = _opened(token)
    if deletion.deleted_request(application):
        return redirect(back)
    return _delete_page(token, application, back)


def _delete_page(token, application, back, error=""):
    """What is deleted and kept, the SMS step (with SMS on) and the confirm button; after a post without a valid
    code, the same page with `error` and the phone they typed."""
    return render_template("privacy/confirm_delete.html", token=token, job=application.job, back=back,
                           company=settings["COMPANY_NAME"], error=error,
                           phone=request.form.get("phone", "") if error else "",
                           **deletion.candidate_state(application))


@candidate_bp.post("/<token>/my-data/delete")
def request_delete(token):
    application, back = _opened(token)
    if not phone_gate.proven(application, request.form.get("phone_proof", ""), phone_gate.DELETION):
        return _delete_page(token, application, back, error=phone_gate.NOT_VERIFIED), 403
    deletion.request_deletion(application.candidate_id, "candidate", application.id)
    return redirect(back)


# --- HR ---

def _candidate_or_404(candidate_id):
    candidate = Candidate.get_or_none(Candidate.id == candidate_id)
    if candidate is None:
        abort(404)
    return candidate


@admin_bp.get("/")
@hr_required
def requests_page():
    pending = deletion.pending_requests()
    return render_template("privacy/admin_requests.html", staff=current_staff(), now=utcnow(),
                           pending=pending, decided=deletion.recent_decided(),
                           deadline_days=deletion.deadline_days(), request_labels=RequestStatus.LABELS,
                           drafts=forms.take_drafts("keep_reason", [r.id for r in pending]))


@admin_bp.post("/requests/<int:request_id>/confirm")
@hr_required
def confirm_request(request_id):
    if request.form.get("confirm") != "yes":   # irreversible: one stray click deleted a candidate's data
        flash("请先勾选「我确认删除」再删除,数据未删除 Tick the confirmation first", "error")
    else:
        forms.run(lambda: deletion.confirm(request_id, current_staff().userid),
                  "已确认删除,数据将在后台删除 Deletion confirmed")
    return redirect(url_for("privacy_admin.requests_page"))


@admin_bp.post("/requests/<int:request_id>/keep")
@hr_required
def keep_request(request_id):
    forms.run(lambda: deletion.keep(request_id, current_staff().userid, request.form.get("reason", "")),
              "已记录保留理由,候选人可在状态页看到 Kept, the candidate sees the reason",
              draft=("keep_reason", request_id, request.form.get("reason", "")[:1000]))
    return redirect(url_for("privacy_admin.requests_page"))


@admin_bp.get("/candidates/<int:candidate_id>")
@hr_required
def candidate_page(candidate_id):
    candidate = _candidate_or_404(candidate_id)
    applications = list(Application.select().where(Application.candidate == candidate.id).order_by(Application.id))
    return render_template("privacy/admin_candidate.html", staff=current_staff(), candidate=candidate,
                           request_labels=RequestStatus.LABELS,
                           applications=applications, request_=deletion.latest_request(candidate.id),
                           archive=archive.state(scope.whole_record(candidate.id)),
                           record_request=deletion.record_request(candidate.id),
                           biometric=late_withdrawal.withdrawable(a.id for a in applications),
                           log=access_targets.rows(candidate.id), stages=STAGE_LABELS)


@admin_bp.post("/candidates/<int:candidate_id>/archive")
@hr_required
def candidate_archive(candidate_id):
    _candidate_or_404(candidate_id)
    forms.run(lambda: archive.request(scope.whole_record(candidate_id), current_staff().userid),
              "正在打包该候选人的数据和文件,完成后可在本页下载 Building the package")
    return redirect(url_for("privacy_admin.candidate_page", candidate_id=candidate_id))


@admin_bp.get("/candidates/<int:candidate_id>/export.<any(json, html, pdf, zip):fmt>")
@hr_required
def candidate_export(candidate_id, fmt):
    _candidate_or_404(candidate_id)
    return _export(scope.whole_record(candidate_id), current_staff().userid, fmt)


@admin_bp.post("/candidates/<int:candidate_id>/interviews/<int:interview_id>/withdraw-biometric")
@hr_required
def withdraw_biometric(candidate_id, interview_id):
    """HR records the candidate's withdrawal of biometric consent (after the interview the candidate's own page
    cannot change consent): the face results go from the answers, the report and the result card."""
    interview = Interview.get_or_none(Interview.id == interview_id)
    if interview is None or interview.application.candidate_id != candidate_id:
        abort(404)
    if request.form.get("confirm") != "yes":
        flash("请勾选确认后再记录撤回 Tick the confirmation first", "error")
    else:
        done, _ = forms.run(lambda: late_withdrawal.record_withdrawal(interview_id),
                            "已记录撤回生物识别同意:人脸照片和人脸核验结果已删除,报告和结果卡片随之更新 "
                            "Biometric consent withdrawn, face results erased")
        if done:
            access_log.record(current_staff().userid, Action.WITHDRAW_BIOMETRIC, candidate_id,
                              interview.application_id, f"interview:{interview_id}")
    return redirect(url_for("privacy_admin.candidate_page", candidate_id=candidate_id))


@admin_bp.post("/candidates/<int:candidate_id>/delete")
@hr_required
def candidate_delete(candidate_id):
    _candidate_or_404(candidate_id)
    if request.form.get("confirm") != "yes":
        flash("请勾选确认后再删除 Tick the confirmation first")
    else:
        try:
            deletion.delete_by_hr(candidate_id, current_staff().userid)
            flash("已安排删除,数据将在后台删除 Deletion scheduled")
        except AppError as exc:
            flash(exc.message)
    return redirect(url_for("privacy_admin.candidate_page", candidate_id=candidate_id))


def final_page(application):
    """privacy/deleted.html once the deletion that covers `application` is done (privacy's `final_page`), else None."""
    deleted = deletion.deleted_request(application)
    if deleted is None:
        return None
    return render_template("privacy/deleted.html", request_=deleted, job=application.job,
                           company=settings["COMPANY_NAME"])

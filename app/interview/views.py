"""Candidate pages: landing -> consent -> identity -> device -> questions -> done. Each page checks the step."""

import functools

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from app.core import domains, phases, pipeline
from app.core.errors import BadRequest, Gone, TooManyAttempts
from app.core.extensions import settings
from app.core.rate_limits import identity_limit, token_miss_limit
from app.interview import answers, identity_lock, question_clock
from app.interview import flow as interview_flow
from app.interview.flow import progress
from app.interview.invitations import find_interview, open_link, token_exists

bp = Blueprint("candidate", __name__, url_prefix="/i")
token_miss_limit(bp, token_exists)

STEP_ENDPOINTS = {"landing": "candidate.landing", "identity": "candidate.identity", "device": "candidate.device",
                  "questions": "candidate.question", "done": "candidate.done"}


@bp.after_request
def step_form_sent_by_the_page(response):
    """A step's form sent by the page's script (header X-H5-Step, static/h5/common.js): its redirect is answered as
    JSON {"location"}, which the page opens itself. A redirect followed by fetch would open the next page twice (the
    question page starts its clock when opened); a redirect the page cannot see would leave it not knowing where."""
    if request.method == "POST" and request.headers.get("X-H5-Step") and response.status_code in (301, 302, 303):
        return jsonify(location=response.location)
    return response


def open_step(token, *allowed):
    """The interview and its progress, or a redirect to the step the candidate is really at; to the status page
    once the candidate's data was deleted or the identity check locked the link (it says which, and what next)."""
    to_status = redirect(url_for("conversation.status", token=token))
    try:
        interview = find_interview(token)
    except Gone as exc:
        if exc.code == "link_expired" and domains.final_page(open_link(token).application) is not None:
            return None, None, to_status
        raise
    if domains.final_page(interview.application) is not None:
        return interview, None, to_status
    state = progress(interview)
    if state.step == "identity" and identity_lock.is_locked(interview):
        return interview, state, to_status  # locked out: the status page says what happened and that HR knows
    if state.step not in allowed:
        return interview, state, redirect(url_for(STEP_ENDPOINTS[state.step], token=token))
    return interview, state, None


def step(*allowed):
    """A page of the steps `allowed`: the view gets the interview and its progress, or never runs when the candidate
    is elsewhere (open_step's redirect is answered instead)."""
    def decorate(view):
        @functools.wraps(view)
        def opened(token):
            interview, state, moved = open_step(token, *allowed)
            return moved or view(token, interview, state)
        return opened
    return decorate


def submit(token, next_endpoint, action, *args, **kwargs):
    """A step's form: on POST run `action`; the next step's redirect, or the reason (Chinese first) to show the page
    again with. (None, None) on GET."""
    if request.method != "POST":
        return None, None
    try:
        action(*args, **kwargs)
    except BadRequest as exc:
        return None, exc.message
    return redirect(url_for(next_endpoint, token=token)), None


def page(template, interview, state, token, **extra):
    job = interview.application.job
    return render_template(template, interview=interview, state=state, job=job, token=token,
                           company=settings["COMPANY_NAME"], **extra)


@bp.get("/<token>")
@step("landing")
def landing(token, interview, state):
    return page("candidate/landing.html", interview, state, token,
                minutes=max(1, round(interview_flow.total_seconds(interview) / 60)))


@bp.route("/<token>/consent", methods=["GET", "POST"])
@step("landing")
def consent(token, interview, state):
    form = request.form
    moved, error = submit(token, "candidate.identity", interview_flow.give_consent, interview.id,
                          form.get("recording") == "yes", form.get("biometric") == "yes", form.get("text_version", ""))
    return moved or page("candidate/consent.html", interview, state, token, error=error,
                         version=interview_flow.CONSENT_VERSION, recording_text=interview_flow.RECORDING_CONSENT,
                         biometric_text=interview_flow.BIOMETRIC_CONSENT)


@bp.route("/<token>/identity", methods=["GET", "POST"])
@identity_limit
@step("identity")
def identity(token, interview, state):
    form = request.form
    try:
        moved, error = submit(token, "candidate.device", interview_flow.verify_identity, interview.id,
                              form.get("name", ""), form.get("phone_last4", ""), form.get("face_jpeg") or None,
                              phone_proof=form.get("phone_proof", ""))
    except TooManyAttempts as exc:
        if exc.code != "identity_locked":
            raise
        return redirect(url_for("conversation.status", token=token))  # locked now: HR is being told
    return moved or page("candidate/identity.html", interview, state, token, error=error, name=form.get("name", ""))


@bp.route("/<token>/device", methods=["GET", "POST"])
@step("device")
def device(token, interview, state):
    if request.method == "POST":
        interview_flow.mark_device_checked(interview.id)
        return redirect(url_for("candidate.landing", token=token))
    return page("candidate/device.html", interview, state, token)


@bp.get("/<token>/question")
@step("questions")
def question(token, interview, state):
    q = state.question
    used = answers.attempts_used(interview.id, q.id)
    # The server's clock: a reload continues the think countdown instead of restarting it.
    timing = question_clock.open_attempt(interview, q.id)
    config = {"token": token, "apiBase": url_for("mini_program_api.interview").rsplit("/", 1)[0],
              "nextUrl": url_for("candidate.landing", token=token), "audioOnly": state.audio_only,
              "stallSeconds": settings["UPLOAD_STALL_SECONDS"],
              # Questions the server has an answer to: their recordings saved on the phone may go.
              "answered": sorted(answers.answered_questions(interview.id)),
              "question": {"id": q.id, "position": q.position, "think": q.think_seconds, "answer": q.answer_seconds,
                           "maxAttempts": 1 + q.retakes_allowed, "firstAttempt": used + 1},
              "timing": {"attempt": timing.attempt, "thinkRemaining": timing.think_remaining_s,
                         "reopened": timing.think_remaining_s < timing.think_seconds,
                         # Recording of this attempt was running when the page went away: restart it at once.
                         "recordingStarted": timing.recording_started_at is not None}}
    return page("candidate/question.html", interview, state, token, question=q, config=config, timing=timing)


@bp.get("/<token>/done")
@step("done")
def done(token, interview, state):
    application = interview.application   # the status page's words (a withdrawn offer is not 背景调查中)
    return page("candidate/done.html", interview, state, token,
                phase=phases.phase_for(application.stage, pipeline.last_change(application.id)))

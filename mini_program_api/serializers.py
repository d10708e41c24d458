"""JSON shapes of the mini-program API."""
from app.core.extensions import settings
from app.core.models import Application
from app.core.pipeline import STAGE_LABELS
from app.interview import answers, identity_lock, question_clock
from app.interview import flow as interview_flow
from app.interview.flow import progress

STATUS_LABELS = {"invited": "待开始", "in_progress": "面试中", "completed": "已完成,等待评估",
                 "expired": "已过期", "revoked": "已失效"}


def status_out(interview):
    state = progress(interview)
    # Reloaded: the stage may have moved since `interview.application` was fetched.
    stage = Application.get_by_id(interview.application_id).stage
    return {"interview_status": interview.status, "status_label": STATUS_LABELS.get(interview.status, ""),
            "stage": stage, "stage_label": STAGE_LABELS.get(stage, stage), "next_step": state.step,
            "answered": state.answered, "total_questions": state.total, "audio_only": state.audio_only,
            # The H5 sends a locked-out candidate to the status page; a mini-program learns it here.
            "identity_locked": identity_lock.is_locked(interview),
            "consent_biometric": interview.consent_biometric,
            "completed_at": interview.completed_at.isoformat() + "Z" if interview.completed_at else None}


def interview_info(interview):
    job = interview.application.job
    return {"company": settings["COMPANY_NAME"], "job": {"id": job.id, "title": job.title,
                                                         "department": job.department, "location": job.location},
            # Only once the holder proved who they are: the identity check asks for this very name.
            "candidate_name": interview.application.candidate.name if interview.identity_verified_at else None,
            "expires_at": interview.expires_at.isoformat() + "Z",
            "total_seconds": interview_flow.total_seconds(interview),
            "consent": {"version": interview_flow.CONSENT_VERSION, "recording_text": interview_flow.RECORDING_CONSENT,
                        "biometric_text": interview_flow.BIOMETRIC_CONSENT},
            "identity_max_attempts": settings["IDENTITY_MAX_ATTEMPTS"],
            # sms_code: POST /api/notifications/phone-codes (purpose identity), verify, send the proof as phone_proof
            "identity_step": "sms_code" if job.identity_by_sms else "phone_last4",
            "upload": {"chunk_bytes": settings["UPLOAD_CHUNK_BYTES"], "max_bytes": settings["UPLOAD_MAX_BYTES"]},
            "status": status_out(interview)}


def question_out(interview, question):
    used = answers.attempts_used(interview.id, question.id)
    return {"id": question.id, "position": question.position, "text": question.text,
            "think_seconds": question.think_seconds, "answer_seconds": question.answer_seconds,
            "retakes_allowed": question.retakes_allowed, "attempts_used": used,
            "next_attempt": used + 1 if used < 1 + question.retakes_allowed else None}


def question_list(interview):
    """All questions; the text only of answered ones and the next one (no reading ahead)."""
    state = progress(interview)
    answered = answers.answered_questions(interview.id)  # any status: a failed analysis is answered too
    items = []
    for question in interview.asked_questions():
        is_next = state.question is not None and question.id == state.question.id
        visible = question.id in answered or is_next
        if is_next:
            item = next_question_out(interview, question)
        elif visible:
            item = question_out(interview, question)
        else:
            item = {"id": question.id, "position": question.position, "text": None,
                    "think_seconds": question.think_seconds, "answer_seconds": question.answer_seconds,
                    "retakes_allowed": question.retakes_allowed}
        item["answered"] = question.id in answered
        items.append(item)
    return {"questions": items, "next_question_id": state.question.id if state.question else None}


def iso(value):
    return value.isoformat() + "Z"


def timing_out(timing):
    """The server's clock of one attempt: a reloaded client continues the countdown from think_remaining_s."""
    return {"attempt": timing.attempt, "shown_at": iso(timing.shown_at), "think_seconds": timing.think_seconds,
            "think_remaining_s": timing.think_remaining_s, "think_ends_at": iso(timing.think_ends_at),
            "answer_seconds": timing.answer_seconds, "answer_deadline": iso(timing.answer_deadline),
            "answer_tolerance_s": question_clock.ANSWER_TOLERANCE_SECONDS,
            "recording_started_at": iso(timing.recording_started_at) if timing.recording_started_at else None,
            "recording_limit_s": (round(timing.recording_limit_s, 1) if timing.recording_limit_s is not None
                                  else None),
            "answer_remaining_s": timing.answer_remaining_s, "answer_time_over": timing.answer_time_over,
            "makeup": timing.makeup}


def next_question_out(interview, question):
    """The next question with its clock started (showing its text starts the think time)."""
    timing = question_clock.open_attempt(interview, question.id)
    return {**question_out(interview, question), "think_remaining_s": timing.think_remaining_s,
            "answer_deadline": iso(timing.answer_deadline), "timing": timing_out(timing)}

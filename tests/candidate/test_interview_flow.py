"""The interview flow services on SQLite and PostgreSQL."""
import pytest

from app.core.errors import BadRequest, Conflict, Forbidden, TooManyAttempts
from app.core.models import Application, StageEvent
from app.core.storage import get_storage
from app.interview import answers
from app.interview import flow as interview_flow
from app.interview.flow import CONSENT_VERSION, progress
from app.interview.models import Answer, Interview
from tests.support.interviews import NAME, PHONE, face_data_url, invite, make_ready, make_short_job, tiny_jpeg


def reload(interview):
    return Interview.get_by_id(interview.id)


def test_steps_in_order_and_pipeline_moves(any_db_app):
    interview, _ = invite(make_short_job())
    assert progress(interview).step == "landing"
    with pytest.raises(Forbidden):
        interview_flow.verify_identity(interview.id, NAME, PHONE[-4:])
    interview_flow.give_consent(interview.id, True, False, CONSENT_VERSION)
    interview = reload(interview)
    assert interview.status == "in_progress" and interview.audio_only
    assert interview.application.stage == "ai_in_progress"
    assert progress(interview).step == "identity"
    interview_flow.verify_identity(interview.id, f" {NAME} ", PHONE[-4:])
    assert progress(reload(interview)).step == "device"
    interview_flow.mark_device_checked(interview.id)
    state = progress(reload(interview))
    assert state.step == "questions" and state.question.position == 1 and state.total == 2


def test_recording_consent_required_and_version_checked(any_db_app):
    interview, _ = invite(make_short_job())
    with pytest.raises(BadRequest) as exc:
        interview_flow.give_consent(interview.id, False, True, CONSENT_VERSION)
    assert exc.value.code == "consent_required"
    with pytest.raises(Conflict) as exc:
        interview_flow.give_consent(interview.id, True, True, "2020-old")
    assert exc.value.code == "consent_outdated"
    assert reload(interview).consent_recording_at is None


def test_biometric_consent_stores_reference_face(any_db_app):
    interview, _ = invite(make_short_job())
    interview_flow.give_consent(interview.id, True, True, CONSENT_VERSION)
    with pytest.raises(BadRequest) as exc:
        interview_flow.verify_identity(interview.id, NAME, PHONE[-4:])
    assert exc.value.code == "face_required"
    interview_flow.verify_identity(interview.id, NAME, PHONE[-4:], face_data_url())
    interview = reload(interview)
    assert interview.reference_image == f"faces/{interview.id}/reference.jpg"
    assert interview.consent_biometric and not interview.audio_only
    with get_storage().open(interview.reference_image) as fh:
        assert fh.read() == tiny_jpeg()


def test_identity_attempts_are_limited(any_db_app):
    any_db_app.config["IDENTITY_MAX_ATTEMPTS"] = 3
    from app.core.extensions import settings
    settings["IDENTITY_MAX_ATTEMPTS"] = 3
    interview, _ = invite(make_short_job())
    interview_flow.give_consent(interview.id, True, False, CONSENT_VERSION)
    for left in (2, 1):
        with pytest.raises(BadRequest) as exc:
            interview_flow.verify_identity(interview.id, "韩梅梅", PHONE[-4:])
        assert exc.value.details["attempts_left"] == left
    with pytest.raises(TooManyAttempts):
        interview_flow.verify_identity(interview.id, NAME, "0000")
    # Even the right answer is refused now: the candidate must contact HR.
    with pytest.raises(TooManyAttempts):
        interview_flow.verify_identity(interview.id, NAME, PHONE[-4:])
    assert reload(interview).identity_attempts == 3 and reload(interview).identity_verified_at is None


def test_last_answer_completes_interview_and_retake_counts_latest(any_db_app):
    job = make_short_job(questions=2, retakes=1)
    interview, _ = invite(job)
    make_ready(interview)
    q1, q2 = job.ordered_questions()
    Answer.create(interview=interview, question=q1, attempt=1, media_key="a/1.webm")
    retake = Answer.create(interview=interview, question=q1, attempt=2, media_key="a/2.webm")
    assert interview_flow.on_answer_stored(interview.id) is False
    assert answers.counted_answers(interview.id)[q1.id].id == retake.id
    assert progress(reload(interview)).question.id == q2.id
    # A failed attempt counts as answered (no fault of the candidate's) but is not the one scored.
    failed = Answer.create(interview=interview, question=q2, attempt=1, media_key="a/3.webm", status="failed")
    assert progress(reload(interview)).step == "done" and q2.id not in answers.counted_answers(interview.id)
    Answer.update(status="uploaded").where(Answer.id == failed.id).execute()
    assert interview_flow.on_answer_stored(interview.id) is True
    interview = reload(interview)
    assert interview.status == "completed" and progress(interview).step == "done"
    app_row = Application.get_by_id(interview.application_id)
    assert app_row.stage == "ai_completed"
    assert [e.to_stage for e in StageEvent.select().where(StageEvent.application == app_row)
            .order_by(StageEvent.id)] == ["ai_invited", "ai_in_progress", "ai_completed"]


def test_attempt_beyond_retakes_and_foreign_question_refused(any_db_app):
    job = make_short_job(retakes=1)
    other = make_short_job(title="别的岗位")
    interview, _ = invite(job)
    make_ready(interview)
    q1 = job.ordered_questions()[0]
    assert interview_flow.check_question(reload(interview), q1.id, 2).id == q1.id
    with pytest.raises(Conflict) as exc:
        interview_flow.check_question(reload(interview), q1.id, 3)
    assert exc.value.code == "no_retakes_left"
    with pytest.raises(BadRequest) as exc:
        interview_flow.check_question(reload(interview), other.ordered_questions()[0].id, 1)
    assert exc.value.code == "question_not_in_interview"


def test_consent_to_a_new_text_version_is_recorded_beside_the_earlier_one(any_db_app, monkeypatch):
    """A candidate who consented to one text and, after the text changed (a release), consents again to the new one
    leaves a record per text: the interview's version was overwritten and nothing said what they had agreed to
    before. A repeat of the same text with the same choices adds nothing (a client retrying)."""
    from app.interview import personal_data
    from app.interview.models import ConsentRecord

    interview, _ = invite(make_short_job())
    interview_flow.give_consent(interview.id, True, True, CONSENT_VERSION)
    monkeypatch.setattr(interview_flow, "CONSENT_VERSION", "2027-01-v2")  # the text changed in a release
    interview_flow.give_consent(interview.id, True, None, "2027-01-v2")
    interview_flow.give_consent(interview.id, True, None, "2027-01-v2")  # sent again: nothing new agreed
    rows = [(r.kind, r.granted, r.text_version) for r in ConsentRecord.select()
            .where(ConsentRecord.interview == interview.id).order_by(ConsentRecord.id)]
    assert rows == [("recording", True, CONSENT_VERSION), ("biometric", True, CONSENT_VERSION),
                    ("recording", True, "2027-01-v2"), ("biometric", True, "2027-01-v2")]
    row = reload(interview)
    assert row.consent_text_version == "2027-01-v2" and row.consent_biometric is True
    consent = personal_data.application_fields([interview.application_id])[interview.application_id][
        "interviews"][0]["consent"]
    assert consent["text_version"] == "2027-01-v2"
    assert [(r["kind"], r["text_version"]) for r in consent["records"]] == [
        ("recording", CONSENT_VERSION), ("biometric", CONSENT_VERSION),
        ("recording", "2027-01-v2"), ("biometric", "2027-01-v2")]

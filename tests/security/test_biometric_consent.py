"""Biometric consent is opt-in, audio-only is enforced by the server, and consent history is append-only."""
import re

import av

from app.core.storage import get_storage
from app.interview import flow as interview_flow
from app.interview.models import Answer, Interview
from tests.security.helpers import auth, complete, small_chunks, upload
from tests.support.interviews import invite, make_ready, make_short_job


def test_consent_page_does_not_pre_tick_biometrics(app, client):
    _, token = invite(make_short_job())
    html = client.get(f"/i/{token}/consent").get_data(as_text=True)
    inputs = re.findall(r"<input[^>]*name=\"biometric\"[^>]*>", html)
    assert inputs, "the page offers the biometric choice"
    assert not any(re.search(r"\bchecked\b", tag) for tag in inputs), inputs


def test_consent_form_without_a_biometric_choice_means_audio_only(app, client):
    interview, token = invite(make_short_job())
    res = client.post(f"/i/{token}/consent", data={"recording": "yes", "text_version": interview_flow.CONSENT_VERSION})
    assert res.status_code == 302
    assert Interview.get_by_id(interview.id).audio_only


def test_video_upload_after_declining_biometrics_is_stored_audio_only(app, client, webm_bytes):
    small_chunks()
    job = make_short_job(questions=2)
    interview, token = invite(job)
    make_ready(interview, biometric=False)
    question = job.ordered_questions()[0]
    res = complete(client, token, upload(client, token, question.id, webm_bytes))
    assert res.status_code == 201, res.json
    answer = Answer.get_by_id(res.json["answer"]["id"])
    assert not answer.has_video and answer.mime_type.startswith("audio/")
    with av.open(str(get_storage().path_for(answer.media_key))) as stored:
        assert len(stored.streams.video) == 0 and len(stored.streams.audio) == 1


def test_video_upload_with_biometric_consent_keeps_the_video(app, client, webm_bytes):
    small_chunks()
    job = make_short_job(questions=2)
    interview, token = invite(job)
    make_ready(interview, biometric=True)
    res = complete(client, token, upload(client, token, job.ordered_questions()[0].id, webm_bytes))
    answer = Answer.get_by_id(res.json["answer"]["id"])
    assert answer.has_video
    with av.open(str(get_storage().path_for(answer.media_key))) as stored:
        assert len(stored.streams.video) == 1


def test_withdrawing_biometrics_after_identity_deletes_the_face_and_keeps_the_history(app, client):
    from app.interview.models import ConsentRecord
    interview, token = invite(make_short_job())
    make_ready(interview, biometric=True)
    face_key = Interview.get_by_id(interview.id).reference_image
    assert face_key and get_storage().exists(face_key)
    res = client.post("/mp/api/v1/consent", headers=auth(token),
                      json={"recording": True, "biometric": False, "text_version": interview_flow.CONSENT_VERSION})
    assert res.status_code == 200, res.json
    after = Interview.get_by_id(interview.id)
    assert after.audio_only and after.reference_image == "" and not get_storage().exists(face_key)
    history = [(r.kind, r.granted) for r in ConsentRecord.select().where(ConsentRecord.interview == interview.id)
               .order_by(ConsentRecord.id)]
    assert history == [("recording", True), ("biometric", True), ("biometric", False)]
    first = ConsentRecord.select().where(ConsentRecord.interview == interview.id).order_by(ConsentRecord.id).first()
    assert first.text_version == interview_flow.CONSENT_VERSION and first.created_at is not None


def test_biometrics_cannot_be_turned_on_after_the_identity_step(app, client):
    interview, token = invite(make_short_job())
    make_ready(interview, biometric=False)
    res = client.post("/mp/api/v1/consent", headers=auth(token),
                      json={"recording": True, "biometric": True, "text_version": interview_flow.CONSENT_VERSION})
    assert res.status_code == 409 and res.json["error"]["code"] == "biometric_consent_locked"
    assert Interview.get_by_id(interview.id).audio_only

"""Consent sent again on /mp/api/v1 through the Flask test client; every answer is checked against the OpenAPI
document (tests/support/openapi.py).

- A repeated POST /consent without `biometric` withdrew an earlier opt-in (the field defaulted to false): the face
  photo was deleted and the interview became audio only for good. Absent now keeps the stored choice; an explicit
  false withdraws.
"""
from app.core.models import Application
from app.core.storage import get_storage
from app.interview.flow import CONSENT_VERSION
from app.interview.models import ConsentRecord, Interview
from tests.support.interviews import face_data_url, invite, make_short_job, upload_answer
from tests.support.openapi import Document

API = "/mp/api/v1"


def call(client, token, method, path, status, json=None):
    doc = Document()
    if json is not None:
        doc.check_request(path, method, json)
    res = client.open(API + path, method=method.upper(), headers={"Authorization": f"Bearer {token}"}, json=json)
    assert res.status_code == status, (method, path, res.status_code, res.get_json(silent=True))
    return doc.check(res, path, method)


def consent(client, token, status=200, **fields):
    return call(client, token, "post", "/consent", status,
                json={"recording": True, "text_version": CONSENT_VERSION, **fields})


def biometric_records(interview):
    return [r.granted for r in ConsentRecord.select().where((ConsentRecord.interview == interview.id)
                                                           & (ConsentRecord.kind == "biometric"))
            .order_by(ConsentRecord.id)]


def test_consent_sent_again_without_biometric_keeps_the_opt_in_and_an_explicit_false_withdraws(
        client, app, tmp_path, webm_bytes):
    job = make_short_job(questions=2)
    interview, token = invite(job)
    assert consent(client, token, biometric=True)["consent_biometric"] is True
    call(client, token, "post", "/identity", 200, json={"name": "李雷", "phone_last4": "5678",
                                                       "face_jpeg_base64": face_data_url()})
    call(client, token, "post", "/device-check", 200)
    path = tmp_path / "a.webm"
    path.write_bytes(webm_bytes)
    upload_answer(token, job.ordered_questions()[0], path)
    before = Interview.get_by_id(interview.id)
    assert before.reference_image and get_storage().exists(before.reference_image)

    again = consent(client, token)  # the mini-program re-sends its consent (a retry, a reopened page)
    assert again["consent_biometric"] is True and again["audio_only"] is False
    assert again["interview_status"] == "in_progress" and again["answered"] == 1 and again["next_step"] == "questions"
    after = Interview.get_by_id(interview.id)
    assert after.reference_image == before.reference_image and get_storage().exists(before.reference_image)
    assert (after.started_at, after.consent_recording_at, after.consent_biometric_at) == (
        before.started_at, before.consent_recording_at, before.consent_biometric_at)
    assert biometric_records(interview) == [True]
    assert Application.get_by_id(interview.application_id).stage == "ai_in_progress"

    withdrawn = consent(client, token, biometric=False)
    assert withdrawn["consent_biometric"] is False and withdrawn["audio_only"] is True
    assert Interview.get_by_id(interview.id).reference_image == ""
    assert not get_storage().exists(before.reference_image)
    assert biometric_records(interview) == [True, False]
    # Once withdrawn after the identity step it cannot come back, and a repeat without the field keeps it withdrawn.
    refused = consent(client, token, status=409, biometric=True)
    assert refused["error"]["code"] == "biometric_consent_locked"
    assert consent(client, token)["consent_biometric"] is False
    assert biometric_records(interview) == [True, False]


def test_first_consent_without_biometric_is_no_and_a_finished_interview_changes_nothing(client, app, tmp_path,
                                                                                          webm_bytes):
    job = make_short_job(questions=1)
    interview, token = invite(job)
    assert consent(client, token)["consent_biometric"] is False  # opt-in: not sent is no
    call(client, token, "post", "/identity", 200, json={"name": "李雷", "phone_last4": "5678"})
    call(client, token, "post", "/device-check", 200)
    path = tmp_path / "a.webm"
    path.write_bytes(webm_bytes)
    upload_answer(token, job.ordered_questions()[0], path)
    finished = Interview.get_by_id(interview.id)
    assert finished.status == "completed"
    for body in ({}, {"biometric": False}, {"text_version": "old"}):
        refused = consent(client, token, status=409, **body)
        assert refused["error"]["code"] == "interview_finished"
        assert refused["error"]["message"].startswith("面试已结束")
    row = Interview.get_by_id(interview.id)
    assert (row.status, row.completed_at, row.consent_biometric) == ("completed", finished.completed_at, False)
    assert len(biometric_records(interview)) == 1


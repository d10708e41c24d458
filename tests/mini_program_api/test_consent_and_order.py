"""Consent sent again, and questions answered in order, on /mp/api/v1 through the Flask test client; every answer
is checked against the OpenAPI document (tests/support/openapi.py).

- A repeated POST /consent without `biometric` withdrew an earlier opt-in (the field defaulted to false): the face
  photo was deleted and the interview became audio only for good. Absent now keeps the stored choice; an explicit
  false withdraws.
- POST /uploads (and the question's clock and recording start) accepted question 2 before question 1 had an answer.
"""
from app.core.models import Application, Question
from app.core.storage import get_storage
from app.interview.answer_analysis import record_failure
from app.interview.flow import CONSENT_VERSION
from app.interview.models import Answer, AnswerStatus, ConsentRecord, Interview, QuestionStart, Upload
from tests.support.interviews import face_data_url, invite, make_ready, make_short_job, upload_answer
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


def upload_init(client, token, question_id, status, attempt=1):
    return call(client, token, "post", "/uploads", status, json={
        "question_id": question_id, "attempt": attempt, "mime_type": "audio/webm", "total_bytes": 100})


def test_question_2_cannot_be_started_or_uploaded_before_question_1_has_an_answer(client, app, tmp_path, webm_bytes):
    job = make_short_job(questions=2, retakes=1)
    interview, token = invite(job)
    make_ready(interview)
    q1, q2 = job.ordered_questions()
    for path, body in ((f"/questions/{q2.id}/start", {"attempt": 1, "recording": True}),
                       (f"/questions/{q2.id}/start", {}), ("/uploads", None)):
        res = upload_init(client, token, q2.id, 409) if body is None else call(client, token, "post", path, 409,
                                                                              json=body)
        assert res["error"]["code"] == "question_out_of_order"
        assert res["error"]["message"].startswith("请按顺序作答:第 1 题还没有提交回答")
        assert res["error"]["details"] == {"question_id": q1.id, "number": 1}
    assert QuestionStart.select().count() == 0 and Upload.select().count() == 0
    # Question 1 may start and upload; question 2 still waits for its answer.
    call(client, token, "post", f"/questions/{q1.id}/start", 200, json={"attempt": 1, "recording": True})
    upload_init(client, token, q1.id, 201)
    assert upload_init(client, token, q2.id, 409)["error"]["code"] == "question_out_of_order"
    path = tmp_path / "a.webm"
    path.write_bytes(webm_bytes)
    upload_answer(token, q1, path)
    call(client, token, "post", f"/questions/{q2.id}/start", 200, json={"attempt": 1, "recording": True})
    upload_init(client, token, q2.id, 201)
    # A late upload of an earlier question (its retake) is never held up by the later one.
    upload_init(client, token, q1.id, 201, attempt=2)


def test_a_question_under_way_keeps_its_upload_when_an_earlier_one_loses_its_place(client, app, tmp_path, webm_bytes):
    """Question 1's answer failed in analysis, and HR inserted a question before both, after question 2's recording
    had started: its recording is not lost (the interview keeps the questions it was sent with)."""
    job = make_short_job(questions=2, retakes=0)
    interview, token = invite(job)
    make_ready(interview)
    q1, q2 = job.ordered_questions()
    path = tmp_path / "a.webm"
    path.write_bytes(webm_bytes)
    first = upload_answer(token, q1, path)
    call(client, token, "post", f"/questions/{q2.id}/start", 200, json={"attempt": 1, "recording": True})
    record_failure(first.id, "asr down", final=True)
    assert Answer.get_by_id(first.id).status == AnswerStatus.FAILED
    Question.create(job=job, position=0, text="新加的题", dimension_names=["语言表达"], think_seconds=2,
                    answer_seconds=4, retakes_allowed=0)
    upload_init(client, token, q2.id, 201)


def test_a_step_before_consent_asks_for_consent_first(client, app):
    """The device check and an upload before consent said 请先完成身份核验 (the second step) where the first step was
    still to do: they now name consent, and after it identity."""
    interview, token = invite(make_short_job(questions=1))
    for method, path, json in (("post", "/device-check", None), ("post", "/questions/{q}/start", {})):
        path = path.format(q=Question.get().id)
        body = call(client, token, method, path, 403, json=json)
        assert body["error"]["code"] == "step_required", body
        assert body["error"]["message"].startswith("请先阅读并同意录制说明"), body
    consent(client, token)
    body = call(client, token, "post", "/device-check", 403)
    assert body["error"]["message"].startswith("请先完成身份核验"), body

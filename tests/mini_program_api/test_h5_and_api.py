"""One interview driven alternately through the H5 pages and the mini-program API (one service underneath): each
side sees what the other did, the question clock is not restarted by switching, and a malformed identity form takes
no try on either side."""
from app.interview.models import Answer, ConsentRecord, Interview, QuestionStart
from tests.support.interviews import NAME, PHONE, face_data_url, invite, make_short_job

API = "/mp/api/v1"


def test_one_interview_through_both_doors(app, client, webm_bytes):
    job = make_short_job(questions=2, think=30, retakes=1)
    interview, token = invite(job)
    auth = {"Authorization": f"Bearer {token}"}
    version = client.get(f"{API}/interview", headers=auth).get_json()["consent"]["version"]

    # H5 consent, then the API sees it and answers the identity; a malformed H5 form first, which takes no try.
    res = client.post(f"/i/{token}/consent", data={"recording": "yes", "biometric": "yes", "text_version": version})
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/i/{token}/identity")
    assert client.get(f"{API}/status", headers=auth).get_json()["next_step"] == "identity"
    page = client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": "56"}).get_data(as_text=True)
    assert "手机号后四位" in page
    res = client.post(f"{API}/identity", headers=auth, json={"name": NAME, "phone_last4": "１２"})
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "phone_last4_invalid"
    assert Interview.get_by_id(interview.id).identity_attempts == 0
    res = client.post(f"{API}/identity", headers=auth, json={"name": NAME, "phone_last4": PHONE[-4:],
                                                             "face_jpeg_base64": face_data_url()})
    assert res.status_code == 200, res.get_json()
    # The H5 continues at the device check, then the API sees the questions.
    assert client.get(f"/i/{token}").headers["Location"].endswith(f"/i/{token}/device")
    assert client.post(f"/i/{token}/device").status_code == 302
    q1, q2 = job.ordered_questions()
    shown = client.get(f"{API}/questions/next", headers=auth).get_json()["question"]
    assert shown["id"] == q1.id and shown["timing"]["attempt"] == 1
    # The H5 question page continues the API's clock (no second think time), and the API sees the same start.
    assert client.get(f"/i/{token}/question").status_code == 200
    again = client.post(f"{API}/questions/{q1.id}/start", headers=auth, json={}).get_json()
    assert again["shown_at"] == shown["timing"]["shown_at"] and QuestionStart.select().count() == 1

    def answer(question):
        client.post(f"{API}/questions/{question.id}/start", headers=auth, json={"attempt": 1, "recording": True})
        init = client.post(f"{API}/uploads", headers=auth, json={"question_id": question.id, "attempt": 1,
                                                                 "mime_type": "video/webm",
                                                                 "total_bytes": len(webm_bytes)}).get_json()
        size = init["chunk_bytes"]
        for index in range(init["total_chunks"]):
            client.put(f"{API}/uploads/{init['upload_id']}/chunks/{index}", headers=auth,
                       data=webm_bytes[index * size:(index + 1) * size], content_type="application/octet-stream")
        return client.post(f"{API}/uploads/{init['upload_id']}/complete", headers=auth)

    assert answer(q1).status_code == 201
    # The H5 now shows question 2; biometrics withdrawn through the API: later answers are audio only on both sides.
    assert client.get(f"/i/{token}").headers["Location"].endswith(f"/i/{token}/question")
    res = client.post(f"{API}/consent", headers=auth, json={"recording": True, "biometric": False,
                                                            "text_version": version})
    assert res.status_code == 200 and res.get_json()["audio_only"] is True
    assert client.get(f"/i/{token}/question").status_code == 200
    done = answer(q2)
    assert done.status_code == 201 and done.get_json()["interview"]["next_step"] == "done"
    assert [a.has_video for a in Answer.select().order_by(Answer.id)] == [True, False]
    assert client.get(f"/i/{token}/question").headers["Location"].endswith(f"/i/{token}/done")
    assert client.get(f"/i/{token}/done").status_code == 200
    assert client.get(f"{API}/status", headers=auth).get_json()["interview_status"] == "completed"
    assert [(c.kind, c.granted) for c in ConsentRecord.select().order_by(ConsentRecord.id)] == [
        ("recording", True), ("biometric", True), ("biometric", False)]


def test_a_link_locked_on_the_h5_says_so_to_the_api(app, client):
    """The H5 sends a locked-out candidate to the status page; the API's status says it before another try."""
    from app.core.extensions import settings
    _, token = invite(make_short_job())
    auth = {"Authorization": f"Bearer {token}"}
    version = client.get(f"{API}/interview", headers=auth).get_json()["consent"]["version"]
    client.post(f"{API}/consent", headers=auth, json={"recording": True, "text_version": version})
    assert client.get(f"{API}/status", headers=auth).get_json()["identity_locked"] is False
    for _ in range(settings["IDENTITY_MAX_ATTEMPTS"]):
        client.post(f"/i/{token}/identity", data={"name": NAME, "phone_last4": "0000"})
    assert client.get(f"/i/{token}").headers["Location"].endswith(f"/i/{token}/status")
    status = client.get(f"{API}/status", headers=auth).get_json()
    assert status["identity_locked"] is True and status["next_step"] == "identity"
    assert client.get(f"{API}/interview", headers=auth).get_json()["status"]["identity_locked"] is True
    res = client.post(f"{API}/identity", headers=auth, json={"name": NAME, "phone_last4": PHONE[-4:]})
    assert res.status_code == 429 and res.get_json()["error"]["code"] == "identity_locked"

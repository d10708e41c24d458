"""A mini-program developer's walk through a whole interview on /mp/api/v1, every request and every answer checked
against the OpenAPI document the API serves (tests/support/openapi.py): consent, identity with a face, the device
check, the questions, each attempt's clock, chunked uploads by PUT and POST, completing twice, the status, and the
conversation with an attachment. Every operation of the document is answered at least once."""
import pytest

from app.core.extensions import settings
from app.interview.models import Answer, Interview
from tests.support.interviews import NAME, PHONE, face_data_url, invite, make_short_job
from tests.support.openapi import Document, errors

API = "/mp/api/v1"
CHUNK = 4096


@pytest.fixture
def walker(app, client):
    settings["UPLOAD_CHUNK_BYTES"] = CHUNK
    job = make_short_job(questions=2, retakes=1)
    interview, token = invite(job)
    served = client.get(f"{API}/openapi.json").get_json()
    assert served == Document().doc  # what a client downloads is what the checks below read
    return Walker(client, token, Document(served)), job, interview


class Walker:
    def __init__(self, client, token, doc):
        self.client, self.token, self.doc = client, token, doc

    def call(self, method, path, status, json=None, data=None):
        """Send a request (its JSON body checked against the document), expect `status`, check the answer."""
        if json is not None:
            self.doc.check_request(path, method, json)
        kwargs = {"json": json} if json is not None else {}
        if data is not None:
            kwargs = {"data": data, "content_type": "application/octet-stream"}
        res = self.client.open(API + path, method=method.upper(), headers={"Authorization": f"Bearer {self.token}"},
                               **kwargs)
        assert res.status_code == status, (method, path, res.status_code, res.get_json(silent=True))
        return self.doc.check(res, path, method)


def answer_question(walk, question_id, media):
    timing = walk.call("post", f"/questions/{question_id}/start", 200, json={})
    assert timing["attempt"] == 1 and timing["recording_started_at"] is None
    timing = walk.call("post", f"/questions/{question_id}/start", 200, json={"attempt": 1, "recording": True})
    assert timing["recording_started_at"] and timing["answer_remaining_s"] <= timing["answer_seconds"]
    hidden = walk.call("post", f"/questions/{question_id}/page-hidden", 200, json={"attempt": 1, "seconds": 1.5})
    assert hidden == {"hidden_count": 1, "hidden_seconds": 1.5}
    upload = walk.call("post", "/uploads", 201, json={"question_id": question_id, "attempt": 1,
                                                      "mime_type": "video/webm;codecs=vp8,opus",
                                                      "total_bytes": len(media)})
    upload_id = upload["upload_id"]
    assert upload["total_chunks"] > 1 and upload["missing"] == list(range(upload["total_chunks"]))
    for index in range(upload["total_chunks"]):
        method = "put" if index % 2 else "post"     # both are documented
        receipt = walk.call(method, f"/uploads/{upload_id}/chunks/{index}", 200,
                            data=media[index * CHUNK:(index + 1) * CHUNK])
        assert receipt == {"upload_id": upload_id, "index": index, "status": "open"}
    assert walk.call("get", f"/uploads/{upload_id}", 200)["missing"] == []
    done = walk.call("post", f"/uploads/{upload_id}/complete", 201)
    again = walk.call("post", f"/uploads/{upload_id}/complete", 200)
    assert done["created"] and not again["created"] and again["answer"]["id"] == done["answer"]["id"]
    assert walk.call("get", f"/uploads/{upload_id}", 200)["answer_id"] == done["answer"]["id"]
    return done


def test_a_whole_interview_matches_the_document(walker, webm_bytes):
    walk, job, interview = walker
    info = walk.call("get", "/interview", 200)
    assert info["candidate_name"] is None and info["status"]["next_step"] == "landing"
    assert walk.call("get", "/status", 200)["consent_biometric"] is None
    walk.call("post", "/consent", 200, json={"recording": True, "biometric": True,
                                             "text_version": info["consent"]["version"]})
    walk.call("post", "/identity", 200, json={"name": NAME, "phone_last4": PHONE[-4:],
                                              "face_jpeg_base64": face_data_url()})
    assert walk.call("get", "/interview", 200)["candidate_name"] == NAME
    assert walk.call("post", "/device-check", 200)["next_step"] == "questions"
    listing = walk.call("get", "/questions", 200)
    first, second = job.ordered_questions()
    assert listing["next_question_id"] == first.id and listing["questions"][1]["text"] is None
    for question in (first, second):
        assert walk.call("get", "/questions/next", 200)["question"]["id"] == question.id
        done = answer_question(walk, question.id, webm_bytes)
    assert done["interview"]["next_step"] == "done" and done["interview"]["interview_status"] == "completed"
    assert walk.call("get", "/questions/next", 200) == {"step": "done", "question": None}
    status = walk.call("get", "/status", 200)
    assert status["answered"] == status["total_questions"] == 2 and status["completed_at"]
    assert Answer.select().count() == 2 and Interview.get_by_id(interview.id).status == "completed"

    # The conversation, under the same token.
    assert walk.call("get", "/conversation", 200)["messages"] == []
    photo = bytes.fromhex("ffd8ffe0") + b"\0" * 5000     # a JPEG by its magic bytes
    upload = walk.call("post", "/conversation/attachments", 201, json={"filename": "证件照.jpg",
                                                                       "total_bytes": len(photo)})
    upload_id = upload["upload_id"]
    for index in range(upload["total_chunks"]):
        walk.call("put" if index % 2 else "post", f"/conversation/attachments/{upload_id}/chunks/{index}", 200,
                  data=photo[index * CHUNK:(index + 1) * CHUNK])
    assert walk.call("get", f"/conversation/attachments/{upload_id}", 200)["missing"] == []
    attachment = walk.call("post", f"/conversation/attachments/{upload_id}/complete", 201)["attachment"]
    message = walk.call("post", "/conversation/messages", 201, json={"text": "照片已上传",
                                                                     "attachment_ids": [attachment["id"]]})
    assert message["attachments"][0]["id"] == attachment["id"]
    assert len(walk.call("get", "/conversation", 200)["messages"]) == 1

    answered = {(path, method) for path, method, status in walk.doc.seen if status.startswith("2")}
    documented = {(path, method) for path, ops in walk.doc.doc["paths"].items() for method in ops}
    assert documented - answered == {("/openapi.json", "get")}


def test_the_validator_catches_what_it_should():
    """The checks above mean something: an undocumented field, a wrong type, a missing required field fail."""
    doc = Document().doc
    status = {"interview_status": "invited", "status_label": "", "stage": "ai_invited", "stage_label": "",
              "next_step": "landing", "answered": 0, "total_questions": 2, "audio_only": False,
              "identity_locked": False, "consent_biometric": None, "completed_at": None}
    ref = {"$ref": "#/components/schemas/Status"}
    assert errors(status, ref, doc) == []
    assert errors({**status, "secret": 1}, ref, doc) == ["$: secret is not documented"]
    assert errors({**status, "answered": True}, ref, doc) == ["$.answered: True is not integer"]
    assert errors({**status, "completed_at": "yesterday"}, ref, doc) == [
        "$.completed_at: 'yesterday' is not an RFC 3339 date-time"]
    del status["stage"]
    assert errors(status, ref, doc) == ["$: missing stage"]

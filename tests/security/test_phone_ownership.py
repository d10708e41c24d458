"""A phone number is not an identity (issue 20, items 1 and 2).

An application through a posting with somebody else's phone is a separate candidate record: its token shows,
exports and deletes only its own application; the posting pages never show a stored name; applying again to the
same job takes nothing over. Candidates merged by phone in an existing database (before this fix) are scoped by
the token's application too. Each test failed on the code before the fix.
"""
import io
import json

import pytest

from app.conversation.models import Message
from app.core.errors import AppError
from app.core.models import Application, Candidate
from app.core.tx import transaction
from app.interview.invitations import hash_token
from app.interview.models import Answer, Interview
from app.privacy import deletion
from app.privacy.models import DeletionRequest
from app.screening import actions
from app.screening.models import Intake
from tests.privacy.helpers import candidate_with_data
from tests.support.funnel import pdf_resume
from tests.support.reports import sign_in_as

VICTIM, PHONE = "李明", "13800001234"


def _apply(client, link, name, phone, answer="能"):
    """Apply through the posting page like a person; return (response of the POST, token or None)."""
    res = client.post(f"/p/{link.code}", data={
        "name": name, "phone": phone, "consent": "yes", "answer_q1": answer,
        "resume": (io.BytesIO(pdf_resume(name=name, phone=phone)), "cv.pdf")},
        content_type="multipart/form-data")
    location = res.headers.get("Location", "")
    return res, location.rsplit("/", 1)[-1] if "/p/applied/" in location else None


def _application_of(token):
    return Intake.get(Intake.token_hash == hash_token(token)).application


def _export(client, token):
    res = client.get(f"/i/{token}/my-data.json")
    assert res.status_code == 200
    return json.loads(res.get_data(as_text=True)), res.get_data(as_text=True)


def test_another_candidates_phone_opens_none_of_their_data(client, demo_job, job, link, redis_conn):
    """The review's case: 李明 has an interview with a report, messages and notes; someone applies to another
    posting with his phone, is invited, exports "their" data and asks for its deletion."""
    victim = candidate_with_data(demo_job, VICTIM, PHONE, "LIMING")
    res, token = _apply(client, link, "王五", PHONE)
    assert token and VICTIM not in res.get_data(as_text=True)
    page = client.get(f"/p/applied/{token}").get_data(as_text=True)
    assert VICTIM not in page and "王五" not in page            # no stored name on the applicant's page at all
    application = _application_of(token)
    assert application.candidate_id != victim.candidate_id    # a separate record until ownership is proven
    assert Candidate.get_by_id(victim.candidate_id).name == VICTIM

    actions.invite(application.id, "hr_lina")                  # the interview opens under the applicant's token
    data, text = _export(client, token)
    assert "LIMING" not in text and VICTIM not in text
    assert [a["id"] for a in data["applications"]] == [application.id]
    landing = client.get(f"/i/{token}").get_data(as_text=True)
    assert VICTIM not in landing

    client.post(f"/i/{token}/my-data/delete")
    request = DeletionRequest.get()
    assert request.candidate_id == application.candidate_id and request.application_id == application.id
    sign_in_as(client, "hr_lina")
    hr_page = client.get("/admin/privacy/").get_data(as_text=True)
    assert VICTIM not in hr_page and "王五" in hr_page
    deletion.confirm(request.id, "hr_lina")
    deletion.execute_deletion(request.id)
    # 李明 keeps everything.
    assert Candidate.get_by_id(victim.candidate_id).name == VICTIM
    assert Answer.select().where(Answer.interview == victim.interview.id).count() == 1
    assert Message.select().where(Message.application == victim.application_id).count() == 2


def test_applying_again_to_the_same_job_takes_nothing_over(client, link, redis_conn):
    """Re-applying with the first applicant's phone neither replaces their link nor inherits their application;
    the second applicant cannot pass the identity check with the first one's name."""
    _, first = _apply(client, link, VICTIM, PHONE)
    mine = _application_of(first)
    actions.invite(mine.id, "hr_lina")
    res, second = _apply(client, link, "王五", "+86 138-0000-1234", answer="不能")
    assert second and second != first and VICTIM not in res.get_data(as_text=True)

    assert client.get(f"/i/{first}").status_code == 200       # the first link keeps working
    assert client.get(f"/p/applied/{first}").status_code == 302
    theirs = _application_of(second)
    assert theirs.id != mine.id and theirs.candidate_id != mine.candidate_id
    assert Application.get_by_id(mine.id).stage == "ai_invited"
    assert Intake.get(Intake.application == mine.id).answers == {"q1": "能"}
    page = client.get(f"/p/applied/{second}")
    assert page.status_code == 200 and VICTIM not in page.get_data(as_text=True)
    assert theirs.stage == "applied" and Intake.get(Intake.application == theirs.id).answers == {"q1": "不能"}

    actions.invite(theirs.id, "hr_lina")
    auth = {"Authorization": f"Bearer {second}"}
    info = client.get("/mp/api/v1/interview", headers=auth).get_json()
    assert VICTIM not in json.dumps(info, ensure_ascii=False)
    client.post("/mp/api/v1/consent", headers=auth, json={"recording": True, "biometric": False,
                                                          "text_version": info["consent"]["version"]})
    res = client.post("/mp/api/v1/identity", headers=auth, json={"name": VICTIM, "phone_last4": PHONE[-4:]})
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "identity_mismatch"


def _merged_by_phone_before_the_fix(job, link, victim):
    """What the old intake did: a second application with 李明's phone filed under 李明's candidate record."""
    token = "legacy-merged-token-" + "x" * 12
    with transaction():
        application = Application.create(candidate=victim.candidate_id, job=job.id)
        Intake.create(application=application, channel=link.channel, link=link, token_hash=hash_token(token))
        actions.invite(application.id, "hr_lina")
    return application, token


def test_candidates_merged_by_phone_before_the_fix_are_scoped_by_the_token(client, demo_job, job, link,
                                                                           redis_conn):
    victim = candidate_with_data(demo_job, VICTIM, PHONE, "LIMING")
    application, token = _merged_by_phone_before_the_fix(job, link, victim)
    data, text = _export(client, token)
    assert [a["id"] for a in data["applications"]] == [application.id]
    assert "LIMING" not in text and VICTIM not in text and "LIMING@example.com" not in text
    for page in (f"/i/{token}", f"/i/{token}/status", f"/i/{token}/my-data.html", f"/i/{token}/my-data/delete"):
        assert VICTIM not in client.get(page).get_data(as_text=True), page
    assert VICTIM not in json.dumps(client.get("/mp/api/v1/interview",
                                               headers={"Authorization": f"Bearer {token}"}).get_json(),
                                    ensure_ascii=False)

    client.post(f"/i/{token}/my-data/delete")
    request = DeletionRequest.get()
    assert request.application_id == application.id
    deletion.confirm(request.id, "hr_lina")
    summary = deletion.execute_deletion(request.id)
    assert summary["answers"] == 0 and summary["messages"] == 0
    # Only that application went: 李明's name, answers, messages and report stay.
    assert Candidate.get_by_id(victim.candidate_id).name == VICTIM
    assert Answer.select().where(Answer.interview == victim.interview.id).count() == 1
    assert Message.select().where(Message.application == victim.application_id).count() == 2
    assert Application.get_by_id(victim.application_id).stage == "ai_scored"
    assert Application.get_by_id(application.id).stage == "withdrawn"
    assert Interview.get(Interview.application == victim.application_id).status != "expired"
    # 李明's own link still exports his data, all of it.
    mine, _ = _export(client, victim.token)
    assert mine["candidate"]["name"] == VICTIM and [a["id"] for a in mine["applications"]] == [victim.application_id]


def test_hr_joins_same_phone_records_side_by_side_and_it_is_audited(client, demo_job, job, link, redis_conn):
    """The same person really applied twice (HR invited 李明, he later applied to another posting): HR compares the
    two records side by side and joins them; a manager cannot; the link still opens only its own application."""
    from app.core.access_log import AccessLog
    from app.screening import ownership

    known = candidate_with_data(demo_job, VICTIM, PHONE, "LIMING")
    _, token = _apply(client, link, VICTIM, PHONE)
    application = _application_of(token)
    new_record = application.candidate_id
    form = {"candidate_id": str(known.candidate_id), "confirm": "yes"}

    sign_in_as(client, "zhangwei")   # a manager of the job
    assert client.get(f"/admin/applications/{application.id}/same-phone").status_code == 403
    assert client.post(f"/admin/applications/{application.id}/join", data=form).status_code == 403
    assert Application.get_by_id(application.id).candidate_id == new_record

    sign_in_as(client, "hr_lina")
    assert "同一手机号另有 1 条候选人记录" in client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    page = client.get(f"/admin/applications/{application.id}/same-phone").get_data(as_text=True)
    assert page.count(VICTIM) >= 2 and demo_job.title in page and job.title in page
    client.post(f"/admin/applications/{application.id}/join", data={"candidate_id": form["candidate_id"]})
    assert Application.get_by_id(application.id).candidate_id == new_record   # not without the confirmation
    res = client.post(f"/admin/applications/{application.id}/join", data=form)
    assert res.status_code == 302
    assert Application.get_by_id(application.id).candidate_id == known.candidate_id
    assert Candidate.get_or_none(Candidate.id == new_record) is None          # the emptied record is gone
    row = AccessLog.get(AccessLog.action == "join_candidate")
    assert (row.actor, row.candidate_id, row.application_id) == ("hr_lina", known.candidate_id, application.id)

    # Joined, each link still opens only its own application.
    actions.invite(application.id, "hr_lina")
    data, text = _export(client, token)
    assert [a["id"] for a in data["applications"]] == [application.id] and "LIMING" not in text

    # A code that proved another phone, or a record with an application to the same job, is refused.
    _, other_token = _apply(client, link, "王五", "13900009999")
    other = _application_of(other_token)
    for proof, code in ((ownership.Proof.phone_code("13900009999"), "phone_not_proven"),
                        (ownership.Proof.phone_code(PHONE), "phone_differs")):
        with pytest.raises(AppError) as info:
            ownership.join_candidate(other.id, known.candidate_id, proof)
        assert info.value.code == code
    _, again = _apply(client, link, VICTIM, PHONE)
    with pytest.raises(AppError) as info:
        ownership.join_candidate(_application_of(again).id, known.candidate_id, ownership.Proof.hr_merge("hr_lina"))
    assert info.value.code == "same_job"

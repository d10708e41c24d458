"""Phase 2, a job's identity step by SMS code: the candidate proves the phone they applied with (purpose identity)
instead of typing its last 4 digits, on the H5 page and in the mini-program API; the option round-trips through the
job template. The code goes through the sandbox over HTTP; SQLite and PostgreSQL."""
from app.core.models import Job
from app.interview import flow as interview_flow
from app.interview.invitations import invite_candidate
from app.interview.models import Interview
from app.screening.job_templates import export_template, import_template
from tests.notifications.test_phone_gates import proof_for
from tests.support.app import import_job


def sms_job():
    job = import_job("backend-engineer.yaml")
    Job.update(identity_by_sms=True).where(Job.id == job.id).execute()
    return job


def test_the_identity_step_takes_the_code_of_the_applicants_phone(notify_env):
    app, box, _ = notify_env
    job = sms_job()
    interview, token = invite_candidate(job.id, "李明", "13800003456")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    client = app.test_client()
    page = client.get(f"/i/{token}/identity").get_data(as_text=True)
    assert 'data-purpose="identity"' in page and 'name="phone_last4"' not in page

    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/mp/api/v1/interview", headers=auth).get_json()["identity_step"] == "sms_code"
    digits = client.post("/mp/api/v1/identity", headers=auth, json={"name": "李明", "phone_last4": "3456"})
    assert digits.status_code == 400 and digits.get_json()["error"]["code"] == "phone_code_required"
    other = proof_for(client, box, "13900004567", "identity")          # a code to another phone
    wrong = client.post("/mp/api/v1/identity", headers=auth, json={"name": "李明", "phone_proof": other})
    assert wrong.status_code == 400 and wrong.get_json()["error"]["code"] == "identity_mismatch"

    proof = proof_for(client, box, "13800003456", "identity")
    done = client.post(f"/i/{token}/identity", data={"name": "李明", "phone_proof": proof})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/i/{token}/device")
    assert Interview.get_by_id(interview.id).identity_verified_at is not None


def test_the_last_four_digits_stay_the_default_and_the_option_round_trips(notify_env):
    app, box, _ = notify_env
    plain_job = import_job("backend-engineer.yaml")
    interview, token = invite_candidate(plain_job.id, "王芳", "13800004321")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    client = app.test_client()
    assert 'name="phone_last4"' in client.get(f"/i/{token}/identity").get_data(as_text=True)
    assert client.post(f"/i/{token}/identity", data={"name": "王芳", "phone_last4": "4321"}).status_code == 302
    assert "identity_by_sms" not in export_template(plain_job.id)

    text = export_template(sms_job().id)
    assert "identity_by_sms: true" in text and import_template(text).identity_by_sms

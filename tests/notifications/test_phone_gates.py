"""Phase 2, SMS codes as gates: with SMS on, a candidate's data export and deletion request need a code sent to the
phone they applied with (the link alone may have been forwarded). The code goes through the sandbox over HTTP;
SQLite and PostgreSQL."""
import re

from app.interview.invitations import invite_candidate
from app.privacy.models import DeletionRequest
from tests.notifications.test_codes import ask, check, code_on_phone
from tests.support.app import import_job


def invited(notify_env, name, phone):
    """(client, sandbox, interview, token) of a person HR invited to the backend job."""
    app, box, _ = notify_env
    interview, token = invite_candidate(import_job("backend-engineer.yaml").id, name, phone)
    return app.test_client(), box, interview, token


def proof_for(client, box, phone, purpose):
    assert ask(client, phone, purpose).status_code == 200
    answer = check(client, code_on_phone(box, phone), phone, purpose)
    assert answer.status_code == 200
    return answer.json["proof"]


def test_the_export_asks_for_the_code_of_the_applicants_phone(notify_env):
    client, box, _, token = invited(notify_env, "李明", "13800008888")

    page = client.get(f"/i/{token}/my-data.json")
    assert page.status_code == 200 and 'data-testid="verify-export"' in page.get_data(as_text=True)
    assert page.mimetype == "text/html"                                   # no data without the code
    refused = client.post(f"/i/{token}/my-data.json", data={"phone_proof": ""})
    assert refused.status_code == 403 and "短信验证码" in refused.get_data(as_text=True)

    other = proof_for(client, box, "13900001111", "data_export")          # someone else's phone proves nothing
    assert client.post(f"/i/{token}/my-data.json", data={"phone_proof": other}).status_code == 403

    proof = proof_for(client, box, "13800008888", "data_export")
    done = client.post(f"/i/{token}/my-data.json", data={"phone_proof": proof})
    assert done.status_code == 200 and done.mimetype == "application/json" and "李明" in done.get_data(as_text=True)
    # a proof for the export does not request a deletion
    assert client.post(f"/i/{token}/my-data/delete", data={"phone_proof": proof}).status_code == 403
    assert DeletionRequest.select().count() == 0


def test_an_applicant_not_yet_invited_proves_the_phone_too(notify_env):
    from app.screening import intake
    from tests.support.funnel import pdf_resume

    app, box, _ = notify_env
    link = intake.create_link(import_job("backend-engineer.yaml").id, "wechat_group", "hr1")
    _, token, _ = intake.apply(link.code, "赵敏", "13800007777", pdf_resume(name="赵敏", phone="13800007777"),
                               "cv.pdf", {})
    client = app.test_client()
    page = client.get(f"/i/{token}/my-data.json").get_data(as_text=True)
    assert 'data-testid="verify-export"' in page and f'href="/p/applied/{token}#my-data"' in page
    assert client.post(f"/i/{token}/my-data.json", data={"phone_proof": ""}).status_code == 403
    assert client.post(f"/i/{token}/my-data/delete").status_code == 403
    proof = proof_for(client, box, "13800007777", "data_export")
    done = client.post(f"/i/{token}/my-data.json", data={"phone_proof": proof})
    assert done.status_code == 200 and "赵敏" in done.get_data(as_text=True)
    assert DeletionRequest.select().count() == 0


def test_the_deletion_request_needs_its_own_code(notify_env):
    client, box, interview, token = invited(notify_env, "王芳", "13800009990")
    page = client.get(f"/i/{token}/my-data/delete").get_data(as_text=True)
    assert 'data-purpose="data_deletion"' in page
    assert client.post(f"/i/{token}/my-data/delete").status_code == 403
    proof = proof_for(client, box, "13800009990", "data_deletion")
    assert client.post(f"/i/{token}/my-data/delete", data={"phone_proof": proof}).status_code == 302
    assert DeletionRequest.get().application_id == interview.application_id


def test_a_posting_application_joins_the_earlier_record_only_with_the_code(notify_env):
    from app.core.access_log import AccessLog
    from app.core.models import Application
    from app.screening import intake
    from tests.support.funnel import pdf_resume

    app, box, _ = notify_env
    earlier, _ = invite_candidate(import_job("backend-engineer.yaml").id, "李明", "13800001212")
    other_job = import_job("sales-representative.yaml")
    link = intake.create_link(other_job.id, "wechat_group", "hr_lina")
    application, token, same_phone = intake.apply(link.code, "李明", "13800001212",
                                              pdf_resume(name="李明", phone="13800001212"), "cv.pdf", {})
    assert same_phone and application.candidate_id != earlier.application.candidate_id   # a phone proves nothing
    client = app.test_client()
    assert 'data-testid="same-phone-step"' in client.get(f"/p/applied/{token}").get_data(as_text=True)
    page = client.get(f"/p/applied/{token}/same-phone").get_data(as_text=True)
    assert 'data-purpose="apply_merge"' in page and "以前的应聘记录" in page

    assert client.post(f"/p/applied/{token}/same-phone", data={"phone_proof": ""}).status_code == 403
    assert Application.get_by_id(application.id).candidate_id == application.candidate_id

    proof = proof_for(client, box, "13800001212", "apply_merge")
    done = client.post(f"/p/applied/{token}/same-phone", data={"phone_proof": proof}).get_data(as_text=True)
    assert 'data-testid="joined"' in done
    assert Application.get_by_id(application.id).candidate_id == earlier.application.candidate_id
    assert AccessLog.select().where(AccessLog.target.contains("phone_code")).count() == 1


def test_the_data_package_downloads_only_with_the_code(notify_env, redis_conn):
    """Building the package needs only the link (nothing leaves); its download asks for the code like the export."""
    from app.core.access_log import AccessLog
    from tests.support.wecom import run_fast_worker

    client, box, _, token = invited(notify_env, "李明", "13800008877")
    assert client.post(f"/i/{token}/my-data/archive").status_code == 302
    run_fast_worker(redis_conn)
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert 'data-testid="archive-download"' in status

    page = client.get(f"/i/{token}/my-data.zip")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert 'data-testid="verify-export"' in page.get_data(as_text=True) and "下载数据包" in page.get_data(as_text=True)
    assert client.post(f"/i/{token}/my-data.zip", data={"phone_proof": ""}).status_code == 403
    other = proof_for(client, box, "13900001122", "data_export")
    assert client.post(f"/i/{token}/my-data.zip", data={"phone_proof": other}).status_code == 403
    assert AccessLog.select().where(AccessLog.action == "export_zip").count() == 0   # a refusal writes nothing

    proof = proof_for(client, box, "13800008877", "data_export")
    done = client.post(f"/i/{token}/my-data.zip", data={"phone_proof": proof})
    assert done.status_code == 200 and done.mimetype == "application/zip" and done.data[:2] == b"PK"
    assert AccessLog.select().where(AccessLog.action == "export_zip").count() == 1


def test_the_deletion_page_offers_no_submit_before_the_phone_is_verified(notify_env):
    """The confirm button stays disabled until the code block has verified the phone; a post without a valid code
    (no script, an expired code) gets the page itself back with what to do and the phone typed, not an error page."""
    client, box, _, token = invited(notify_env, "王芳", "13800009991")
    page = client.get(f"/i/{token}/my-data/delete").get_data(as_text=True)
    assert re.search(r'<button type="submit"[^>]*data-testid="confirm-deletion" disabled data-after-phone>', page)
    assert page.index("第一步:验证手机号") < page.index('data-purpose="data_deletion"') < page.index("confirm-deletion")
    assert "验证手机号后才能提交" in page

    refused = client.post(f"/i/{token}/my-data/delete", data={"phone_proof": "", "phone": "138 0000 9991"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    assert 'data-testid="confirm-delete"' in text and 'data-testid="phone-error"' in text
    assert "请先验证手机号" in text and 'data-purpose="data_deletion"' in text and 'value="138 0000 9991"' in text
    assert "phone_not_verified" not in text and 'data-testid="deletion-scope"' in text   # the whole page, nothing lost
    assert DeletionRequest.select().count() == 0


def test_the_export_post_without_a_code_gets_the_verify_step_back(notify_env):
    client, box, _, token = invited(notify_env, "李明", "13800008889")
    page = client.get(f"/i/{token}/my-data.html").get_data(as_text=True)
    assert re.search(r'data-testid="export-verified" disabled data-after-phone>', page)
    refused = client.post(f"/i/{token}/my-data.html", data={"phone_proof": "", "phone": "13800008889"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403 and 'data-testid="verify-export"' in text
    assert "请先验证手机号" in text and 'value="13800008889"' in text and "phone_not_verified" not in text


def test_the_pdf_export_gate_names_the_pdf(notify_env):
    """The status page's "查看我的数据(PDF)" leads to a verify step that says PDF, not the web page's wording."""
    client, box, _, token = invited(notify_env, "李明", "13800008890")
    page = client.get(f"/i/{token}/my-data.pdf").get_data(as_text=True)
    assert 'data-testid="verify-export"' in page and "查看我的数据(PDF)" in page
    assert re.search(r'data-testid="export-verified" disabled data-after-phone>查看\(PDF\)</button>', page)
    assert "查看(网页)" not in page and "验证手机号后才能查看" in page

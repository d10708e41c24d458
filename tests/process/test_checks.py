"""The self-serve background check: started by the pass decision, the candidate's versioned consent, items with
their own rules, HR verifying each, a problem decided by HR; the offer waits for a cleared check."""
import pytest

from app.core import pipeline
from app.core.errors import AppError
from app.core.models import Application
from app.process import checks, offers
from app.process.models import CheckItem, CheckStatus, ProcessEvent
from tests.conversation.helpers import docx_bytes, pdf_bytes, upload
from tests.process.helpers import at_second_round
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker


def _code(func):
    with pytest.raises(AppError) as info:
        func()
    return info.value.code


def _at_check(job, redis_conn):
    application, token = at_second_round(job)
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)  # START_CHECK (the follow-up of background_check)
    return application, token


def test_consent_items_verification_and_the_offer_gate(app, client, demo_job, redis_conn):
    application, token = _at_check(demo_job, redis_conn)
    order = checks.order_of(application.id)
    assert order.status == CheckStatus.AWAITING_CONSENT and checks.items_of(order) == []
    assert _code(lambda: offers.create_offer(application.id, "hr_lina", {"salary": "1"})) == "check_not_cleared"
    assert _code(lambda: checks.consent(application.id, True, "old-version")) == "stale_consent"
    assert _code(lambda: checks.consent(application.id, False, checks.CONSENT_VERSION)) == "consent_required"
    order = checks.consent(application.id, True, checks.CONSENT_VERSION)
    assert order.status == CheckStatus.COLLECTING and order.consent_version == checks.CONSENT_VERSION
    education, employment = checks.items_of(order)

    assert _code(lambda: checks.submit_item(application.id, education.id, "12-34")) == "bad_chsi_code"
    checks.submit_item(application.id, education.id, "A1B2C3D4E5F6G7H8")
    assert _code(lambda: checks.submit_item(application.id, employment.id, "某科技公司")) == "file_required"
    res = upload(client, token, "离职证明.pdf", pdf_bytes(), purpose="hr_document")
    assert res.status_code == 201
    file_id = res.get_json()["attachment"]["id"]
    # Another application's file cannot be used, nor an editable Word file (its upload is refused already).
    assert _code(lambda: checks.submit_item(application.id, employment.id, "某科技公司", 999)) == "file_required"
    word = upload(client, token, "离职证明.docx", docx_bytes(), purpose="hr_document")
    assert word.get_json()["error"]["code"] == "attachment_type_refused"
    checks.submit_item(application.id, employment.id, "某科技公司", file_id)
    assert checks.order_of(application.id).status == CheckStatus.VERIFYING

    assert _code(lambda: checks.verify_item(application.id, education.id, "zhangwei", True)) == "hr_only"
    checks.verify_item(application.id, education.id, "hr_lina", True)
    assert _code(lambda: checks.verify_item(application.id, employment.id, "hr_lina", False)) == "note_required"
    checks.verify_item(application.id, employment.id, "hr_lina", False, "离职证明日期与简历不符")
    assert checks.order_of(application.id).status == CheckStatus.PROBLEM
    assert not checks.cleared(application.id)
    checks.decide_problem(application.id, "hr_lina", True, "候选人解释为交接期,已电话确认")
    assert checks.cleared(application.id)
    kinds = [e.kind for e in ProcessEvent.select().where(ProcessEvent.application == application.id)
             .order_by(ProcessEvent.id)]
    assert kinds[:2] == ["check_started", "check_consent"] and kinds[-1] == "check_waived"

    # The HR page shows the items and the file link.
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "学信网在线验证码" in page and "离职证明日期与简历不符" in page
    assert "已核实 · A1B2C3D4E5F6G7H8" in page and "有问题 · 某科技公司" in page   # HR's words for the items
    assert client.get(f"/m/applications/{application.id}/check/files/{file_id}").status_code == 200


def test_a_passed_check_does_not_read_as_a_check_under_way(app, client, demo_job, redis_conn):
    """Before: the status page said 「背景调查中 · 我们正在核实你的履历信息」 beside 「背景调查 · 已通过」 while HR
    prepared the offer."""
    application, token = _at_check(demo_job, redis_conn)
    order = checks.consent(application.id, True, checks.CONSENT_VERSION)
    for item in checks.items_of(order):
        if item.kind == "education":
            checks.submit_item(application.id, item.id, "A1B2C3D4E5F6G7H8")
        else:
            file_id = upload(client, token, "离职证明.pdf", pdf_bytes(), purpose="hr_document").get_json()
            checks.submit_item(application.id, item.id, "某科技公司", file_id["attachment"]["id"])
        checks.verify_item(application.id, item.id, "hr_lina", True)
    assert checks.cleared(application.id)
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "已通过" in status and "背景调查中" not in status and "正在核实" not in status
    assert "公司会做最终的录用决定" in status


def test_a_problem_can_end_the_process(app, demo_job, redis_conn):
    application, _ = _at_check(demo_job, redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    education = CheckItem.get(CheckItem.kind == "education")
    checks.submit_item(application.id, education.id, "A1B2C3D4E5")
    checks.verify_item(application.id, education.id, "hr_lina", False, "学信网查无此学历")
    checks.decide_problem(application.id, "hr_lina", False, "学历不实")
    assert Application.get_by_id(application.id).stage == "rejected"
    assert checks.order_of(application.id).status == CheckStatus.FAILED


def test_before_a_check_or_an_offer_their_pages_say_so(app, client, demo_job):
    _, token = at_second_round(demo_job)
    for path, said, absent in (("check", "暂无背景调查。", 'data-testid="check-status"'),
                               ("offer", "暂无录用通知。", 'data-testid="letter"')):
        res = client.get(f"/i/{token}/{path}")
        page = res.get_data(as_text=True)
        assert res.status_code == 200 and said in page and 'data-testid="empty"' in page and absent not in page
        assert "返回应聘进度" in page


def test_the_candidate_check_page(app, client, demo_job, redis_conn):
    application, token = _at_check(demo_job, redis_conn)
    page = client.get(f"/i/{token}/check").get_data(as_text=True)
    assert checks.CONSENT_TEXT in page and checks.CONSENT_VERSION in page
    # The candidate's words for the check's state (it read HR's 「等候选人授权」, about them in the third person).
    assert "等候选人" not in page and "请阅读并授权" in page
    assert "等候选人" not in client.get(f"/i/{token}/status").get_data(as_text=True)
    res = client.post(f"/i/{token}/check", data={"action": "consent", "version": checks.CONSENT_VERSION})
    assert res.status_code == 302
    assert "需要勾选同意" in client.get(f"/i/{token}/check").get_data(as_text=True)
    client.post(f"/i/{token}/check", data={"action": "consent", "version": checks.CONSENT_VERSION, "agree": "yes"})
    page = client.get(f"/i/{token}/check").get_data(as_text=True)
    assert "学信网在线验证码" in page and "离职证明" in page
    assert "等候选人" not in page and "请提交材料" in page
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "背景调查" in status and f"/i/{token}/check" in status


def test_a_refused_item_keeps_the_file_picked_and_what_was_typed(app, client, demo_job, redis_conn):
    """The 离职证明 uploaded, the employer's name forgotten: the refusal (in red) keeps the file picked; then the
    name typed with a code of the wrong shape elsewhere keeps the name. Once, and only in this browser."""
    application, token = _at_check(demo_job, redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    education, employment = checks.items_of(checks.order_of(application.id))
    file_id = upload(client, token, "离职证明.pdf", pdf_bytes(), purpose="hr_document").get_json()["attachment"]["id"]
    page = client.post(f"/i/{token}/check", data={"item_id": employment.id, "value": "", "attachment_id": file_id},
                       follow_redirects=True).get_data(as_text=True)
    assert "请填写雇主名称" in page and "notice_warn" in page
    assert f'<option value="{file_id}" selected>' in page
    page = client.post(f"/i/{token}/check", data={"item_id": education.id, "value": "12-34"},
                       follow_redirects=True).get_data(as_text=True)
    assert "学信网在线验证码应为" in page and 'value="12-34"' in page
    again = client.get(f"/i/{token}/check").get_data(as_text=True)
    assert 'value="12-34"' not in again and f'<option value="{file_id}" selected>' not in again
    other = app.test_client()
    assert 'value="12-34"' not in other.get(f"/i/{token}/check").get_data(as_text=True)


def test_staff_forms_redirect_only_within_the_site(app, client, demo_job):
    sign_in_as(client, "hr_lina")
    for back in ("https://evil.example/x", "//evil.example", "/\\evil.example"):
        res = client.post(f"/m/jobs/{demo_job.id}/reminders", data={"back": back})
        assert res.status_code == 302 and "evil.example" not in res.headers["Location"], back
    res = client.post(f"/m/jobs/{demo_job.id}/reminders", data={"back": "/m/applications/1#process"})
    assert res.headers["Location"].endswith("/m/applications/1#process")


def test_an_item_hr_found_a_problem_with_can_be_submitted_again(app, client, demo_job, redis_conn):
    """HR's 有问题 reads 需要补充 with the note on the candidate's page, with the item's form: the candidate is
    told in the conversation and may send a new code or file (it was refused with 当前不能提交材料 after the new
    file had been uploaded, a dead end); the order then waits for HR again, who may still decide instead."""
    application, token = _at_check(demo_job, redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    education, employment = checks.items_of(checks.order_of(application.id))
    checks.submit_item(application.id, education.id, "A1B2C3D4E5")
    checks.verify_item(application.id, education.id, "hr_lina", False, "验证码已过期,请重新申请")
    assert checks.order_of(application.id).status == CheckStatus.PROBLEM
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "需要补充:验证码已过期,请重新申请" in status

    page = client.post(f"/i/{token}/check", data={"item_id": education.id, "value": "NEWCODE12345"},
                       follow_redirects=True).get_data(as_text=True)
    assert "已提交,HR 核实后会通知你" in page and "当前不能提交材料" not in page
    assert CheckItem.get_by_id(education.id).value == "NEWCODE12345"
    assert CheckItem.get_by_id(education.id).status == "submitted"
    assert checks.order_of(application.id).status == CheckStatus.COLLECTING   # the 离职证明 is still missing

    file_id = upload(client, token, "离职证明.pdf", pdf_bytes(), purpose="hr_document").get_json()["attachment"]["id"]
    checks.submit_item(application.id, employment.id, "某科技公司", file_id)
    checks.verify_item(application.id, employment.id, "hr_lina", False, "请上传盖章的离职证明")
    checks.verify_item(application.id, education.id, "hr_lina", True)
    checks.submit_item(application.id, employment.id, "某科技公司", file_id)
    assert checks.order_of(application.id).status == CheckStatus.VERIFYING
    checks.verify_item(application.id, employment.id, "hr_lina", True)
    assert checks.cleared(application.id)

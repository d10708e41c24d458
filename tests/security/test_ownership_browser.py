"""In Chromium: HR compares two same-phone records side by side and joins them (1280 px and 390 px); a link of a
record merged by phone before issue 20 asks to delete only its own application (390 px) and HR's request list
says so. Screenshots under test-artifacts/security/."""
import pytest

from app.core.models import Application
from app.core.tx import transaction
from app.interview.invitations import hash_token
from app.privacy.models import DeletionRequest
from app.screening import actions
from app.screening.models import Intake
from tests.privacy.helpers import candidate_with_data
from tests.support.browser import shot
from tests.support.funnel import pdf_resume

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def _hr_page(phone, app, base, width):
    from tests.support.reports import sign_in_as
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    context = phone.context.browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": base}])
    page = context.new_page()
    page.set_default_timeout(20000)
    return page


def test_hr_joins_same_phone_records_side_by_side(live_app, phone, demo_job, redis_conn, tmp_path):
    from app.screening import intake
    from app.screening.job_templates import import_template
    from tests.support.funnel import backend_template
    app, base = live_app
    known = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    job = import_template(backend_template())
    link = intake.create_link(job.id, "wechat_group")
    resume = tmp_path / "cv.pdf"
    resume.write_bytes(pdf_resume(name="李明", phone="13800001234"))
    phone.goto(f"{base}/p/{link.code}")
    phone.fill("input[name=name]", "李明")
    phone.fill("input[name=phone]", "13800001234")
    phone.set_input_files("#resume", str(resume))
    phone.click("label:has(input[value=能])")
    phone.check("input[name=consent]")
    phone.click("#submit")
    phone.wait_for_selector("[data-testid=stage]")
    assert "李明" not in phone.inner_text("body")
    application = Application.select().order_by(Application.id.desc()).first()

    hr = _hr_page(phone, app, base, 1280)
    hr.goto(f"{base}/admin/applications")
    with hr.expect_navigation():
        hr.locator(f"[data-application='{application.id}'] [data-testid=same-phone]").click()
    pair = hr.locator("[data-testid=pair]")
    assert pair.count() == 1 and demo_job.title in pair.inner_text() and job.title in pair.inner_text()
    shot(hr, "ownership-1-same-phone-1280", "security")
    hr.set_viewport_size({"width": 390, "height": 844})
    assert hr.evaluate("document.documentElement.scrollWidth") <= 390
    shot(hr, "ownership-2-same-phone-390", "security")
    hr.check("[data-testid=join-confirm]")
    with hr.expect_navigation():
        hr.click("[data-testid=join]")
    assert "已合并" in hr.inner_text(".flash") and hr.locator(".flash").count() == 1
    assert Application.get_by_id(application.id).candidate_id == known.candidate_id
    shot(hr, "ownership-3-joined-390", "security")


def test_a_link_of_a_record_merged_by_phone_deletes_only_its_application(live_app, phone, demo_job, redis_conn):
    from app.screening import intake
    app, base = live_app
    known = candidate_with_data(demo_job, "李明", "13800001234", "LIMING")
    link = intake.create_link(demo_job.id, "wechat_group")
    other_job = type(demo_job).create(title="销售代表", status="open")
    token = "merged-before-the-fix-" + "y" * 10
    with transaction():   # what the old intake did: another person's application on 李明's record
        merged = Application.create(candidate=known.candidate_id, job=other_job.id)
        Intake.create(application=merged, channel=link.channel, link=link, token_hash=hash_token(token))
        actions.invite(merged.id, "hr_lina")

    phone.goto(f"{base}/i/{token}/my-data.html")
    body = phone.inner_text("body")
    assert "李明" not in body and "LIMING" not in body and "销售代表" in body
    shot(phone, "ownership-4-merged-record-export-390", "security")
    phone.goto(f"{base}/i/{token}/my-data/delete")
    assert "销售代表" in phone.inner_text("[data-testid=deletion-scope]")
    shot(phone, "ownership-5-merged-record-confirm-390", "security")
    with phone.expect_navigation():
        phone.click("[data-testid=confirm-deletion]")
    assert DeletionRequest.get().application_id == merged.id

    hr = _hr_page(phone, app, base, 1280)
    hr.goto(f"{base}/admin/privacy/")
    row = hr.locator("[data-testid=request]")
    assert "仅此申请:销售代表" in row.inner_text() and "另有 1 份申请不在本次删除范围内" in row.inner_text()
    shot(hr, "ownership-6-hr-request-scope-1280", "security")

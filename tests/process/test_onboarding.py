"""The pre-hire checklist: created when the offer is accepted, with the 入职通知; documents must be images or
PDFs the candidate sent; HR verifies each; arrival waits for a complete checklist and the start date."""
import datetime as dt
import re

import pytest

from app.conversation.models import Message
from app.core import pipeline
from app.core.errors import AppError
from app.process import checklists, onboarding
from app.process.models import Offer, OfferStatus
from tests.conversation.helpers import docx_bytes, pdf_bytes, upload
from tests.process.helpers import at_second_round
from tests.support.wecom import run_fast_worker


def _code(func):
    with pytest.raises(AppError) as info:
        func()
    return info.value.code


def _at_onboarding(job, redis_conn):
    """(application, token, start date): through the second round, an accepted offer, the checklist made."""
    application, token = at_second_round(job)
    for stage in ("background_check", "offer_sent"):
        pipeline.advance_stage(application.id, stage, actor="hr_lina", source="web")
    start = dt.date.today() + dt.timedelta(days=10)
    Offer.create(application=application.id, position="后端开发工程师", salary=25000, start_date=start,
                 place="上海", probation_months=3, expires_on=start - dt.timedelta(days=3), status=OfferStatus.ACCEPTED,
                 created_by="hr_lina")
    pipeline.advance_stage(application.id, "onboarding", actor="candidate", source="web")
    run_fast_worker(redis_conn)
    return application, token, start


def test_checklist_rules_and_arrival(app, client, demo_job, redis_conn):
    application, token, start = _at_onboarding(demo_job, redis_conn)
    items = {i.key: i for i in onboarding.items_of(application.id)}
    assert list(items) == [key for key, _, _ in checklists.CHECKLIST]
    assert Message.select().where(Message.body.contains("入职通知")).count() == 1
    run_fast_worker(redis_conn)
    assert len(onboarding.items_of(application.id)) == len(checklists.CHECKLIST)  # once

    docx = upload(client, token, "身份证.docx", docx_bytes(), purpose="hr_document")
    assert docx.get_json()["error"]["code"] == "attachment_type_refused"   # a Word file is not an ID card
    pdf = upload(client, token, "证件.pdf", pdf_bytes(), purpose="hr_document").get_json()["attachment"]["id"]
    assert _code(lambda: onboarding.submit_item(application.id, items["id_card"].id, "", None)) == "file_required"
    assert _code(lambda: onboarding.submit_item(application.id, items["details"].id, "无")) == "details_required"
    assert _code(lambda: onboarding.confirm_arrival(application.id, "hr_lina", "liming", on=start)) == \
        "checklist_incomplete"
    onboarding.submit_item(application.id, items["id_card"].id, "", pdf)
    # The status page counts what the candidate still has to send, not what waits for HR (it said 「还有 6 项待完成」
    # with one sent, as if it had been lost).
    left = len(checklists.CHECKLIST) - 1
    assert f"入职准备</b> · 还有 {left} 项待提交" in client.get(f"/i/{token}/status").get_data(as_text=True)
    for key, _, _ in checklists.CHECKLIST:
        onboarding.submit_item(application.id, items[key].id, "紧急联系人 李华 13900000000", pdf)
    assert "入职准备</b> · 材料已提交,HR 核实中" in client.get(f"/i/{token}/status").get_data(as_text=True)
    assert _code(lambda: onboarding.verify_item(application.id, items["id_card"].id, "zhangwei", True)) == "hr_only"
    assert _code(lambda: onboarding.verify_item(application.id, items["id_card"].id, "hr_lina", False)) == \
        "note_required"
    for item in items.values():
        onboarding.verify_item(application.id, item.id, "hr_lina", True)
    assert onboarding.outstanding(application.id) == []
    assert _code(lambda: onboarding.confirm_arrival(application.id, "hr_lina", "liming", on=start
                                                    - dt.timedelta(days=1))) == "before_start_date"
    assert _code(lambda: onboarding.confirm_arrival(application.id, "hr_lina", "li ming", on=start)) == "bad_userid"
    event = onboarding.confirm_arrival(application.id, "hr_lina", "liming", on=start)
    assert event.to_stage == "hired"


@pytest.mark.browser
@pytest.mark.timeout(180)
def test_a_document_is_uploaded_after_hr_verified_an_earlier_one(live_app, phone, redis_conn, tmp_path):
    """HR verifies items as they come in. A verified document item kept its form's data-document mark without the
    file field, the page's script stopped there, and every document below it was posted without its file:
    「请在本页上传文件」 again and again, whatever the candidate picked."""
    from tests.support.app import import_job
    app, base = live_app
    application, token, _ = _at_onboarding(import_job("backend-engineer.yaml"), redis_conn)
    items = {i.key: i for i in onboarding.items_of(application.id)}
    (tmp_path / "身份证.pdf").write_bytes(pdf_bytes())
    (tmp_path / "学位证.pdf").write_bytes(pdf_bytes())
    page = phone
    page.goto(f"{base}/i/{token}/onboarding")
    page.set_input_files("[data-testid=file-id_card]", str(tmp_path / "身份证.pdf"))
    with page.expect_navigation():
        page.click("[data-testid=send-id_card]")
    onboarding.verify_item(application.id, items["id_card"].id, "hr_lina", True)

    page.goto(f"{base}/i/{token}/onboarding")
    page.set_input_files("[data-testid=file-degree]", str(tmp_path / "学位证.pdf"))
    with page.expect_navigation():
        page.click("[data-testid=send-degree]")
    assert "已提交" in page.inner_text("[data-testid=flash]")
    assert onboarding.items_of(application.id)[1].status == "submitted"
    assert not [m for m in page.console_messages if m.startswith("pageerror")]


def test_a_refused_arrival_keeps_the_account_typed(app, client, demo_job, redis_conn):
    """确认已到岗 before the start date is refused, saying why, and the new member's account HR typed stays in the
    field for the day it can be confirmed."""
    from tests.support.reports import sign_in_as
    application, _, _ = _at_onboarding(demo_job, redis_conn)
    sign_in_as(client, "hr_lina", "李娜")
    page = client.post(f"/m/applications/{application.id}/arrival", data={"employee_userid": "liming"},
                       follow_redirects=True).get_data(as_text=True)
    assert "之前不能确认到岗" in page
    assert re.search(r'<input id="arrival-employee_userid" name="employee_userid"[^>]*value="liming">', page)

"""The pre-hire checklist: created when the offer is accepted, with the 入职通知; documents must be images or
PDFs the candidate sent; HR verifies each; arrival waits for a complete checklist and the start date."""
import datetime as dt

import pytest

from app.conversation.models import Message
from app.core import pipeline
from app.core.errors import AppError
from app.process import checklists, onboarding
from app.process.models import Offer, OfferStatus
from tests.conversation.helpers import pdf_bytes, upload
from tests.process.helpers import at_second_round
from tests.support.wecom import run_fast_worker


def _code(func):
    with pytest.raises(AppError) as info:
        func()
    return info.value.code


def _onboarding(job):
    """An application whose accepted offer starts in ten days, moved to onboarding: (application, token, start)."""
    application, token = at_second_round(job)
    for stage in ("background_check", "offer_sent"):
        pipeline.advance_stage(application.id, stage, actor="hr_lina", source="web")
    start = dt.date.today() + dt.timedelta(days=10)
    Offer.create(application=application.id, position="后端开发工程师", salary=25000, start_date=start,
                 place="上海", probation_months=3, expires_on=start - dt.timedelta(days=3), status=OfferStatus.ACCEPTED,
                 created_by="hr_lina")
    pipeline.advance_stage(application.id, "onboarding", actor="candidate", source="web")
    return application, token, start


def test_checklist_rules_and_arrival(app, client, demo_job, redis_conn):
    application, token, start = _onboarding(demo_job)
    run_fast_worker(redis_conn)
    items = {i.key: i for i in onboarding.items_of(application.id)}
    assert list(items) == [key for key, _, _ in checklists.CHECKLIST]
    assert Message.select().where(Message.body.contains("入职通知")).count() == 1
    run_fast_worker(redis_conn)
    assert len(onboarding.items_of(application.id)) == len(checklists.CHECKLIST)  # once

    docx = upload(client, token, "身份证.docx", _docx_bytes(), purpose="hr_document").get_json()["attachment"]["id"]
    pdf = upload(client, token, "证件.pdf", pdf_bytes(), purpose="hr_document").get_json()["attachment"]["id"]
    assert _code(lambda: onboarding.submit_item(application.id, items["id_card"].id, "", docx)) == "wrong_file_type"
    assert _code(lambda: onboarding.submit_item(application.id, items["id_card"].id, "", None)) == "file_required"
    assert _code(lambda: onboarding.submit_item(application.id, items["details"].id, "无")) == "details_required"
    assert _code(lambda: onboarding.confirm_arrival(application.id, "hr_lina", "liming", on=start)) == \
        "checklist_incomplete"
    for key, _, _ in checklists.CHECKLIST:
        onboarding.submit_item(application.id, items[key].id, "紧急联系人 李华 13900000000", pdf)
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


def _docx_bytes():
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def test_a_refused_arrival_keeps_the_account_typed(app, client, demo_job, redis_conn):
    """确认已到岗 before the start date is refused, saying why, and the new member's account HR typed stays in the
    field for the day it can be confirmed."""
    from tests.support.reports import sign_in_as
    application, _, _ = _onboarding(demo_job)
    sign_in_as(client, "hr_lina", "李娜")
    page = client.post(f"/m/applications/{application.id}/arrival", data={"employee_userid": "liming"},
                       follow_redirects=True).get_data(as_text=True)
    assert "之前不能确认到岗" in page
    assert '<input name="employee_userid" required pattern="[0-9A-Za-z_\\-@.]{1,64}" value="liming">' in page

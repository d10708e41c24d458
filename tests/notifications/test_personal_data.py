"""The candidate's export shows their notices and SMS consent; the deletion removes notices and codes and keeps
only an opt-out (so the number is not texted again)."""
import datetime as dt

from app.core.base import utcnow
from app.core.models import Application, Candidate
from app.notifications.models import Notice, NoticeDelivery, PhoneCode, SmsConsent, State
from app.privacy import deletion, export, scope
from tests.support.app import import_job


def _candidate_with_notices(name, phone):
    job = import_job("backend-engineer.yaml")
    candidate = Candidate.create(name=name, phone=phone, email=f"{phone}@example.com")
    app_row = Application.create(candidate=candidate, job=job, stage="ai_invited")
    notice = Notice.create(application=app_row, notice_key="invitation", idempotency_key=f"invite-{phone}",
                           values={"name": name, "token": "TOKEN" + phone}, state=State.DELIVERED,
                           plan=[{"channel": "sms", "address": "+86" + phone, "via": ""}])
    NoticeDelivery.create(notice=notice, channel="sms", address="+86" + phone, state=State.DELIVERED,
                          text=f"【示例】{name}您好 TOKEN{phone}", sent_at=utcnow(), delivered_at=utcnow())
    NoticeDelivery.create(notice=notice, channel="email", address=f"{phone}@example.com", state=State.FAILED,
                          reason="收件地址被拒绝 (550)")
    PhoneCode.create(phone="+86" + phone, purpose="data_export", code_hash="0" * 64,
                     expires_at=utcnow() + dt.timedelta(minutes=5))
    SmsConsent.create(phone="+86" + phone, opted_out=False, source="staff")
    SmsConsent.create(phone="+86" + phone, opted_out=True, source="sms_reply", detail="T")
    return candidate, app_row


def test_export_and_deletion(any_db_app, redis_conn):
    mine, mine_app = _candidate_with_notices("李明", "13800001234")
    other, other_app = _candidate_with_notices("王芳", "13900005678")

    data = export.build_export(scope.whole_record(mine.id))
    sections = {s["key"]: s for s in data["applications"][0]["sections"]}
    [notice] = sections["notices"]["records"]
    assert notice["notice"] == "AI面试邀请" and notice["state"] == "已送达"
    assert [(c["channel"], c["address"], c["state"]) for c in notice["channels"]] == [
        ("短信", "138****1234", "已送达"), ("邮件", "1***@example.com", "失败")]
    assert [r["opted_out"] for r in sections["sms_consent"]["records"]] == ["否(恢复接收)", "是"]
    assert "TOKEN" not in repr(data)  # the link token is not handed out again

    request = deletion.confirm(deletion.request_deletion(mine.id, "candidate").id, "hr_lina")
    summary = deletion.execute_deletion(request.id)
    assert (summary["notices"], summary["phone_codes"], summary["sms_consent_opt_ins"]) == (1, 1, 1)
    assert not Notice.select().where(Notice.application == mine_app.id).exists()
    assert not NoticeDelivery.select().where(NoticeDelivery.address.contains("13800001234")).exists()
    assert not PhoneCode.select().where(PhoneCode.phone == "+8613800001234").exists()
    assert [r.opted_out for r in SmsConsent.select().where(SmsConsent.phone == "+8613800001234")] == [True]
    # The other candidate keeps everything.
    assert Notice.select().where(Notice.application == other_app.id).count() == 1
    assert SmsConsent.select().where(SmsConsent.phone == "+8613900005678").count() == 2

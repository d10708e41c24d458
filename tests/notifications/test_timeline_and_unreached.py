"""Phase 2: the staff application page lists each notice with its channels and states, and HR gets one WeCom
message (through the sandbox) when an invitation reached the candidate on no channel within
NOTICE_UNREACHED_HOURS. SQLite and PostgreSQL, a real RQ worker, the sandbox over HTTP."""
import datetime as dt

from app.core.base import utcnow
from app.core.models import Application, Candidate
from app.notifications import receipts, unreached
from app.notifications.models import Notice, State
from tests.support.app import import_job
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker


def hr_messages(box):
    return [str(m["body"]) for m in box.api("get", "/sandbox/api/messages/hr_lina")["messages"]]


def test_a_failed_invitation_shows_on_the_timeline_and_hr_is_told_once(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    client.post("/admin/invite", data={"job_id": job.id, "name": "孙悦", "phone": "13800000000"})  # receipt: FAIL
    row = Application.get(Application.candidate == Candidate.get(Candidate.phone == "13800000000"))
    run_fast_worker(redis_conn)
    page = client.get(f"/m/applications/{row.id}").get_data(as_text=True)
    assert 'data-testid="candidate-notices"' in page and "AI面试邀请" in page and "短信 发送中" in page

    assert receipts.pull()["receipts"] >= 1
    run_fast_worker(redis_conn)
    notice = Notice.get(Notice.application == row.id)
    assert notice.state == State.FAILED
    page = client.get(f"/m/applications/{row.id}").get_data(as_text=True)
    assert "失败:所有渠道均未送达,仅状态页可见" in page and "短信 失败:短信未送达" in page

    assert unreached.tell_hr(utcnow()) == []                       # not yet 24 hours
    later = utcnow() + dt.timedelta(hours=25)
    assert unreached.tell_hr(later) == [notice.id]
    assert unreached.tell_hr(later) == []                          # once
    [told] = [m for m in hr_messages(box) if "未送达候选人" in m]
    assert "孙悦" in told and "AI面试邀请" in told and "短信 失败" in told and f"/m/applications/{row.id}" in told


def test_a_delivered_or_closed_notice_is_not_reported(notify_env, redis_conn):
    app, box, mailbox = notify_env
    job = import_job("backend-engineer.yaml")
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    Candidate.create(name="周杰", phone="+442079460000", email="zhoujie@example.com")
    client.post("/admin/invite", data={"job_id": job.id, "name": "周杰", "phone": "+44 20 7946 0000"})  # email only
    client.post("/admin/invite", data={"job_id": job.id, "name": "吴磊", "phone": "13800009999"})
    run_fast_worker(redis_conn)
    closed = Application.get(Application.candidate == Candidate.get(Candidate.phone == "13800009999"))
    Application.update(stage="withdrawn").where(Application.id == closed.id).execute()
    states = {n.application_id: n.state for n in Notice.select()}
    assert State.DELIVERED in states.values() and len(mailbox.messages) == 1
    assert unreached.tell_hr(utcnow() + dt.timedelta(hours=25)) == []


def test_a_held_invitation_is_cancelled_on_the_timeline_once_the_interview_is_done(notify_env, redis_conn):
    """Invited at night, the candidate did the interview from the status page before 08:00: HR's timeline still
    showed the invitation 「等待发送:夜间免打扰…」 until the hold ended (the send-time check cancelled it then). The
    stage change itself now cancels it, with the reason, and its held SMS with it; an interview only started keeps it
    (the link still helps)."""
    from app.core.extensions import settings
    from app.core.pipeline import advance_stage
    app, box, _ = notify_env
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    settings["SMS_QUIET_HOURS"] = f"{now - dt.timedelta(hours=1):%H:%M}-{now + dt.timedelta(hours=2):%H:%M}"
    job = import_job("backend-engineer.yaml")
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    for name, phone in (("李明", "13800001234"), ("王芳", "13700002222")):
        client.post("/admin/invite", data={"job_id": job.id, "name": name, "phone": phone})
    done, started = (Application.get(Application.candidate == Candidate.get(Candidate.phone == phone))
                     for phone in ("13800001234", "13700002222"))
    run_fast_worker(redis_conn)
    assert {n.state for n in Notice.select()} == {State.HELD}
    page = client.get(f"/m/applications/{done.id}").get_data(as_text=True)
    assert "等待发送:夜间免打扰" in page

    for stage in ("ai_in_progress", "ai_completed"):
        advance_stage(done.id, stage, actor="candidate", source="system")
    advance_stage(started.id, "ai_in_progress", actor="candidate", source="system")
    run_fast_worker(redis_conn)
    cancelled = Notice.get(Notice.application == done.id)
    assert cancelled.state == State.CANCELLED and "面试已完成" in cancelled.reason
    assert Notice.get(Notice.application == started.id).state == State.HELD
    page = client.get(f"/m/applications/{done.id}").get_data(as_text=True)
    said = page.split('data-testid="candidate-notices"')[1].split("</ul>")[0]
    assert "已取消:面试已完成或已进入下一步(AI面试已完成),未发送" in said
    assert "等待发送" not in said and "短信 已取消" in said
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []

"""Offer approvals through the WeCom sandbox with real crypto (issue 20, item 10): an approval revoked after it
passed is told to HR and the managers and shown on the application; an approval callback handled before its row
is committed is retried instead of being dropped as "not ours"."""
import datetime as dt

from app.core import sweeps
from app.core.models import Application, EventStatus, WeComEvent
from app.process import offers
from app.process.models import Approval, ProcessEvent
from tests.conversation.helpers import work_until_events_handled
from tests.process.helpers import offer_awaiting_approval
from tests.support.reports import sign_in_as
from tests.support.wecom import release_scheduled, run_fast_worker
from wecom_callbacks import handlers as wecom_events


def approval_event(sp_no, status):
    """The stored sys_approval_change of `sp_no` at SpStatus `status`."""
    rows = [e for e in WeComEvent.select().where(WeComEvent.event_type == "sys_approval_change")
            if e.payload["approval"]["sp_no"] == sp_no and e.payload["approval"]["sp_status"] == status]
    assert len(rows) == 1, rows
    return rows[0]


def approve(box, sp_no, redis_conn):
    res = box.api("post", f"/sandbox/api/approvals/{sp_no}", json={"userid": "zhangwei", "action": "approve"})
    assert [d["status"] for d in box.wait_deliveries(res["deliveries"])] == ["delivered"]
    work_until_events_handled(redis_conn)
    run_fast_worker(redis_conn)  # the stage's follow-ups


def test_an_approval_revoked_after_the_candidate_accepted_is_told_and_shown(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, token, offer = offer_awaiting_approval(backend_job)
    work_until_events_handled(redis_conn)
    approve(box, offer.sp_no, redis_conn)
    assert Application.get_by_id(application.id).stage == "offer_sent"
    offers.answer(application.id, True, "李明")
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "onboarding"
    before = {u: len(box.messages(u)) for u in ("hr_lina", "zhangwei")}

    # 通过后撤销: the approval is withdrawn in WeCom after it passed (SpStatus 6).
    res = box.api("post", f"/sandbox/api/approvals/{offer.sp_no}/revoke", json={"userid": "hr_lina"})
    assert res["approval"]["status"] == 6
    assert [d["status"] for d in box.wait_deliveries(res["deliveries"])] == ["delivered"]
    work_until_events_handled(redis_conn)
    run_fast_worker(redis_conn)

    event = approval_event(offer.sp_no, 6)
    assert event.status == EventStatus.HANDLED, (event.status, event.result)
    assert Approval.get(Approval.sp_no == offer.sp_no).sp_status == 6
    assert Application.get_by_id(application.id).stage == "onboarding"  # a person decides what happens now
    for userid in ("hr_lina", "zhangwei"):
        new = box.messages(userid)[before[userid]:]
        assert len(new) == 1, (userid, new)
        text = new[0]["body"]["content"]
        assert "撤销" in text and offer.sp_no in text and "已接受" in text, text
        assert f"/m/applications/{application.id}" in text
    assert ProcessEvent.select().where((ProcessEvent.application == application.id)
                                       & (ProcessEvent.kind == "approval_revoked")).count() == 1

    # WeCom delivers it again: nothing is told twice.
    WeComEvent.update(status=EventStatus.RECEIVED).where(WeComEvent.id == event.id).execute()
    wecom_events.handle_event(event.id)
    run_fast_worker(redis_conn)
    assert len(box.messages("hr_lina")) == before["hr_lina"] + 1

    # HR sees it on the application page.
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "录用审批已撤销" in page and offer.sp_no in page


def test_an_approval_callback_before_its_row_is_committed_is_retried(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, token, offer = offer_awaiting_approval(backend_job)
    work_until_events_handled(redis_conn)
    # The Approval row is not there yet (the transaction that writes it has not committed) when WeCom's
    # callback is handled: the row is taken out, and put back after the first run of the handler.
    row = Approval.get(Approval.sp_no == offer.sp_no)
    saved = dict(row.__data__)
    row.delete_instance()
    res = box.api("post", f"/sandbox/api/approvals/{offer.sp_no}", json={"userid": "zhangwei", "action": "approve"})
    box.wait_deliveries(res["deliveries"])
    run_fast_worker(redis_conn)
    event = approval_event(offer.sp_no, 2)
    assert event.status == EventStatus.RECEIVED, (event.status, event.result)   # not dropped as "not ours"
    assert Application.get_by_id(application.id).stage == "offer_approval"

    Approval.insert(**saved).execute()   # the commit lands
    release_scheduled(redis_conn)        # the job's retry, now instead of after its backoff
    run_fast_worker(redis_conn)
    assert WeComEvent.get_by_id(event.id).status == EventStatus.HANDLED
    assert Application.get_by_id(application.id).stage == "offer_sent"


def test_unknown_approvals_are_ignored_at_once_or_after_a_bounded_wait(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    token = box.api("get", "/cgi-bin/gettoken", params={"corpid": app.config["WECOM_CORP_ID"],
                                                        "corpsecret": app.config["WECOM_SECRET"]})["access_token"]

    def apply(template_id):
        body = {"creator_userid": "hr_lina", "template_id": template_id, "use_template_approver": 1,
                "apply_data": {"contents": [{"control": "Text", "id": "Text-1", "value": {"text": "请假"}}]}}
        sp_no = box.api("post", "/cgi-bin/oa/applyevent", params={"access_token": token}, json=body)["sp_no"]
        box.wait_deliveries([d["id"] for d in box.api("get", "/sandbox/api/deliveries")["deliveries"]])
        return sp_no

    leave = apply("leave-template")            # another app's approval: not ours, at once
    work_until_events_handled(redis_conn)
    assert approval_event(leave, 1).status == EventStatus.IGNORED

    ours = apply(app.config["WECOM_OFFER_TEMPLATE_ID"])   # our template, but never stored by us
    run_fast_worker(redis_conn)
    while release_scheduled(redis_conn):                  # the job's retries, at once
        run_fast_worker(redis_conn)
    event = approval_event(ours, 1)
    assert event.status == EventStatus.RECEIVED and "not stored" in event.result, event.result
    # Retried for a bounded time only: once the wait is over the sweep's retry ignores it.
    WeComEvent.update(created_at=event.created_at - dt.timedelta(hours=1)).where(WeComEvent.id == event.id).execute()
    sweeps.resume_unfinished()
    run_fast_worker(redis_conn)
    event = WeComEvent.get_by_id(event.id)
    assert event.status == EventStatus.IGNORED and "not ours" in event.result


def _post_approval(app_url, app, sp_no, status, change_event, create_time):
    """WeCom's sys_approval_change for `sp_no` at SpStatus `status`, posted to the app as WeCom would (signed)."""
    import requests

    from tests.support.wecom import CORP
    from wecom_sandbox.delivery import approval_event_xml, encrypt
    cfg = {"corp_id": CORP["WECOM_CORP_ID"], "token": CORP["WECOM_TOKEN"], "aes_key": CORP["WECOM_AES_KEY"],
           "agent_id": CORP["WECOM_AGENT_ID"]}
    approval = {"sp_no": sp_no, "status": status, "template_id": app.config["WECOM_OFFER_TEMPLATE_ID"],
                "created_at": create_time - 60, "creator": "hr_lina", "cc": [],
                "records": [{"status": 2 if status in (2, 6) else status, "userid": "zhangwei"}]}
    query, body = encrypt(cfg, approval_event_xml(cfg, approval, change_event, create_time))
    res = requests.post(f"{app_url}/wecom/callback?{query}", data=body.encode(), timeout=10)
    assert res.status_code == 200, res.text


def test_approval_events_out_of_order_leave_the_latest_state(wecom_env, backend_job, redis_conn):
    import time
    app, app_url, box = wecom_env
    application, token, offer = offer_awaiting_approval(backend_job)
    work_until_events_handled(redis_conn)
    now = int(time.time())
    # Passed, then revoked after passing; WeCom delivers the revocation first.
    _post_approval(app_url, app, offer.sp_no, 6, 8, now + 2)
    _post_approval(app_url, app, offer.sp_no, 2, 2, now + 1)
    work_until_events_handled(redis_conn)
    run_fast_worker(redis_conn)

    assert Approval.get(Approval.sp_no == offer.sp_no).sp_status == 6          # not overwritten by the older 2
    assert Application.get_by_id(application.id).stage == "on_hold"            # the offer never went out
    assert offers.offer_of(application.id).status == "rejected"
    late = approval_event(offer.sp_no, 2)
    assert late.status == EventStatus.IGNORED and "stale" in late.result, late.result


def test_a_later_event_repeating_a_passed_approval_changes_nothing(wecom_env, backend_job, redis_conn):
    import time
    app, app_url, box = wecom_env
    application, token, offer = offer_awaiting_approval(backend_job)
    work_until_events_handled(redis_conn)
    approve(box, offer.sp_no, redis_conn)
    offers.answer(application.id, True, "李明")
    run_fast_worker(redis_conn)
    # A comment on the passed approval (StatuChangeEvent 10) fires the event again with SpStatus 2.
    _post_approval(app_url, app, offer.sp_no, 2, 10, int(time.time()) + 5)
    work_until_events_handled(redis_conn)
    events = [e for e in WeComEvent.select().where(WeComEvent.event_type == "sys_approval_change")
              if e.payload["approval"]["change_event"] == 10]
    assert [e.status for e in events] == [EventStatus.HANDLED], [(e.status, e.result) for e in events]
    assert Application.get_by_id(application.id).stage == "onboarding"

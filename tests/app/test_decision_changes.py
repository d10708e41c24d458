"""Changing a decision: with a reason, by HR any time or by the deciding manager for a while, audited, everyone told;
淘汰 from a page needs its confirmation."""
import datetime as dt

import pytest
from rq import Queue

from app.core import pipeline
from app.core.base import utcnow
from app.core.errors import BadRequest, Forbidden
from app.core.models import Application, StaffUser, StageEvent
from app.core.queues import FAST
from app.interview import decision_changes, decisions
from app.interview.decisions import NOTIFY_HR
from app.interview.models import CardMessage
from tests.support.reports import sign_in_as


def _decided(report, decision, actor="zhangwei"):
    application_id = report.interview.application_id
    decisions.decide(application_id, decision, actor, "web")
    return Application.get_by_id(application_id)


def test_the_deciding_manager_may_change_with_a_reason_and_hr_and_managers_are_told(app, report, redis_conn):
    application = _decided(report, "second_round")
    with pytest.raises(BadRequest):
        decision_changes.change_decision(application.id, "rejected", "zhangwei", "")  # no reason
    Queue(FAST, connection=redis_conn).empty()
    event = decision_changes.change_decision(application.id, "rejected", "zhangwei", "复核录像后发现岗位匹配度不足")
    assert Application.get_by_id(application.id).stage == "rejected"
    assert (event.from_stage, event.to_stage, event.actor, event.source) == ("second_round", "rejected", "zhangwei",
                                                                             "web")
    assert event.reason == "更改决定（原为「进入复试」）：复核录像后发现岗位匹配度不足"
    assert NOTIFY_HR.func in [j.func_name for j in Queue(FAST, connection=redis_conn).get_jobs()]


def test_after_the_window_only_hr_may_change_and_hr_can_reopen_a_rejection(app, report):
    application = _decided(report, "rejected")
    StageEvent.update(created_at=utcnow() - dt.timedelta(hours=2)).execute()
    with pytest.raises(Forbidden) as info:
        decision_changes.change_decision(application.id, "second_round", "zhangwei", "再看一次")
    assert info.value.code == "change_not_allowed"
    StaffUser.create(userid="hr01", is_hr=True)
    decision_changes.change_decision(application.id, "on_hold", "hr01", "候选人补充了项目材料，重新评估")
    assert Application.get_by_id(application.id).stage == "on_hold"
    # Now it is undecided again: the normal decision buttons are back, and no "change" is offered.
    assert decision_changes.change_options(Application.get_by_id(application.id), StaffUser.get(userid="hr01")) == []


def test_nothing_to_change_once_the_process_moved_on(app, report):
    application = _decided(report, "second_round")
    pipeline.advance_stage(application.id, "background_check", actor="hr01", source="web")
    with pytest.raises(pipeline.IllegalTransition):
        decision_changes.change_decision(application.id, "rejected", "zhangwei", "理由")


def test_the_card_row_and_both_pages_show_the_new_decision(client, report):
    application = _decided(report, "second_round")
    CardMessage.create(card_key=f"ai-result-{application.id}", task_id=f"ai-result-{application.id}",
                       application=application, kind="result",
                       userids=["zhangwei"], card={}, status="updated", decision="second_round",
                       decided_by="zhangwei", response_code_used=True)
    sign_in_as(client, "zhangwei", "张伟")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "更改决定" in page and "确认更改" in page
    res = client.post(f"/m/reports/{report.id}/change-decision",
                      data={"decision": "on_hold", "reason": "等候选人补材料"})
    assert res.status_code == 302
    assert CardMessage.get().decision == "on_hold" and CardMessage.get().decided_by_name == "张伟"
    assert Application.get_by_id(application.id).stage == "on_hold"
    html = client.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "更改决定" not in html and 'value="rejected"' in html  # undecided again: the decision buttons


def test_reject_from_a_page_needs_the_confirmation_and_keeps_the_reason(client, report):
    application_id = report.interview.application_id
    sign_in_as(client, "zhangwei")
    client.post(f"/m/reports/{report.id}/decide", data={"decision": "rejected"})
    assert Application.get_by_id(application_id).stage == "ai_scored"  # one tap rejects nothing
    client.post(f"/m/reports/{report.id}/decide", data={"decision": "rejected", "confirm": "1",
                                                         "reason": "沟通表达不清"})
    assert Application.get_by_id(application_id).stage == "rejected"
    assert pipeline.history(application_id)[-1].reason == "已淘汰：沟通表达不清"

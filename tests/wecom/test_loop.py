"""The whole loop over real HTTP: the app sends a card -> the sandbox phone taps -> encrypted callback to the
app server -> handler on a real RQ worker -> transition -> card updated in the sandbox."""
import re

from app.core.models import Application, StageEvent, WeComEvent
from app.interview import decisions, result_cards
from app.interview.models import CardMessage
from app.process import offers
from tests.support.app import import_job
from tests.support.reports import sign_in_as
from tests.support.wecom import release_scheduled, result_report_id, run_fast_worker, scored_application


def _send_card(backend_job):
    application = scored_application(backend_job)
    card = result_cards.push_result_card(result_report_id(application))
    return application, card


def test_tap_moves_the_pipeline_and_greys_the_card(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    assert card.status == "sent" and card.card_key == f"ai-result-{application.id}"
    assert card.task_id.startswith(f"ai-result-{application.id}-") and card.card["task_id"] == card.task_id
    seen = box.card(card.task_id, "zhangwei")
    assert [b["text"] for b in seen["card"]["button_list"]] == ["进入复试", "待定", "淘汰"]
    assert seen["card"]["horizontal_content_list"][0] == {"keyname": "总分", "value": "82.5 良好"}

    status, body = box.tap("zhangwei", card.task_id, f"d:{application.id}:second_round")
    assert status == 200
    rows = box.wait_deliveries(body["deliveries"])
    assert [r["status"] for r in rows] == ["delivered"] and rows[0]["attempts"] == 1
    assert Application.get_by_id(application.id).stage == "ai_scored"  # the callback only stored it

    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "second_round"
    event = StageEvent.select().where(StageEvent.application == application.id).order_by(StageEvent.id.desc()).get()
    assert (event.to_stage, event.source, event.actor) == ("second_round", "card", "zhangwei")
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已进入复试 · 张伟"
    assert CardMessage.get_by_id(card.id).status == "updated"
    hr = box.messages("hr_lina")
    assert len(hr) == 1 and "李明" in hr[0]["body"]["content"] and "进入复试" in hr[0]["body"]["content"]
    # A greyed-out card cannot be tapped again on the phone.
    status, _ = box.tap("zhangwei", card.task_id, f"d:{application.id}:rejected")
    assert status == 409


def test_the_same_tap_delivered_three_times_changes_things_once(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    _, body = box.tap("zhangwei", card.task_id, f"d:{application.id}:on_hold", copies=3)
    rows = box.wait_deliveries(body["deliveries"])
    assert [r["status"] for r in rows] == ["delivered"] * 3

    run_fast_worker(redis_conn)

    assert WeComEvent.select().count() == 1
    moves = StageEvent.select().where((StageEvent.application == application.id) & (StageEvent.source == "card"))
    assert [e.to_stage for e in moves] == ["on_hold"]
    assert len(box.requests_to("update_template_card")) == 1
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已设为待定 · 张伟"
    assert len(box.messages("hr_lina")) == 1


def test_the_result_card_is_sent_once_even_if_the_job_runs_twice(wecom_env, backend_job):
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    again = result_cards.push_result_card(result_report_id(application))
    assert again.id == card.id
    assert len(box.requests_to("message/send")) == 1 and len(box.messages("zhangwei")) == 1


def test_rate_limited_card_update_backs_off_and_succeeds_later(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    box.arm("45009", count=1, endpoint="message/update_template_card")
    _, body = box.tap("zhangwei", card.task_id, f"d:{application.id}:rejected")
    box.wait_deliveries(body["deliveries"])

    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "rejected"
    assert box.card(card.task_id, "zhangwei")["replace_name"] is None  # refused with 45009 ...
    assert release_scheduled(redis_conn) == [f"card-update-{card.id}-rejected"]  # ... so RQ scheduled a retry

    run_fast_worker(redis_conn)
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已淘汰 · 张伟"
    assert [r["errcode"] for r in box.requests_to("update_template_card")] == [45009, 0]


def test_a_manager_of_another_job_cannot_decide_by_card(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    sales = import_job("sales-representative.yaml")
    assert "wangfang" in sales.manager_userids and "wangfang" not in backend_job.manager_userids
    application = scored_application(backend_job)
    # wangfang manages only the sales job; a card for a backend application reaches her anyway.
    card = result_cards.send_test_card(application.id, "wangfang")
    _, body = box.tap("wangfang", card.task_id, f"d:{application.id}:second_round")
    box.wait_deliveries(body["deliveries"])

    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "ai_scored"
    event = WeComEvent.get()
    assert event.status == "refused" and "not_job_manager" in event.result
    # only her own card greys out, saying she may not decide (tests/wecom/test_refused_taps.py)
    (update,) = box.requests_to("update_template_card")
    assert box.card(card.task_id, "wangfang")["replace_name"] == "无权决定"


def test_offer_approval_passes_then_offer_sent(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    for stage in ("second_round", "background_check"):
        decisions.pipeline.advance_stage(application.id, stage, actor="hr_lina", source="web")
    approval = offers.start_offer_approval(application.id, "hr_lina", "月薪25k")
    assert Application.get_by_id(application.id).stage == "offer_approval"
    res = box.api("post", f"/sandbox/api/approvals/{approval.sp_no}", json={"userid": "zhangwei",
                                                                             "action": "approve"})
    box.wait_deliveries(res["deliveries"])
    box.wait_deliveries([d["id"] for d in box.api("get", "/sandbox/api/deliveries")["deliveries"]])

    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "offer_sent"
    last = StageEvent.select().where(StageEvent.application == application.id).order_by(StageEvent.id.desc()).get()
    assert (last.source, last.actor) == ("approval", "zhangwei")
    assert WeComEvent.select().where(WeComEvent.event_type == "sys_approval_change").count() == 2
    client = app.test_client()
    sign_in_as(client, "hr_lina", "李娜")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert f"录用审批 {approval.sp_no} · 已通过" in page


def test_rejected_offer_goes_back_to_hr(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    for stage in ("second_round", "background_check"):
        decisions.pipeline.advance_stage(application.id, stage, actor="hr_lina", source="web")
    approval = offers.start_offer_approval(application.id, "hr_lina", "")
    res = box.api("post", f"/sandbox/api/approvals/{approval.sp_no}", json={"userid": "zhangwei",
                                                                             "action": "reject"})
    box.wait_deliveries(res["deliveries"])
    box.wait_deliveries([d["id"] for d in box.api("get", "/sandbox/api/deliveries")["deliveries"]])
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "on_hold"


def test_a_web_decision_greys_the_card_with_the_send_response_code(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    decisions.decide(application.id, "rejected", "hr_lina", "web")
    run_fast_worker(redis_conn)
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已淘汰 · 李娜"
    assert CardMessage.get_by_id(card.id).response_code_used
    client = app.test_client()
    sign_in_as(client, "hr_lina", "李娜")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    # the card's state as HR reads it: which card, to whom, its state and who decided; its WeCom task id only in a
    # tooltip (a code for support, not for HR)
    assert "AI面试结果卡片 · 发给 张伟 · 已更新 · 李娜" in page and f'title="task_id {card.task_id}"' in page
    assert f"卡片 {card.task_id}" not in page


def test_a_card_sent_by_the_sandbox_cli_is_decided_and_greyed(wecom_env, backend_job, redis_conn, monkeypatch,
                                                                capsys):
    from wecom_sandbox.__main__ import main as sandbox_cli
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    for name in ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AGENT_ID"):
        monkeypatch.delenv(name, raising=False)  # the CLI reads the sandbox defaults
    for _ in range(2):  # a second run gets a task id of its own (a used one is refused with 40058)
        assert sandbox_cli(["send-test-card", "--sandbox", box.url, "--to", "zhangwei",
                            "--application", str(application.id)]) == 0
    task_ids = re.findall(r"^task_id: (\S+)$", capsys.readouterr().out, re.M)
    assert len(set(task_ids)) == 2
    task_id = task_ids[-1]
    _, body = box.tap("zhangwei", task_id, f"d:{application.id}:second_round")
    box.wait_deliveries(body["deliveries"])
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "second_round"
    assert box.card(task_id, "zhangwei")["replace_name"] == "已进入复试 · 张伟"


def test_a_changed_decision_is_told_to_hr_and_the_managers(wecom_env, backend_job, redis_conn):
    from app.interview import decision_changes
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    _, body = box.tap("zhangwei", card.task_id, f"d:{application.id}:second_round")
    box.wait_deliveries(body["deliveries"])
    run_fast_worker(redis_conn)
    decision_changes.change_decision(application.id, "rejected", "hr_lina", "背景信息与简历不符")
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "rejected"
    told = box.messages("zhangwei")[-1]["body"]["content"]
    assert "将决定从「进入复试」改为「淘汰」" in told and "背景信息与简历不符" in told
    assert CardMessage.get_by_id(card.id).decision == "rejected"  # the pages read the new decision


def test_a_second_interview_after_a_hold_sends_a_new_result_card(wecom_env, backend_job, redis_conn):
    import datetime as dt

    from app.core.base import utcnow
    from app.core.pipeline import advance_stage
    from app.interview.models import Interview, Report
    app, app_url, box = wecom_env
    application, card = _send_card(backend_job)
    _, body = box.tap("zhangwei", card.task_id, f"d:{application.id}:on_hold")
    box.wait_deliveries(body["deliveries"])
    run_fast_worker(redis_conn)
    # HR invites the candidate to the AI interview again; the new report goes out as a new card.
    for stage in ("ai_invited", "ai_in_progress", "ai_completed"):
        advance_stage(application.id, stage, actor="hr_lina", source="web")
    interview = Interview.create(application=application, token_hash="f" * 64, status="completed",
                                 expires_at=utcnow() + dt.timedelta(days=1))
    report = Report.create(interview=interview, total=91.0, dimensions={}, flags=[], model_version="t")
    advance_stage(application.id, "ai_scored", actor="system", source="system")
    run_fast_worker(redis_conn)

    cards = box.messages("zhangwei")
    sent = [m for m in cards if m.get("msgtype") == "template_card"]
    assert len(sent) == 2, cards
    new = result_cards.card_of(result_cards.result_card_key(application.id))
    assert new.id != card.id and new.status == "sent" and f"/m/reports/{report.id}" in str(new.card)
    seen = box.card(new.task_id, "zhangwei")
    assert seen["replace_name"] is None and seen["card"]["horizontal_content_list"][0]["value"].startswith("91")
    assert Report.select().count() == 2
    # the new card decides; the old one stays as it was (待定)
    _, body = box.tap("zhangwei", new.task_id, f"d:{application.id}:second_round")
    box.wait_deliveries(body["deliveries"])
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application.id).stage == "second_round"
    assert box.card(new.task_id, "zhangwei")["replace_name"] == "已进入复试 · 张伟"
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已设为待定 · 张伟"

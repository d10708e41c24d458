"""A card tap the app must refuse (the application was decided elsewhere, withdrawn, or the member may not decide),
over real HTTP against the sandbox: the application keeps its state, the tapping member's card greys out showing
where things stand, and that member is told who decided what and when (local time). Nobody else hears of it."""
from app.core import pipeline
from app.core.localtime import local_time
from app.core.models import Application, EventStatus, StageEvent, WeComEvent
from app.interview import decisions, result_cards
from tests.support.app import import_job
from tests.support.wecom import (
    markdown_texts,
    pushed_result_card,
    run_fast_worker,
    scored_application,
    tap_stored,
)


def test_two_managers_tap_on_two_phones_the_second_is_told_who_decided(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job, ("zhangwei", "wangfang"))
    tap_stored(box, "zhangwei", card.task_id, f"d:{application.id}:rejected")
    tap_stored(box, "wangfang", card.task_id, f"d:{application.id}:second_round")
    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "rejected"
    assert [e.status for e in WeComEvent.select().order_by(WeComEvent.id)] == [EventStatus.HANDLED,
                                                                                EventStatus.REFUSED]
    decided = StageEvent.get((StageEvent.application == application.id) & (StageEvent.to_stage == "rejected"))
    for userid in ("zhangwei", "wangfang"):
        assert box.card(card.task_id, userid)["replace_name"] == "已淘汰 · 张伟"
    (told,) = markdown_texts(box, "wangfang")
    assert "张伟" in told and "淘汰" in told and local_time(decided.created_at) in told and "进入复试" in told
    assert markdown_texts(box, "zhangwei") == []                       # the decider is not told of the other tap
    assert len(markdown_texts(box, "hr_lina")) == 1                    # HR: the one decision, once


def test_a_tap_after_hr_decided_on_the_page_greys_that_card_and_says_so(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job)
    tap_stored(box, "zhangwei", card.task_id, f"d:{application.id}:second_round")
    decisions.decide(application.id, "on_hold", "hr_lina", "web")   # HR on the page, while the tap was in flight
    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "on_hold"  # the tap did not move it on
    assert WeComEvent.get().status == EventStatus.REFUSED
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已设为待定 · 李娜"
    (told,) = markdown_texts(box, "zhangwei")
    assert "李娜" in told and "待定" in told and "网页" in told


def test_the_card_greys_out_when_the_candidate_withdraws_before_anyone_decided(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job)
    pipeline.advance_stage(application.id, "withdrawn", actor="candidate", source="web", reason="候选人撤回")
    run_fast_worker(redis_conn)

    assert box.card(card.task_id, "zhangwei")["replace_name"] == "候选人撤回"   # without anyone tapping
    status, _ = box.tap("zhangwei", card.task_id, f"d:{application.id}:second_round")
    assert status == 409                                                        # no longer tappable
    assert WeComEvent.select().count() == 0 and markdown_texts(box, "zhangwei") == []


def test_a_tap_after_hr_rejected_in_the_workbench_is_answered(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job)
    pipeline.advance_stage(application.id, "rejected", actor="hr_lina", source="workbench", reason="批量淘汰")
    run_fast_worker(redis_conn)
    tap_stored(box, "zhangwei", card.task_id, f"d:{application.id}:second_round")
    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "rejected"
    assert WeComEvent.get().status == EventStatus.REFUSED
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已淘汰 · 李娜"
    (told,) = markdown_texts(box, "zhangwei")
    assert "李娜" in told and "淘汰" in told and "筛选工作台" in told and "未生效" in told


def test_a_member_who_is_not_the_jobs_manager_is_refused_on_their_own_card(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    import_job("sales-representative.yaml")
    application = scored_application(backend_job)
    card = result_cards.send_test_card(application.id, "wangfang")   # a card reached her (she left the job)
    tap_stored(box, "wangfang", card.task_id, f"d:{application.id}:second_round")
    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "ai_scored"
    assert box.card(card.task_id, "wangfang")["replace_name"] == "无权决定"
    (told,) = markdown_texts(box, "wangfang")
    assert "用人经理" in told and "未生效" in told
    assert markdown_texts(box, "hr_lina") == [] and markdown_texts(box, "zhangwei") == []


def test_a_greyed_button_with_no_room_for_the_name_leaves_the_name_out_not_half_a_separator(
        wecom_env, backend_job, redis_conn):
    """WeCom shows 10 characters on a greyed button: 「已邀请AI面试 · 李娜」 was cut to 「已邀请AI面试 · 」, a dangling
    separator (HR's test card tapped before the candidate's interview)."""
    from app.interview.invitations import invite_candidate
    app, app_url, box = wecom_env
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234", actor="hr_lina", source="web")
    card = result_cards.send_test_card(interview.application_id, "zhangwei")
    tap_stored(box, "zhangwei", card.task_id, f"d:{interview.application_id}:on_hold")
    run_fast_worker(redis_conn)

    assert Application.get_by_id(interview.application_id).stage == "ai_invited"
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "已邀请AI面试"
    (told,) = markdown_texts(box, "zhangwei")
    assert "李娜" in told and "已邀请AI面试" in told and "未生效" in told
    assert result_cards.replace_name("second_round", "欧阳娜娜娜") == "已进入复试 · 欧阳"   # a long name is cut

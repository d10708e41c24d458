"""The second-round decision with one tap on a WeCom card, over real HTTP against the sandbox with a real RQ
worker: once every scorecard is in the job's manager gets a card with the panel's recommendations; a tap decides
as the page does and greys the card naming who decided; a member who may not decide is refused; a decision on the
page greys the card too; a card whose application moved on before the job ran is not sent."""

import datetime as dt

from app.core import sweeps
from app.core.localtime import local_time
from app.core.models import Application, Job, StageEvent, WeComEvent
from app.core.queues import FAST, get_queue
from app.interview import refused_taps, result_cards
from app.interview.models import CardMessage
from app.interview.result_cards import task_id_of
from app.process import round_decisions, scorecards
from app.process.models import ProcessEvent
from tests.process.helpers import all_scorecards_in
from tests.support.wecom import markdown_texts, run_fast_worker, tap_stored


def _all_in(backend_job, redis_conn):
    return all_scorecards_in(backend_job, concerns=["表达不清"])


def _tap(box, redis_conn, userid, round_, application, key):
    status, body = box.tap(userid, task_id_of(round_decisions.card_key(round_.id)), f"r:{application.id}:{key}")
    if status == 200:
        box.wait_deliveries(body["deliveries"])
        run_fast_worker(redis_conn)
    return status


def test_the_manager_decides_the_second_round_on_the_card(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, round_ = _all_in(backend_job, redis_conn)
    run_fast_worker(redis_conn)
    seen = box.card(task_id_of(round_decisions.card_key(round_.id)), "zhangwei")
    card = seen["card"]
    assert card["main_title"]["title"] == "复试决定:李明" and card["main_title"]["desc"] == "后端开发工程师"
    assert [b["text"] for b in card["button_list"]] == ["通过", "待定", "不通过"]
    assert {"keyname": "王芳", "value": "强烈推荐"} in card["horizontal_content_list"]
    assert card["card_action"]["url"].endswith(f"/m/rounds/{round_.id}")
    assert "复试评分表已全部提交" in box.messages("hr_lina")[-1]["body"]["content"]      # HR: the message
    assert not any("复试评分表已全部提交" in m["body"].get("content", "") for m in box.messages("zhangwei")
                   if m.get("msgtype") == "markdown")                                     # the manager: the card

    assert _tap(box, redis_conn, "zhangwei", round_, application, "pass") == 200
    assert Application.get_by_id(application.id).stage == "background_check"
    event = StageEvent.select().where(StageEvent.application == application.id).order_by(StageEvent.id.desc()).get()
    assert (event.to_stage, event.source, event.actor) == ("background_check", "card", "zhangwei")
    assert box.card(task_id_of(round_decisions.card_key(round_.id)), "zhangwei")["replace_name"] == "通过 · 张伟"
    assert _tap(box, redis_conn, "zhangwei", round_, application, "reject") == 409   # greyed out on the phone


def test_a_member_who_may_not_decide_is_refused_and_the_page_greys_the_card(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, round_ = _all_in(backend_job, redis_conn)
    run_fast_worker(redis_conn)
    Job.update(manager_userids=["wangfang"]).where(Job.id == backend_job.id).execute()   # no longer his job
    assert _tap(box, redis_conn, "zhangwei", round_, application, "reject") == 200
    assert Application.get_by_id(application.id).stage == "second_round"
    assert WeComEvent.get(WeComEvent.event_type == "template_card_event").status == "refused"

    round_decisions.decide(application.id, "hold", "wangfang", "等另一位候选人面完再定")   # on the page
    run_fast_worker(redis_conn)
    assert ProcessEvent.get(ProcessEvent.kind == "round_hold").actor == "wangfang"
    assert box.card(task_id_of(round_decisions.card_key(round_.id)), "zhangwei")["replace_name"] == "待定 · 王芳"
    assert CardMessage.get(CardMessage.card_key == round_decisions.card_key(round_.id)).status == "updated"


def test_no_card_once_the_application_moved_on(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, round_ = _all_in(backend_job, redis_conn)
    round_decisions.decide(application.id, "reject", "zhangwei")                  # before the card job ran
    run_fast_worker(redis_conn)
    assert box.card(task_id_of(round_decisions.card_key(round_.id)), "zhangwei") is None
    assert not CardMessage.select().where(CardMessage.kind == "round").exists()


def test_the_sweep_sends_a_card_whose_job_was_lost(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, round_ = _all_in(backend_job, redis_conn)
    get_queue(FAST).empty()                                  # Redis lost the jobs enqueued after the commit
    assert box.card(task_id_of(round_decisions.card_key(round_.id)), "zhangwei") is None
    assert sweeps.resume_unfinished() >= 1
    run_fast_worker(redis_conn)
    assert box.card(task_id_of(round_decisions.card_key(round_.id)), "zhangwei")["card"]["button_list"]
    assert scorecards.resume_unsent_cards() == 0             # sent: nothing more to do
    [card] = CardMessage.select().where(CardMessage.kind == "round")
    assert card.status == "sent"


def test_a_round_card_tap_after_another_manager_decided_is_told(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    Job.update(manager_userids=["zhangwei", "wangfang"]).where(Job.id == backend_job.id).execute()
    application, round_ = _all_in(backend_job, redis_conn)
    run_fast_worker(redis_conn)
    task_id = task_id_of(round_decisions.card_key(round_.id))
    tap_stored(box, "zhangwei", task_id, f"r:{application.id}:pass")
    tap_stored(box, "wangfang", task_id, f"r:{application.id}:reject")
    run_fast_worker(redis_conn)

    assert Application.get_by_id(application.id).stage == "background_check"
    assert box.card(task_id, "wangfang")["replace_name"] == "通过 · 张伟"
    (told,) = [t for t in markdown_texts(box, "wangfang") if "未生效" in t]
    assert "张伟" in told and "不通过" in told
    # the log says what happened (the application moved on), not that a scorecard is missing
    refused = WeComEvent.get((WeComEvent.from_user == "wangfang") & (WeComEvent.event_type == "template_card_event"))
    assert refused.status == "refused" and refused.result.startswith("stage_moved: 该应聘已不在复试阶段")
    assert "背景调查" in refused.result and "评分表" not in refused.result, refused.result


def test_a_tap_racing_a_hold_is_refused_and_a_second_hold_records_nothing(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    Job.update(manager_userids=["zhangwei", "wangfang"]).where(Job.id == backend_job.id).execute()
    application, round_ = _all_in(backend_job, redis_conn)
    run_fast_worker(redis_conn)
    task_id = task_id_of(round_decisions.card_key(round_.id))
    tap_stored(box, "zhangwei", task_id, f"r:{application.id}:hold")
    tap_stored(box, "wangfang", task_id, f"r:{application.id}:pass")   # before the card greyed out
    tap_stored(box, "zhangwei", task_id, f"r:{application.id}:hold")   # his second tap
    run_fast_worker(redis_conn)

    # The hold stands once; the pass was made on a card that was already decided: refused and told.
    assert Application.get_by_id(application.id).stage == "second_round"
    assert ProcessEvent.select().where((ProcessEvent.application == application.id)
                                       & (ProcessEvent.kind == "round_hold")).count() == 1
    for userid in ("zhangwei", "wangfang"):
        assert box.card(task_id, userid)["replace_name"] == "待定 · 张伟"
    (told,) = [t for t in markdown_texts(box, "wangfang") if "未生效" in t]
    assert "张伟" in told and "待定" in told and "「通过」" in told
    assert not [t for t in markdown_texts(box, "zhangwei") if "未生效" in t]


def test_a_tap_after_a_hold_is_told_the_holds_time_not_the_card_rows_later_one(wecom_env, backend_job, redis_conn):
    """A hold moves no stage, so what a refused tap is told takes its time from the card: it read the row's
    updated_at, which later writes to the row move on (a send finishing after the decision); it says the hold's."""
    app, app_url, box = wecom_env
    application, round_ = _all_in(backend_job, redis_conn)
    run_fast_worker(redis_conn)
    assert _tap(box, redis_conn, "zhangwei", round_, application, "hold") == 200
    hold = ProcessEvent.get((ProcessEvent.application == application.id) & (ProcessEvent.kind == "round_hold"))
    card = result_cards.card_of(round_decisions.card_key(round_.id))
    CardMessage.update(updated_at=hold.created_at + dt.timedelta(minutes=7)).where(
        CardMessage.id == card.id).execute()

    label, said = refused_taps.where_it_stands(Application.get_by_id(application.id), result_cards.card_of(
        round_decisions.card_key(round_.id)))
    assert (label, said) == ("待定 · 张伟", f"张伟 已于 {local_time(hold.created_at)}(北京时间)选择「待定」")

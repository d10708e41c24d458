"""A decided card says when, over real HTTP against the sandbox: the greyed button (10 characters, "已进入复试 · 张伟")
has no room for the time, so the whole card is sent again with its buttons greyed (replace_text) and a quoted line
saying who decided what and when in local time, with the tap's one response code."""
import datetime as dt

from app.core.localtime import local_time
from app.core.models import StageEvent, WeComEvent
from app.interview import decisions
from app.interview.models import CardMessage
from tests.support.wecom import pushed_result_card, run_fast_worker, tap_stored
from wecom_callbacks import handlers


def test_a_decided_card_says_who_decided_and_when_in_local_time(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job)
    tap_stored(box, "zhangwei", card.task_id, f"d:{application.id}:second_round")
    tap = WeComEvent.get()
    handlers.handle_event(tap.id)                                    # decides; the card's update waits in the queue
    # The decision's moment, pinned: 06:05 UTC is 14:05 in Asia/Shanghai (the default TIMEZONE).
    CardMessage.update(decided_at=dt.datetime(2026, 12, 7, 6, 5)).where(CardMessage.id == card.id).execute()
    run_fast_worker(redis_conn)

    seen = box.card(card.task_id, "zhangwei")
    assert seen["replace_name"] == "已进入复试 · 张伟"                  # greyed, who decided: as before
    assert seen["card"]["quote_area"]["quote_text"] == "张伟 于 12-07 14:05(北京时间)决定「进入复试」"
    # The rest of the card is the card as sent (title, total, dimensions, link).
    sent = CardMessage.get_by_id(card.id).card
    for field in ("main_title", "horizontal_content_list", "card_action", "task_id", "button_list"):
        assert seen["card"][field] == sent[field], field
    # One update, with the tap's response code; the card is done and its buttons no longer answer.
    assert [r["errcode"] for r in box.requests_to("update_template_card")] == [0]
    row = CardMessage.get_by_id(card.id)
    assert (row.status, row.response_code, row.response_code_used) == (
        "updated", tap.payload["message"]["ResponseCode"], True)
    status, _ = box.tap("zhangwei", card.task_id, f"d:{application.id}:rejected")
    assert status == 409


def test_a_refused_tap_greys_that_card_saying_who_decided_when(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job, ("zhangwei", "wangfang"))
    tap_stored(box, "zhangwei", card.task_id, f"d:{application.id}:rejected")
    tap_stored(box, "wangfang", card.task_id, f"d:{application.id}:second_round")
    run_fast_worker(redis_conn)

    decided = StageEvent.get((StageEvent.application == application.id) & (StageEvent.to_stage == "rejected"))
    seen = box.card(card.task_id, "wangfang")
    assert seen["replace_name"] == "已淘汰 · 张伟"
    quote = seen["card"]["quote_area"]["quote_text"]
    assert "张伟" in quote and "「淘汰」" in quote and local_time(decided.created_at) in quote


def test_a_card_decided_on_the_page_while_it_was_sent_says_the_decisions_time(wecom_env, backend_job, redis_conn):
    """HR decides on the page while the card is being sent: the send, finishing after the decision, writes the card
    row again (its status and response code), so the row's updated_at is later than the decision. The greyed card
    said that later time; it says the decision's (its stage event's)."""
    app, app_url, box = wecom_env
    application, card = pushed_result_card(backend_job)
    event = decisions.decide(application.id, "second_round", "hr_lina", "web")
    # The send's write after the decision, minutes late here so that the minute the card shows differs.
    CardMessage.update(updated_at=event.created_at + dt.timedelta(minutes=7)).where(
        CardMessage.id == card.id).execute()
    run_fast_worker(redis_conn)

    quote = box.card(card.task_id, "zhangwei")["card"]["quote_area"]["quote_text"]
    assert quote == f"李娜 于 {local_time(event.created_at)}(北京时间)决定「进入复试」"
    assert CardMessage.get_by_id(card.id).decided_at == event.created_at

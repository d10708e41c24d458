"""A card's WeCom task_id is new for every send: WeCom refuses (40058) a task_id its app has seen before, and the
same agent may have seen "ai-result-1" from another database (a re-seeded demo, staging beside production, a
restored backup). The card still reaches the manager and its buttons decide; a 40058 on a send is tried again
under a new task_id kept on the row; a card sent before task ids were unique (task_id = card_key) still decides
when tapped. Real HTTP against the sandbox, which refuses a used task_id as WeCom does."""
from app.core.models import Application
from app.interview import result_cards
from app.interview.models import CardMessage
from app.wecom.cards import button_card, send_template_card
from tests.support.wecom import result_report_id, run_fast_worker, scored_application


def sent_before(task_id, application_id):
    """A card another database sent on the same agent under `task_id`."""
    send_template_card(["zhangwei"], button_card(task_id=task_id, title="AI面试结果:旧数据库的候选人",
                                                 buttons=[("进入复试", f"d:{application_id}:second_round", 1)]))


def tap_decides(box, redis_conn, task_id, application_id):
    status, body = box.tap("zhangwei", task_id, f"d:{application_id}:second_round")
    assert status == 200
    box.wait_deliveries(body["deliveries"])
    run_fast_worker(redis_conn)
    assert Application.get_by_id(application_id).stage == "second_round"
    assert box.card(task_id, "zhangwei")["replace_name"] == "已进入复试 · 张伟"


def test_a_card_whose_old_task_id_the_agent_saw_before_still_reaches_the_manager(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    sent_before(f"ai-result-{application.id}", application.id)     # what a re-seeded database's card was called

    card = result_cards.push_result_card(result_report_id(application))
    assert card.status == "sent", card.error
    assert card.card_key == f"ai-result-{application.id}" and card.task_id != card.card_key
    seen = box.card(card.task_id, "zhangwei")
    assert seen["card"]["main_title"]["title"] == "AI面试结果:李明" and seen["card"]["task_id"] == card.task_id
    tap_decides(box, redis_conn, card.task_id, application.id)
    assert result_cards.push_result_card(result_report_id(application)).id == card.id   # still sent once
    assert CardMessage.select().count() == 1


def test_a_refused_task_id_is_sent_again_under_a_new_one(wecom_env, backend_job, redis_conn, monkeypatch):
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    used = f"ai-result-{application.id}-000000000000"
    sent_before(used, application.id)
    fresh = iter([used, f"ai-result-{application.id}-111111111111"])
    monkeypatch.setattr(result_cards, "new_task_id", lambda key: next(fresh))

    card = result_cards.push_result_card(result_report_id(application))
    assert card.status == "sent" and card.task_id == f"ai-result-{application.id}-111111111111"
    assert card.card["task_id"] == card.task_id and card.error == ""
    tap_decides(box, redis_conn, card.task_id, application.id)


def test_a_card_sent_before_task_ids_were_unique_still_decides(wecom_env, backend_job, redis_conn):
    """A row migrated by step 24 (task_id = card_key = "ai-result-<id>") and the card on the manager's phone."""
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    key = f"ai-result-{application.id}"
    built = result_cards.build_result_card(application, {"total": 82.5, "dimensions": [], "flags": []}, key)
    answer = send_template_card(["zhangwei"], built)
    CardMessage.create(card_key=key, task_id=key, application=application, kind="result", userids=["zhangwei"],
                       card=built, status="sent", response_code=answer["response_code"])
    assert result_cards.unsent_result_cards() == []                 # the sweep sees it as sent
    tap_decides(box, redis_conn, key, application.id)
    assert CardMessage.get(CardMessage.card_key == key).decision == "second_round"

"""Issue 20.3: a deleted candidate's WeCom card must never open somebody else's report.

On SQLite without AUTOINCREMENT a new row takes max(id) + 1, so after the newest candidate's deletion the next report
got the deleted report's id and the old card's 查看详情 link opened it (under the other name, with live buttons).
"""
from app.interview.models import Report
from app.privacy import deletion
from tests.privacy.helpers import candidate_with_data
from tests.support.app import import_job
from tests.support.reports import sign_in_as


def _delete(candidate_id):
    deletion.execute_deletion(deletion.delete_by_hr(candidate_id, "hr_lina").id)


def test_report_ids_of_deleted_candidates_are_never_reused(any_db_app):
    demo_job = import_job("backend-engineer.yaml")
    zhou = candidate_with_data(demo_job, "周杰", "13800001111", "ZHOUJIE")
    old_report = Report.get(Report.interview == zhou.interview.id).id
    _delete(zhou.candidate_id)
    wang = candidate_with_data(demo_job, "王芳", "13900002222", "WANGFANG")
    new_report = Report.get(Report.interview == wang.interview.id).id
    assert new_report != old_report


def test_the_old_card_link_says_the_data_was_deleted_and_offers_no_decision(client, demo_job):
    zhou = candidate_with_data(demo_job, "周杰", "13800001111", "ZHOUJIE")
    old_report = Report.get(Report.interview == zhou.interview.id).id
    _delete(zhou.candidate_id)
    candidate_with_data(demo_job, "王芳", "13900002222", "WANGFANG")
    sign_in_as(client, "zhangwei")
    res = client.get(f"/m/reports/{old_report}")
    page = res.get_data(as_text=True)
    assert res.status_code == 404
    assert "该候选人数据已删除" in page
    assert "王芳" not in page and "/decide" not in page


def test_a_deleted_candidates_card_is_greyed_out_and_cannot_decide(wecom_env, backend_job, redis_conn):
    from app.core.models import Application
    from app.interview import result_cards
    from tests.support.wecom import result_report_id, run_fast_worker, scored_application
    app, app_url, box = wecom_env
    application = scored_application(backend_job, name="周杰")
    card = result_cards.push_result_card(result_report_id(application))
    _delete(application.candidate_id)
    run_fast_worker(redis_conn)
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "候选人数据已删除"
    status, _ = box.tap("zhangwei", card.task_id, f"d:{application.id}:second_round")
    assert status == 409                                  # a greyed-out card cannot be tapped
    assert Application.get_by_id(application.id).stage == "withdrawn"


def test_a_deletion_tells_the_candidate_nothing(wecom_env, backend_job, redis_conn):
    """The deletion withdraws the open application: no 「你已撤回」 notice is posted to a person who asked for
    their data to go (after the erasure it was a new message row about them), a notice queued before the deletion
    writes and sends nothing when it runs after, and the card says the data was deleted (not 候选人撤回: the
    withdrawal's own card job used the card's one response code first). The trail says why it was withdrawn."""
    from app.conversation.models import Message
    from app.conversation.services import POST_STAGE_NOTICE
    from app.core import jobs
    from app.core.models import StageEvent
    from app.interview import result_cards
    from app.notifications.models import Notice
    from app.notifications.stage_notices import SEND_DECISION_NOTICE
    from tests.support.wecom import result_report_id, run_fast_worker, scored_application
    app, app_url, box = wecom_env
    application = scored_application(backend_job, name="周杰")
    card = result_cards.push_result_card(result_report_id(application))
    completed = StageEvent.get((StageEvent.application == application.id) & (StageEvent.to_stage == "ai_completed"))
    jobs.enqueue(POST_STAGE_NOTICE, completed.id)          # queued before the deletion, run after it
    jobs.enqueue(SEND_DECISION_NOTICE, completed.id)
    _delete(application.candidate_id)
    run_fast_worker(redis_conn)
    assert box.card(card.task_id, "zhangwei")["replace_name"] == "候选人数据已删除"
    assert [m.body for m in Message.select().where(Message.application == application.id)] == []
    assert Notice.select().where(Notice.application == application.id).count() == 0
    last = StageEvent.select().where(StageEvent.application == application.id).order_by(StageEvent.id.desc()).get()
    assert (last.to_stage, last.source) == ("withdrawn", "privacy")

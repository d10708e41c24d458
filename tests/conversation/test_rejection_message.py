"""HR's words to a rejected candidate (the workbench's 淘汰 message) reached only a posting applicant's page
(Intake.candidate_message); an invited candidate rejected at a later stage read only the generic
「未能进入下一轮」. Reasons HR wrote for staff (a background check's failing note) still never reach them."""
from app.conversation.models import Message
from app.core import pipeline
from app.process import checks
from app.screening import actions
from tests.process.helpers import at_second_round
from tests.support.wecom import run_fast_worker


def _notice(application_id):
    return Message.get(Message.application == application_id, Message.notice_key.startswith("stage-event:"),
                       Message.body.contains("未能进入下一轮")).body


def test_hrs_message_reaches_an_invited_candidate_rejected_after_the_second_round(app, client, demo_job, redis_conn):
    application, token = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)
    actions.reject(application.id, "hr_lina", "岗位已招满,感谢你的时间")
    run_fast_worker(redis_conn)
    assert "岗位已招满,感谢你的时间" in _notice(application.id)
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "岗位已招满,感谢你的时间" in page


def test_a_reason_hr_wrote_for_staff_is_not_shown(app, client, demo_job, redis_conn):
    application, token = at_second_round(demo_job)
    pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    run_fast_worker(redis_conn)
    checks.consent(application.id, True, checks.CONSENT_VERSION)
    education, employment = checks.items_of(checks.order_of(application.id))
    checks.submit_item(application.id, education.id, "A1B2C3D4E5F6")
    checks.verify_item(application.id, education.id, "hr_lina", False, "学历造假")
    checks.decide_problem(application.id, "hr_lina", False, "学信网查无此人,疑似造假")
    run_fast_worker(redis_conn)
    assert "疑似造假" not in _notice(application.id)
    assert "疑似造假" not in client.get(f"/i/{token}/status").get_data(as_text=True)

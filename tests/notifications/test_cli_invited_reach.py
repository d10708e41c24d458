"""A candidate invited from the command line (`flask --app wsgi invite`) or by `seed-demo` is told of later stages
like one HR invited on the page: the invitation goes out through the same service function (announce), so its
notice keeps the link token, and HR's 进入复试 reaches the phone by SMS, linking to the same interview. SQLite and
PostgreSQL, a real RQ worker, the sandbox's SMS over HTTP."""
import re

from app.core import pipeline
from app.core.models import Application, Candidate
from app.core.tx import transaction
from app.notifications import outreach
from app.notifications.models import Channel, Notice, State
from tests.support.app import import_job
from tests.support.wecom import run_fast_worker


def sms_to(box, phone):
    return [m["text"] for m in box.api("get", f"/sandbox/api/sms/{phone}")["messages"]]


def to_second_round(application_id):
    for stage in ("ai_in_progress", "ai_completed", "ai_scored"):
        pipeline.advance_stage(application_id, stage, actor="system", source="system")
    with transaction():
        pipeline.advance_stage(application_id, "second_round", actor="zhangwei", source="card", reason="进入复试")


def decision_sms_after_invitation(box, redis_conn, application_id, token, phone):
    """The invitation SMS went out; HR's 进入复试 then reaches the same phone, linking to the same interview."""
    run_fast_worker(redis_conn)
    [invitation] = sms_to(box, phone)
    assert f"http://testserver/i/{token} 回T退订" in invitation
    assert outreach.link_token(application_id) == token
    box.api("post", f"/sandbox/api/sms/{phone}/age", json={"seconds": 31})   # past the provider's 30 s rule
    to_second_round(application_id)
    run_fast_worker(redis_conn)
    [decision] = Notice.select().where((Notice.application == application_id) & (Notice.notice_key == "decision"))
    assert decision.plan == [{"channel": Channel.SMS, "address": f"+86{phone}", "via": ""}]
    assert decision.state == State.SENDING, decision.reason
    texts = sms_to(box, phone)
    assert len(texts) == 2 and "结果已更新" in texts[0] and f"/i/{token}/status" in texts[0]


def test_a_candidate_invited_from_the_cli_gets_the_second_round_notice_by_sms(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    result = app.test_cli_runner().invoke(args=["invite", "--job", str(job.id), "--name", "陈静",
                                                "--phone", "13700002222"])
    assert result.exit_code == 0, result.output
    assert "已通知候选人 notified: 短信 137****2222" in result.output
    token = re.search(r"/i/(\S+)", result.output).group(1)
    application = Application.get(Application.candidate == Candidate.get(Candidate.phone == "13700002222"))
    decision_sms_after_invitation(box, redis_conn, application.id, token, "13700002222")


def test_the_demo_candidate_seeded_by_seed_demo_gets_the_second_round_notice_by_sms(notify_env, redis_conn):
    app, box, _ = notify_env
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    token = re.search(r"interview link: \S+/i/(\S+)", result.output).group(1)
    application = Application.get(Application.candidate == Candidate.get(Candidate.phone == "13800001234"))
    decision_sms_after_invitation(box, redis_conn, application.id, token, "13800001234")

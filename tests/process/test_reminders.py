"""Reminders on a controlled clock: the unfinished AI interview (candidate, then HR), once each; a job can turn
a kind off; what was sent is listed for the application; the sweep is on the scheduler's list."""
import datetime as dt

from app.conversation.models import Message
from app.core import jobs
from app.interview.invitations import invite_candidate
from app.process import reminders
from app.process.models import SentNotice
from app.process.reminders import SEND_REMINDERS


def test_unfinished_ai_interview_reminds_the_candidate_then_hr_once(wecom_env, backend_job):
    app, app_url, box = wecom_env
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234")
    expires = interview.expires_at
    assert reminders.run(now=expires - dt.timedelta(hours=30))["ai_unfinished"] == 0
    assert reminders.run(now=expires - dt.timedelta(hours=20))["ai_unfinished"] == 1   # 24 h mark: candidate
    assert reminders.run(now=expires - dt.timedelta(hours=19))["ai_unfinished"] == 0   # once
    assert reminders.run(now=expires - dt.timedelta(hours=5))["ai_unfinished"] == 1    # 6 h mark: HR
    assert reminders.run(now=expires - dt.timedelta(hours=3))["ai_unfinished"] == 1    # 4 h mark: candidate
    assert reminders.run(now=expires - dt.timedelta(hours=1))["ai_unfinished"] == 0
    texts = [m.body for m in Message.select().where(Message.notice_key.startswith("ai:"))]
    assert len(texts) == 2 and all("AI 面试还没有完成" in t for t in texts)
    hr = box.messages("hr_lina")
    assert len(hr) == 1 and "李明" in hr[0]["body"]["content"]
    assert [n.kind for n in SentNotice.select()] == ["ai_unfinished"] * 3


def test_a_job_can_turn_a_reminder_off(wecom_env, backend_job):
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234")
    reminders.set_disabled(backend_job.id, ["ai_unfinished", "not_a_kind"])
    assert reminders.disabled(backend_job.id) == {"ai_unfinished"}
    assert reminders.run(now=interview.expires_at - dt.timedelta(hours=1))["ai_unfinished"] == 0
    reminders.set_disabled(backend_job.id, [])
    assert reminders.run(now=interview.expires_at - dt.timedelta(hours=1))["ai_unfinished"] == 2


def test_the_reminder_sweep_is_scheduled():
    assert (SEND_REMINDERS, 300) in jobs.schedule() and SEND_REMINDERS in jobs.all_jobs()


def test_the_cli_runs_the_sweep_and_moves_a_demo_clock(wecom_env, backend_job, redis_conn):
    import datetime as dt

    from app.process import scheduling
    from app.process.models import Offer, OfferStatus
    from tests.process.helpers import at_second_round, available, hour, round_with_slots
    app, app_url, box = wecom_env
    runner = app.test_cli_runner()
    application, _ = at_second_round(backend_job)
    start = hour()
    available(["zhangwei"], start)
    round_, (slot,) = round_with_slots(application, [start], interviewers=["zhangwei"])
    assert "no booked second round" in runner.invoke(args=["process", "demo-interview-held", "--application",
                                                           str(application.id)]).output
    scheduling.book(round_.id, slot.id)
    result = runner.invoke(args=["process", "demo-interview-held", "--application", str(application.id)])
    assert "scorecard cards sent: 1" in result.output, result.output
    assert box.card(f"sc-{round_.id}-zhangwei", "zhangwei") is not None
    result = runner.invoke(args=["process", "reminders", "--at", "2030-01-01T09:00"])
    assert "offers_expired: 0" in result.output
    Offer.create(application=application.id, position="p", salary=1, start_date=dt.date(2031, 1, 1), place="x",
                 probation_months=0, expires_on=dt.date(2030, 12, 1), status=OfferStatus.ACCEPTED, created_by="hr")
    assert "start date is now" in runner.invoke(args=["process", "demo-start-today", "--application",
                                                      str(application.id)]).output
    app.config["APP_ENV"] = "production"
    from app.core.extensions import settings
    settings["APP_ENV"] = "production"
    assert runner.invoke(args=["process", "demo-start-today", "--application", str(application.id)]).exit_code != 0

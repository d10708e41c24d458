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
    assert box.card_sent_as(f"sc-{round_.id}-zhangwei-", "zhangwei") is not None
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


def test_applications_left_unscreened_remind_hr_once_each(wecom_env, backend_job):
    """The job editor's "投递超过几天未处理时提醒" (remind_after_days, 3 by default): HR gets one message per job
    naming the applications that became overdue, each application once; 0 or the job's switch turns it off."""
    from app.core import pipeline
    from app.core.base import utcnow
    from app.core.models import Application
    from app.screening import intake
    from app.screening.models import JobScreening
    from tests.support.funnel import pdf_resume

    app, app_url, box = wecom_env
    link = intake.create_link(backend_job.id, "wechat_group", "hr_lina")
    assert JobScreening.get(JobScreening.job == backend_job.id).remind_after_days == 3

    def apply(name, phone, days_ago):
        application, _, _ = intake.apply(link.code, name, phone, pdf_resume(name=name, phone=phone), "cv.pdf", {})
        Application.update(created_at=utcnow() - dt.timedelta(days=days_ago)).where(
            Application.id == application.id).execute()
        return application

    old, older = apply("张伟", "13800001234", 4), apply("王芳", "13900005678", 5)
    apply("赵敏", "13700001111", 1)                                   # not overdue yet
    screened = apply("钱进", "13600002222", 6)
    pipeline.advance_stage(screened.id, "screened", actor="hr_lina", source="web")  # HR acted on it

    assert reminders.run()["applications_waiting"] == 2
    [message] = box.messages("hr_lina")
    text = message["body"]["content"]
    assert "后端开发工程师" in text and "2 位候选人投递超过 3 天仍未处理" in text
    assert text.index("王芳") < text.index("张伟") and "赵敏" not in text and "钱进" not in text
    assert f"/admin/applications?job={backend_job.id}&stage=applied" in text
    assert reminders.run()["applications_waiting"] == 0              # once per application
    assert {n.application_id for n in SentNotice.select().where(SentNotice.kind == "applications_waiting")} == {
        old.id, older.id}

    later = utcnow() + dt.timedelta(days=3)                          # 赵敏 is overdue now: only she is named
    assert reminders.run(now=later)["applications_waiting"] == 1
    assert "1 位候选人" in box.messages("hr_lina")[-1]["body"]["content"]
    assert "赵敏" in box.messages("hr_lina")[-1]["body"]["content"]

    apply("孙丽", "13500003333", 10)
    reminders.set_disabled(backend_job.id, ["applications_waiting"])
    assert reminders.run()["applications_waiting"] == 0
    reminders.set_disabled(backend_job.id, [])
    JobScreening.update(remind_after_days=0).where(JobScreening.job == backend_job.id).execute()
    assert reminders.run()["applications_waiting"] == 0
    assert len(box.messages("hr_lina")) == 2

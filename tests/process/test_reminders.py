"""Reminders on a controlled clock: the unfinished AI interview (candidate, then HR), once each; a job can turn
a kind off; what was sent is listed for the application; the sweep is on the scheduler's list."""
import datetime as dt

from app.conversation.models import Message
from app.process import reminders
from app.process.models import SentNotice
from app.services import jobs
from app.services.invitations import invite_candidate


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
    assert (jobs.SEND_REMINDERS, 300) in jobs.SCHEDULE and jobs.SEND_REMINDERS in jobs.ALL_JOBS

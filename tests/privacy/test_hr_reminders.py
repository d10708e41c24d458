"""HR hears of a candidate's deletion request in WeCom (the sandbox, over HTTP): when it comes in, when its
deadline is near and when it passed while still pending, each once; nothing once HR decided, nothing for a request
HR started; the application page lists what was sent by name."""
import datetime as dt

from app.core import jobs
from app.core.base import utcnow
from app.interview.invitations import invite_candidate
from app.privacy import deletion, hr_reminders
from app.privacy.hr_reminders import REMIND_HR
from app.process.models import SentNotice
from tests.support.reports import sign_in_as


def test_hr_is_told_of_a_request_then_of_its_deadline_once_each(wecom_env, backend_job):
    app, app_url, box = wecom_env
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234")
    other, _ = invite_candidate(backend_job.id, "王芳", "13900005678")
    request = deletion.request_deletion(interview.application.candidate_id, "candidate", interview.application_id)
    deletion.delete_by_hr(other.application.candidate_id, "hr_lina")          # HR's own: confirmed, no reminder

    assert hr_reminders.run() == 1
    assert hr_reminders.run() == 0                                             # once
    [new] = box.messages("hr_lina")
    text = new["body"]["content"]
    assert "**数据删除申请**" in text and "李明" in text and "后端开发工程师" in text and "王芳" not in text
    assert "/admin/privacy/" in text and "前确认删除" in text

    soon = request.deadline - dt.timedelta(days=1)
    assert hr_reminders.run(now=soon) == 1 and hr_reminders.run(now=soon) == 0
    assert "即将到期" in box.messages("hr_lina")[-1]["body"]["content"]
    late = request.deadline + dt.timedelta(hours=1)
    assert hr_reminders.run(now=late) == 1 and hr_reminders.run(now=late) == 0
    assert "已过处理期限" in box.messages("hr_lina")[-1]["body"]["content"]
    assert "已过,请尽快确认删除" in box.messages("hr_lina")[-1]["body"]["content"]
    assert len(box.messages("hr_lina")) == 3
    assert SentNotice.select().where(SentNotice.kind == "privacy_request").count() == 3

    client = app.test_client()
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{interview.application_id}").get_data(as_text=True)
    assert "数据删除申请 → 李娜" in page and "privacy_request" not in page and "→ hr_lina" not in page


def test_a_decided_request_is_not_reminded(wecom_env, backend_job):
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234")
    request = deletion.request_deletion(interview.application.candidate_id, "candidate", interview.application_id)
    deletion.keep(request.id, "hr_lina", "正在处理的劳动争议需要保留")
    assert hr_reminders.run(now=utcnow() + dt.timedelta(days=30)) == 0


def test_the_reminder_sweep_is_scheduled():
    assert (REMIND_HR, 300) in jobs.schedule() and REMIND_HR in jobs.all_jobs()

"""HR's WeCom messages reach the same HR that may sign in: HR_USERIDS and the members granted HR in the database
(docs/wecom.md); each member once, whichever way they are HR or also manage the job."""
from types import SimpleNamespace

from app.core import staff
from app.core.db import database
from app.core.models import StaffUser
from app.interview.invitations import invite_candidate
from app.privacy import deletion, hr_reminders
from tests.support.app import make_app


def test_a_member_granted_hr_is_told_like_hr_userids(wecom_env, backend_job):
    app, app_url, box = wecom_env
    StaffUser.create(userid="liuyang", is_hr=True)
    assert staff.load_staff("liuyang").is_hr
    interview, _ = invite_candidate(backend_job.id, "李明", "13800001234")
    deletion.request_deletion(interview.application.candidate_id, "candidate", interview.application_id)

    assert hr_reminders.run() == 1
    [to_listed] = box.messages("hr_lina")
    [to_granted] = box.messages("liuyang")
    assert to_granted["body"]["content"] == to_listed["body"]["content"]
    assert "李明" in to_granted["body"]["content"]


def test_hr_recipients_list_each_member_once(tmp_path, redis_conn):
    with make_app(tmp_path, HR_USERIDS=["hr_lina", "", "hr_lina"]).app_context(), database.connection_context():
        _each_once()


def _each_once():
    StaffUser.create(userid="hr_lina", is_hr=True)
    StaffUser.create(userid="zhangwei", is_hr=True)
    StaffUser.create(userid="not_hr", is_hr=False)
    assert staff.hr_userids() == ["hr_lina", "zhangwei"]
    job = SimpleNamespace(manager_userids=["zhangwei", "wangqiang", ""])
    assert staff.hr_and_managers(job) == ["hr_lina", "zhangwei", "wangqiang"]

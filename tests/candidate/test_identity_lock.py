"""A link locked by wrong identity details: only HR unlocks it; HR may instead invite again (a new link, the old
one stops working); the identity page of a locked link leads to the status page, which explains."""
from app.core.errors import AppError
from app.interview import flow as interview_flow
from app.interview import identity_lock
from app.interview.invitations import invite_candidate
from app.interview.models import Interview
from tests.support.reports import sign_in_as


def _locked(job, limit):
    interview, token = invite_candidate(job.id, "李明", "13800001234")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    for _ in range(limit):
        try:
            interview_flow.verify_identity(interview.id, "李明", "0000")
        except AppError:
            pass
    assert identity_lock.locked_interview(interview.application_id).id == interview.id
    return interview, token


def test_the_status_page_of_a_locked_link_does_not_say_carry_on(app, client, demo_job):
    """The status card said 「AI 面试进行中 · 继续完成剩余题目即可」 right above 「AI 面试已暂停:身份核验多次不符」: its
    title now says the interview is paused, and the card asks nothing the candidate cannot do."""
    _, token = _locked(demo_job, app.config["IDENTITY_MAX_ATTEMPTS"])
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    title = page.split('data-testid="status">')[1].split("<")[0]
    assert title == "AI 面试已暂停" and "继续完成剩余题目" not in page and 'data-testid="identity-locked"' in page


def test_only_hr_unlocks_and_hr_may_invite_again(app, client, demo_job):
    interview, token = _locked(demo_job, app.config["IDENTITY_MAX_ATTEMPTS"])
    assert client.get(f"/i/{token}/identity").headers["Location"].endswith(f"/i/{token}/status")

    sign_in_as(client, "zhangwei")                       # the job's manager sees the lock, cannot lift it
    page = client.get(f"/m/applications/{interview.application_id}").get_data(as_text=True)
    assert "AI 面试链接已锁定" in page and 'data-testid="unlock-identity"' not in page
    refused = client.post(f"/m/applications/{interview.application_id}/identity/unlock", follow_redirects=True)
    assert "只有HR可以解锁" in refused.get_data(as_text=True)
    assert client.post(f"/m/applications/{interview.application_id}/identity/reinvite").status_code == 403
    assert identity_lock.locked_interview(interview.application_id) is not None

    sign_in_as(client, "hr_lina")
    done = client.post(f"/m/applications/{interview.application_id}/identity/reinvite", follow_redirects=True)
    new_link = done.get_data(as_text=True).split("新的面试链接(原链接已失效,请发给候选人):")[1].split("<")[0]
    new_token = new_link.rsplit("/", 1)[1]
    assert Interview.get_by_id(interview.id).status == "revoked"
    assert client.get(f"/i/{token}").status_code == 410
    assert client.get(f"/i/{new_token}").status_code == 200
    assert identity_lock.locked_interview(interview.application_id) is None
    assert "HR 重新邀请 AI 面试" in client.get(f"/m/applications/{interview.application_id}").get_data(as_text=True)

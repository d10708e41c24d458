"""Invitations: unguessable expiring links that open one interview."""
import datetime as dt

import pytest

from app.core.base import utcnow
from app.core.errors import BadRequest, Gone, NotFound
from app.core.models import Application
from app.interview.invitations import find_interview, hash_token, invite_candidate
from app.interview.models import Interview


def test_invite_creates_candidate_application_interview_and_moves_stage(any_db_app, demo_job):
    interview, token = invite_candidate(demo_job.id, "李明", "13800001234")
    assert len(token) >= 32 and interview.token_hash == hash_token(token) and token not in interview.token_hash
    assert find_interview(token).id == interview.id
    assert Application.get_by_id(interview.application_id).stage == "ai_invited"


def test_unknown_and_expired_links(app, demo_job):
    with pytest.raises(NotFound):
        find_interview("nope")
    interview, token = invite_candidate(demo_job.id, "李明", "13800001234")
    Interview.update(expires_at=utcnow() - dt.timedelta(minutes=1)).where(Interview.id == interview.id).execute()
    with pytest.raises(Gone) as info:
        find_interview(token)
    assert info.value.code == "link_expired"
    assert Application.get_by_id(interview.application_id).stage == "expired"


def test_reinvite_revokes_the_old_link(app, demo_job):
    _, old = invite_candidate(demo_job.id, "李明", "13800001234")
    new_interview, new = invite_candidate(demo_job.id, "李明", "13800001234")
    with pytest.raises(Gone):
        find_interview(old)
    assert find_interview(new).id == new_interview.id
    assert Application.select().count() == 1


def test_cli_invite_prints_link_and_writes_qr(app, runner, demo_job, tmp_path):
    qr = tmp_path / "qr.png"
    result = runner.invoke(args=["invite", "--job", str(demo_job.id), "--name", "陈静", "--phone", "13700002222",
                                 "--qr", str(qr)])
    assert result.exit_code == 0, result.output
    assert "http://testserver/i/" in result.output and qr.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    bad = runner.invoke(args=["invite", "--job", str(demo_job.id), "--name", "陈静", "--phone", "abc"])
    assert bad.exit_code == 1 and "手机号" in bad.output


def test_a_closed_job_takes_no_new_candidate_but_keeps_its_own(app, client, demo_job):
    """A closed job's postings refuse applications; HR's invitation of a new person to it is refused too, saying
    why, and the home page's invitation form no longer offers it. Someone already in its process can still be sent a
    new link (a lost or expired one)."""
    from app.core.errors import Conflict
    from app.core.models import Job, JobStatus
    from tests.support.reports import sign_in_as
    invite_candidate(demo_job.id, "李明", "13800001234")
    Job.update(status=JobStatus.CLOSED).where(Job.id == demo_job.id).execute()
    with pytest.raises(Conflict) as refused:
        invite_candidate(demo_job.id, "陈静", "13700002222")
    assert "已关闭" in refused.value.message and Application.select().count() == 1
    again, _ = invite_candidate(demo_job.id, "李明", "13800001234")
    assert again.application.candidate.name == "李明"
    sign_in_as(client, "hr_lina")
    home = client.get("/admin/").get_data(as_text=True)
    # its only job closed, the home page has no invitation form to offer it in, and says how to open one
    assert 'action="/admin/invite"' not in home and 'name="job_id"' not in home
    assert "点「开放岗位」" in home


@pytest.mark.parametrize("phone", ["abc", "123456", "138.0000.1234", "(010)12345678", "-13800001234x",
                                   "1" * 21, "1234567", "010-12345678", "+44 20 7946 0958 ext 2"])
def test_a_refused_phone_says_what_is_accepted(app, demo_job, phone):
    """HR's invitation form and the applicant's form share the check and its message (app/core/phones.py), which
    says exactly what the check accepts (not only 'invalid')."""
    from app.core import phones
    with pytest.raises(BadRequest) as invited:
        invite_candidate(demo_job.id, "李明", phone)
    with pytest.raises(BadRequest) as applied:
        phones.normalise(phone)
    for refused in (invited, applied):
        assert refused.value.code == "phone_invalid" and refused.value.message == phones.PHONE_INVALID
    assert "11 位" in phones.PHONE_INVALID and "+44 20 7946 0958" in phones.PHONE_INVALID


@pytest.mark.parametrize("phone, stored", [
    ("13800001234", "13800001234"), ("+86 138-0000-1234", "13800001234"), ("+8613800001234", "13800001234"),
    (" 138 0000 1234 ", "13800001234"), ("(138) 0000-1234", "13800001234"), ("１３８００００１２３４", "13800001234"),
    ("+44 20 7946 0958", "+442079460958"), ("+852 6123 4567", "+85261234567")])
def test_what_the_phone_message_promises_is_accepted_and_stored_one_way(app, demo_job, phone, stored):
    interview, _ = invite_candidate(demo_job.id, "李明", phone)
    assert interview.application.candidate.phone == stored

"""Phase 2, invitations: HR's single invite and the workbench's bulk invite send the invitation notice on the best
channel (微信客服 inside its window, else SMS through the sandbox, else email), built from the candidate and the
conversation, and the pages say per candidate what went where. SQLite and PostgreSQL, real RQ worker, the
sandbox over HTTP (signatures checked)."""
import datetime as dt

from app.conversation import channels as conversation_channels
from app.core.base import utcnow
from app.core.localtime import local_time
from app.core.models import Application, Candidate
from app.interview.models import Interview
from app.notifications import consent, outreach
from app.notifications.models import Channel, Notice, NoticeDelivery, State
from app.screening.models import Intake
from tests.support.app import import_job
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker


def applicant(job, name, phone, email_address="", intake_hash=""):
    candidate = Candidate.create(name=name, phone=phone, email=email_address)
    row = Application.create(candidate=candidate, job=job, stage="applied")
    if intake_hash:
        Intake.create(application=row, channel="wechat_group", token_hash=intake_hash)
    return row


def notice_of(row):
    return Notice.get((Notice.application == row.id) & (Notice.notice_key == "invitation"))


def hr_invites(app, job, name, phone):
    """HR's single invite (/admin/invite) as hr_lina; the page's HTML."""
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    return client.post("/admin/invite", data={"job_id": job.id, "name": name, "phone": phone}).get_data(as_text=True)


def test_the_single_invite_sends_the_sms_and_the_page_says_where(notify_env, redis_conn):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    client = app.test_client()
    sign_in_as(client, "hr_lina")
    page = client.post("/admin/invite", data={"job_id": job.id, "name": "李明", "phone": "13800001234"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "已通知候选人:<b>短信 138****1234</b>" in html
    token = html.split('id="invite-url" value="http://testserver/i/', 1)[1].split('"', 1)[0]

    run_fast_worker(redis_conn)
    [sms] = box.api("get", "/sandbox/api/sms/13800001234")["messages"]
    assert f"http://testserver/i/{token} 回T退订" in sms["text"] and "李明您好" in sms["text"]
    row = Application.get(Application.candidate == Candidate.get(Candidate.phone == "13800001234"))
    assert notice_of(row).state == State.SENDING
    assert outreach.link_token(row.id) == token   # later notices link to the same interview
    # the page text still goes into the conversation (the ai_invited stage notice)
    from app.conversation.models import Message
    assert Message.select().where((Message.application == row.id)
                                  & (Message.body.contains("AI 面试邀请"))).exists()


def test_bulk_invite_picks_each_candidates_channel_and_lists_them(notify_env, redis_conn):
    app, box, mailbox = notify_env
    job = import_job("backend-engineer.yaml")
    by_sms = applicant(job, "张伟", "13800001111", intake_hash="h" * 64)   # applied through a posting
    on_kf = applicant(job, "王芳", "13800002222")
    opted_out = applicant(job, "赵敏", "13800003333", email_address="zhaomin@example.com")
    no_channel = applicant(job, "钱多", "021-5555-1234")                     # a landline, no email
    box.api("post", "/sandbox/api/kf/customer-message", json={"external_userid": "wmWangFang", "content": "你好"})
    conversation_channels.link(on_kf.id, "kf", "wmWangFang", "wkSandboxRecruit01", last_inbound_at=utcnow())
    consent.record("13800003333", True, "sms_reply", detail="T")

    client = app.test_client()
    sign_in_as(client, "hr_lina")
    ids = [by_sms.id, on_kf.id, opted_out.id, no_channel.id]
    html = client.post("/admin/applications/bulk", data={"ids": ids, "action": "invite"},
                       follow_redirects=True).get_data(as_text=True)
    assert "邀请AI面试:成功 4 人" in html
    assert f"#{by_sms.id} 张伟 · AI面试邀请:短信 138****1111" in html
    assert f"#{on_kf.id} 王芳 · AI面试邀请:微信客服 → 短信 138****2222" in html
    assert f"#{opted_out.id} 赵敏 · AI面试邀请:邮件 z***@example.com" in html
    assert f"#{no_channel.id} 没有可用的通知渠道,请把面试链接发给候选人: http://testserver/i/" in html
    # the posting applicant got a new link (the SMS carries it); their old one no longer opens the interview
    assert Interview.get(Interview.application == by_sms.id).token_hash != "h" * 64

    run_fast_worker(redis_conn)
    assert len(box.api("get", "/sandbox/api/sms/13800001111")["messages"]) == 1
    assert box.api("get", "/sandbox/api/sms/13800002222")["messages"] == []
    [kf_sent] = box.api("get", "/sandbox/api/kf/sent/wmWangFang")["messages"]
    assert "王芳您好" in kf_sent["body"] and notice_of(on_kf).state == State.DELIVERED
    assert box.api("get", "/sandbox/api/sms/13800003333")["messages"] == []
    assert [m["to"] for m in mailbox.messages] == [["zhaomin@example.com"]]
    assert notice_of(no_channel).state == State.FAILED and notice_of(no_channel).plan == []


def test_notices_on_kf_count_against_its_five_message_window(notify_env):
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    row = applicant(job, "王芳", "13800002222")
    since = utcnow() - dt.timedelta(hours=1)
    conversation_channels.link(row.id, "kf", "wmWangFang", "wkSandboxRecruit01", last_inbound_at=since)
    assert outreach.reach_for(row).kf_open
    for number in range(conversation_channels.KF_MAX):
        notice = Notice.create(application=row, notice_key="reminder", idempotency_key=f"r{number}",
                               state=State.DELIVERED)
        NoticeDelivery.create(notice=notice, channel=Channel.KF, address="wmWangFang", state=State.DELIVERED,
                              sent_at=utcnow())
    reach = outreach.reach_for(row)
    assert not reach.kf_open and reach.phone == "+8613800002222"


def test_an_invite_that_reaches_nobody_says_why(notify_env, redis_conn):
    """HR typed a number SMS cannot reach (another country's; a landline is refused by the form): the page says
    that, not a generic 无手机号."""
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    html = hr_invites(app, job, "李明", "+44 20 7946 0958")
    assert "手机号 +442079460958 不是中国大陆手机号,无法发短信" in html and "请把链接发给候选人" in html
    consent.record("13900002222", True, "link")
    html = hr_invites(app, job, "王芳", "13900002222")
    assert "没有可用的渠道(候选人已退订短信,也未关联微信)" in html


def test_an_invitation_made_in_the_quiet_hours_says_when_its_sms_goes(notify_env, redis_conn):
    """HR inviting at night (and seed-demo, which prints the same words) read 「已通知候选人:短信 138****1234」
    while the SMS waited for the morning: the page now says when it goes, and the worker holds it until then."""
    from app.core.extensions import settings
    app, box, _ = notify_env
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    settings["SMS_QUIET_HOURS"] = f"{now - dt.timedelta(hours=1):%H:%M}-{now + dt.timedelta(hours=2):%H:%M}"
    html = hr_invites(app, import_job("backend-engineer.yaml"), "李明", "13800001234")
    assert "短信 138****1234(夜间免打扰,短信将于 " in html and "(北京时间)发送)" in html
    run_fast_worker(redis_conn)
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []
    assert notice_of(Application.get()).state == State.HELD


def test_an_invitation_over_the_days_sms_cap_says_when_its_sms_goes(notify_env, redis_conn):
    """The phone already had the day's SMS (SMS_DAILY_CAP): HR's page read 「已通知候选人:短信 138****1234」 while the
    worker held the SMS until the morning. The page now says the cap holds it, and the time it gives is the one the
    worker holds it until."""
    from app.core.extensions import settings
    app, box, _ = notify_env
    settings["SMS_DAILY_CAP"] = 1
    job = import_job("backend-engineer.yaml")
    earlier = Notice.create(application=applicant(job, "李明", "13800001234"), notice_key="reminder",
                            idempotency_key="earlier", state=State.SENDING)
    NoticeDelivery.create(notice=earlier, channel=Channel.SMS, address="+8613800001234", state=State.SENDING,
                          sent_at=utcnow())
    html = hr_invites(app, job, "李明", "13800001234")
    assert "短信 138****1234(今日短信已达 1 条上限,短信将于 " in html and "(北京时间)发送)" in html
    run_fast_worker(redis_conn)
    assert box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []
    held = Notice.get(Notice.notice_key == "invitation")
    assert held.state == State.HELD and f"短信将于 {local_time(held.not_before)}(北京时间)发送" in html


def test_a_posting_applicant_invited_in_the_quiet_hours_starts_from_their_page(notify_env, redis_conn):
    """The workbench invites a posting applicant at night: the interview opens under a new link carried by the
    invitation notice, whose SMS the worker holds until the morning. Their own page leads to that interview at once
    (and says when the SMS comes) instead of leaving them with a link that opens nothing until 08:00."""
    from app.core.extensions import settings
    from app.screening import actions, intake
    from tests.support.funnel import pdf_resume
    app, box, _ = notify_env
    job = import_job("backend-engineer.yaml")
    posting = intake.create_link(job.id, "wechat_group", "hr1")
    row, own, _ = intake.apply(posting.code, "张伟", "13800001234", pdf_resume(), "cv.pdf", {})
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8)))
    settings["SMS_QUIET_HOURS"] = f"{now - dt.timedelta(hours=1):%H:%M}-{now + dt.timedelta(hours=2):%H:%M}"
    secret = actions.invite(row.id, "hr_lina")
    run_fast_worker(redis_conn)
    held = notice_of(row)
    assert held.state == State.HELD and box.api("get", "/sandbox/api/sms/13800001234")["messages"] == []
    client = app.test_client()
    assert client.get(f"/i/{own}").status_code == 404     # the applicant's own link is not the interview's
    page = client.get(f"/p/applied/{own}").get_data(as_text=True)
    assert f"短信将于 {local_time(held.not_before)}(北京时间)才发送" in page
    entry = page.split('data-testid="start-interview" href="')[1].split('"')[0]
    assert entry == f"/i/{secret}" and client.get(entry).status_code == 200

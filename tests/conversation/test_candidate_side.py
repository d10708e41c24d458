"""The candidate's side: status page in plain words, messages with attachments, safety, limits."""
import pytest

from app.conversation import services
from app.conversation.models import Attachment, Message
from app.core.models import StageEvent
from app.core.pipeline import advance_stage
from app.core.queues import FAST, get_queue
from tests.conversation.helpers import auth, invite, pdf_bytes, png_bytes, send, upload


def queued_ids():
    return get_queue(FAST).job_ids


def finish_interview(application_id):
    for stage in ("ai_in_progress", "ai_completed", "ai_scored"):
        advance_stage(application_id, stage, actor="system", source="system")


def test_a_candidate_sends_text_and_files_and_hr_is_told_once_per_burst(app, client, demo_job):
    interview, token = invite(demo_job)
    pdf_data = pdf_bytes()  # made once: the PDF carries its creation time
    pdf = upload(client, token, "项目介绍.pdf", pdf_data)
    photo = upload(client, token, "架构图.png", png_bytes())
    assert pdf.status_code == photo.status_code == 201
    assert pdf.get_json()["attachment"]["mime_type"] == "application/pdf"
    assert photo.get_json()["attachment"]["kind"] == "image"
    ids = [pdf.get_json()["attachment"]["id"], photo.get_json()["attachment"]["id"]]

    res = send(client, token, "补充一下我做过的支付系统项目细节,见附件。", ids)
    assert res.status_code == 201 and len(res.get_json()["attachments"]) == 2
    send(client, token, "还有一点:系统日均处理 200 万笔。")
    send(client, token, "谢谢!")

    notices = [j for j in queued_ids() if j.startswith("conversation-notify-")]
    assert len(notices) == 1  # one WeCom notice for a burst of three messages
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "支付系统项目" in page and "项目介绍.pdf" in page and "架构图.png" in page
    # The candidate can open their own file; it is served as a download with the detected type.
    first = Attachment.get_by_id(ids[0])
    got = client.get(f"/i/{token}/attachments/{first.id}")
    assert got.status_code == 200 and got.mimetype == "application/pdf" and got.data == pdf_data
    assert got.headers["X-Content-Type-Options"] == "nosniff" and "attachment" in got.headers["Content-Disposition"]


def test_a_staff_reply_ends_the_burst_so_the_next_message_is_news_again(app, client, demo_job):
    interview, token = invite(demo_job)
    send(client, token, "你好")
    services.post_staff_message(interview.application_id, "hr_lina", "你好,收到")
    send(client, token, "好的,谢谢")
    assert len([j for j in queued_ids() if j.startswith("conversation-notify-")]) == 2


def test_type_is_detected_from_the_bytes_not_the_name(app, client, demo_job):
    _, token = invite(demo_job)
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    refused = upload(client, token, "简历.pdf", html)
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "attachment_type_refused"
    svg = upload(client, token, "photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    assert svg.status_code == 422
    exe = upload(client, token, "作品.docx", b"MZ\x90\x00" + b"\x00" * 200)
    assert exe.status_code == 422
    misnamed = upload(client, token, "notes.txt", png_bytes())   # refused by name, not renamed notes.txt.png
    assert misnamed.status_code == 422 and misnamed.get_json()["error"]["code"] == "attachment_name_mismatch"
    unnamed = upload(client, token, "notes", png_bytes())
    assert unnamed.status_code == 201
    assert unnamed.get_json()["attachment"]["mime_type"] == "image/png"
    assert unnamed.get_json()["attachment"]["filename"] == "notes.png"


def test_size_limit_and_attachment_count(app, client, demo_job):
    _, token = invite(demo_job)
    too_big = client.post("/mp/api/v1/conversation/attachments", headers=auth(token),
                          json={"filename": "big.pdf", "total_bytes": 21 * 1024 * 1024})
    assert too_big.status_code == 413 and too_big.get_json()["error"]["code"] == "attachment_too_large"
    ids = [upload(client, token, f"p{i}.png", png_bytes()).get_json()["attachment"]["id"] for i in range(6)]
    res = send(client, token, "六张图", ids)
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "too_many_attachments"
    empty = send(client, token, "   ")
    assert empty.status_code == 400 and empty.get_json()["error"]["code"] == "message_empty"


def test_script_in_a_message_is_shown_as_text(app, client, demo_job):
    interview, token = invite(demo_job)
    evil = '<script>document.title="pwned"</script><img src=x onerror=alert(1)> http://evil.example/x'
    assert send(client, token, evil).status_code == 201
    services.post_staff_message(interview.application_id, "hr_lina", "<b>粗体?</b>")
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "<script>document.title" not in page and "&lt;script&gt;document.title" in page
    assert "<img src=x" not in page and "&lt;b&gt;粗体?&lt;/b&gt;" in page
    assert 'href="http://evil.example' not in page  # links are not made clickable


def test_another_candidates_token_cannot_read_or_post(app, client, demo_job):
    mine, my_token = invite(demo_job, "李明", "13800001234")
    other, other_token = invite(demo_job, "王强", "13900005678")
    attachment_id = upload(client, my_token, "a.png", png_bytes()).get_json()["attachment"]["id"]
    send(client, my_token, "只给HR看的内容", [attachment_id])
    # The other candidate's page and API show nothing of mine.
    assert "只给HR看的内容" not in client.get(f"/i/{other_token}/status").get_data(as_text=True)
    theirs = client.get("/mp/api/v1/conversation", headers=auth(other_token)).get_json()["messages"]
    assert all(m["from"] == "system" for m in theirs)
    assert client.get(f"/i/{other_token}/attachments/{attachment_id}").status_code == 404
    # Nor can they attach my file to their message, or touch my upload session.
    res = send(client, other_token, "偷附件", [attachment_id])
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "invalid_attachment"
    init = client.post("/mp/api/v1/conversation/attachments", json={"filename": "x.png", "total_bytes": 10},
                       headers=auth(my_token)).get_json()
    put = client.put(f"/mp/api/v1/conversation/attachments/{init['upload_id']}/chunks/0", data=b"0123456789",
                     headers=auth(other_token))
    assert put.status_code == 404
    assert client.get("/i/not-a-real-token/status").status_code == 404
    assert client.get("/mp/api/v1/conversation").status_code == 401
    assert Message.select().where(Message.application == other.application_id,
                                  Message.sender_kind == "candidate").count() == 0


def test_sending_is_rate_limited(app, client, demo_job):
    _, token = invite(demo_job)
    codes = [send(client, token, f"第{i}条").status_code for i in range(6)]
    assert codes == [201] * 5 + [429]
    res = send(client, token, "再来")
    assert res.get_json()["error"]["code"] == "too_many_messages"


def test_status_speaks_plain_words_and_a_rejection_is_final_and_respectful(app, client, demo_job):
    interview, token = invite(demo_job)
    app_id = interview.application_id
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "等待你完成 AI 面试" in page and "继续 AI 面试" in page
    finish_interview(app_id)
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "面试已提交,正在评估" in page and "ai_scored" not in page and "AI报告" not in page
    advance_stage(app_id, "on_hold", actor="zhangwei", source="web")
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "面试已提交,正在评估" in page and "待定" not in page  # on hold is internal
    event = advance_stage(app_id, "rejected", actor="zhangwei", source="web")
    assert f"stage-notice-{event.id}" in queued_ids()  # the follow-up table posts the notice
    services.post_stage_notice(event.id)
    services.post_stage_notice(event.id)  # a rerun posts nothing more
    services.post_staff_message(app_id, "hr_lina", "你的逻辑思维能力突出,但对行业知识的了解有待提升。")
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "本次招聘流程已结束" in page and "等待评估" not in page and "正在评估" not in page
    assert "这不是对你能力的否定" in page and "你的逻辑思维能力突出" in page
    assert page.count("很遗憾未能进入下一轮") == 1
    assert "继续 AI 面试" not in page


def test_the_invitation_deadline_on_the_status_page_says_its_zone(app, client, demo_job):
    """「请在 12月11日 08:38 前完成」 on the status page and in the invitation's stage notice gave no zone, where the
    SMS and every other page say 「(北京时间)」."""
    interview, token = invite(demo_job)
    [event] = StageEvent.select().where((StageEvent.application == interview.application_id)
                                        & (StageEvent.to_stage == "ai_invited"))
    notice = services.post_stage_notice(event.id)
    assert "(北京时间) 前完成" in notice.body
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    due = page.split('data-testid="due">')[1].split("</p>")[0]
    assert due.startswith("请在 ") and due.endswith("(北京时间) 前完成")


def test_the_done_page_links_to_the_status_page(app, client, demo_job):
    interview, token = invite(demo_job)
    from app.interview.models import Interview
    Interview.update(status="completed").where(Interview.id == interview.id).execute()
    finish_interview(interview.application_id)
    advance_stage(interview.application_id, "rejected", actor="zhangwei", source="web")
    res = client.get(f"/i/{token}/done")
    html = res.get_data(as_text=True)
    assert res.status_code == 200, html[:500]
    assert "等待评估" not in html and "本次招聘流程已结束" in html and f"/i/{token}/status" in html


@pytest.mark.parametrize("stage", ["ai_invited"])
def test_an_expired_link_still_shows_the_status(app, client, demo_job, stage):
    import datetime as dt

    from app.core.base import utcnow
    from app.interview.models import Interview
    interview, token = invite(demo_job)
    Interview.update(expires_at=utcnow() - dt.timedelta(hours=1)).where(Interview.id == interview.id).execute()
    assert client.get(f"/i/{token}").status_code == 410
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "面试邀请已过期" in page
    assert StageEvent.select().where(StageEvent.to_stage == "expired").count() == 1


def test_attachments_go_with_the_retention_period_and_the_link_says_so(app, client, demo_job):
    import datetime as dt

    from app.conversation.models import Attachment
    from app.core.base import utcnow
    from app.privacy.retention import purge_expired_attachments
    _, token = invite(demo_job)
    sent = upload(client, token, "项目介绍.pdf", pdf_bytes())
    attachment_id = sent.get_json()["attachment"]["id"]
    assert purge_expired_attachments() == 0  # still within RETENTION_DAYS
    Attachment.update(created_at=utcnow() - dt.timedelta(days=400)).execute()
    assert purge_expired_attachments() == 1
    got = client.get(f"/i/{token}/attachments/{attachment_id}")
    assert got.status_code == 410 and "保留期限" in got.get_data(as_text=True)


def test_a_re_invitation_marks_the_old_invitation_notices_as_no_longer_valid(app, client, demo_job):
    """HR invited again (after an identity lock, at the same stage: no new notice; after an expired link: a new
    one): every invitation notice of a replaced link, with its old deadline, reads as no longer valid; the
    current link's does not."""
    import datetime as dt

    from app.core.base import utcnow
    from app.interview.models import Interview
    from tests.conversation.helpers import auth

    def invitation_notices():
        return [services.post_stage_notice(e.id) for e in StageEvent.select().where(
            StageEvent.to_stage == "ai_invited").order_by(StageEvent.id)]

    def superseded(token):
        messages = client.get("/mp/api/v1/conversation", headers=auth(token)).get_json()["messages"]
        return [m["id"] for m in messages if m["superseded"]]

    invite(demo_job)
    [first] = invitation_notices()
    relocked, token = invite(demo_job)  # still invited: no stage change, no new notice
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert page.count("已失效,请使用最新的面试链接") == 1
    assert page.index(first.body) < page.index("已失效,请使用最新的面试链接")
    assert superseded(token) == [first.id]

    Interview.update(expires_at=utcnow() - dt.timedelta(hours=1)).where(Interview.id == relocked.id).execute()
    assert client.get(f"/i/{token}").status_code == 410  # expired: the application moves to expired
    _, token = invite(demo_job)
    first, newest = invitation_notices()
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert page.count("已失效,请使用最新的面试链接") == 1 and superseded(token) == [first.id]
    assert page.index(first.body) < page.index("已失效,请使用最新的面试链接") < page.rindex(newest.body)


def test_at_the_second_round_before_it_is_arranged_the_card_promises_no_section_yet(app, client, demo_job):
    """进入复试 before HR arranged anything: no 「复试」 section exists yet, so the card says the times will appear
    there once HR arranges the round (it said they were 「都在下方「复试」里」)."""
    from tests.process.helpers import at_second_round
    _, token = at_second_round(demo_job)
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "恭喜,你已进入复试" in page and 'data-testid="process-link"' not in page
    assert "都在下方" not in page and "HR 安排好复试后" in page
    phase = client.get("/mp/api/v1/conversation", headers={"Authorization": f"Bearer {token}"}).get_json()["phase"]
    assert phase["next"].startswith("HR 安排好复试后")


def test_a_small_file_is_not_shown_as_0_kb(app, client, demo_job):
    """A text file of a few bytes showed "1 KB" while chosen and "0 KB" once sent (as if empty); sizes round up, as
    the data package's sizes do, on the status page and on HR's panel."""
    interview, token = invite(demo_job)
    small = upload(client, token, "说明.txt", "补充说明".encode())
    assert small.status_code == 201
    send(client, token, "补充", [small.get_json()["attachment"]["id"]])
    page = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "说明.txt" in page and "0 KB" not in page and '<span class="muted">1 KB</span>' in page


def test_the_done_page_says_which_time_its_completion_time_is(app, client, demo_job):
    """The landing page gives the link's deadline with its zone (北京时间); the done page's 完成时间 said none."""
    import datetime as dt

    from app.interview.models import Interview
    interview, token = invite(demo_job)
    Interview.update(status="completed", completed_at=dt.datetime(2031, 3, 10, 2, 5)).where(
        Interview.id == interview.id).execute()
    finish_interview(interview.application_id)
    html = client.get(f"/i/{token}/done").get_data(as_text=True)
    assert "2031-03-10 10:05(北京时间)" in html

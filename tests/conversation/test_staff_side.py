"""HR and managers reply from the application page: quick replies, the AI report's draft (never sent by itself),
saved job templates, attachments only for staff who may see the application."""
import html

from app.conversation.models import Message, ReplyTemplate
from app.core.base import utcnow
from app.core.pipeline import advance_stage
from app.interview.models import Interview, Report
from tests.conversation.helpers import invite, png_bytes, send, upload
from tests.support.reports import sign_in_as


def scored(job, client):
    interview, token = invite(job)
    for stage in ("ai_in_progress", "ai_completed"):
        advance_stage(interview.application_id, stage, actor="system", source="system")
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    Report.create(interview=interview, total=70.0, model_version="t", flags=[], dimensions={
        "逻辑思维": {"score": 88.0, "weight": 40, "answers": [], "evidence": []},
        "岗位匹配度": {"score": 72.0, "weight": 30, "answers": [], "evidence": []},
        "行业知识": {"score": 48.0, "weight": 30, "answers": [], "evidence": []}})
    advance_stage(interview.application_id, "ai_scored", actor="system", source="system")
    return interview, token


def test_the_ai_draft_fills_the_reply_box_and_nothing_is_sent_until_hr_sends(app, client, demo_job):
    interview, token = scored(demo_job, client)
    app_id = interview.application_id
    advance_stage(app_id, "rejected", actor="zhangwei", source="web")
    sign_in_as(client, "hr_lina", "李娜")
    before = Message.select().where(Message.sender_kind == "staff").count()
    page = client.get(f"/m/applications/{app_id}?compose=ai").get_data(as_text=True)
    assert "你在「逻辑思维」方面表现突出" in page and "在「行业知识」方面还有提升空间" in page
    assert "岗位匹配度」方面表现突出" not in page  # 72 is neither a strength nor a concern
    assert "这是草稿,不会自动发送" in page
    assert Message.select().where(Message.sender_kind == "staff").count() == before

    edited = "李明你好,感谢参加面试。你的逻辑思维能力突出,但对行业知识的了解有待提升。祝顺利!"
    res = client.post(f"/m/applications/{app_id}/messages", data={"body": edited, "action": "send"})
    assert res.status_code == 302 and res.headers["Location"].endswith("#conversation")
    assert Message.get(Message.sender_kind == "staff").body == edited
    status = client.get(f"/i/{token}/status").get_data(as_text=True)
    assert "本次招聘流程已结束" in status and "对行业知识的了解有待提升" in status and "李娜" in status


def test_quick_replies_per_stage_and_saved_job_templates(app, client, demo_job):
    interview, token = scored(demo_job, client)
    app_id = interview.application_id
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{app_id}").get_data(as_text=True)
    assert "评估中" in page and "复试通知" not in page  # offered by stage
    res = client.post(f"/m/applications/{app_id}/messages", data={
        "action": "save_template", "title": "复试地点", "body": "{name}你好,复试在深圳南山区科技园A座,请带身份证。"})
    assert res.status_code == 302
    template = ReplyTemplate.get()
    page = client.get(f"/m/applications/{app_id}?compose=j:{template.id}").get_data(as_text=True)
    assert "李明你好,复试在深圳南山区科技园A座" in page
    page = client.get(f"/m/applications/{app_id}?compose=t:logistics").get_data(as_text=True)
    assert "李明你好,面试安排如下" in page


def test_staff_open_attachments_only_of_applications_they_may_see(app, client, demo_job):
    interview, token = invite(demo_job)
    attachment_id = upload(client, token, "作品.png", png_bytes()).get_json()["attachment"]["id"]
    send(client, token, "作品截图", [attachment_id])
    sign_in_as(client, "hr_lina")
    got = client.get(f"/m/applications/{interview.application_id}/attachments/{attachment_id}")
    assert got.status_code == 200 and got.mimetype == "image/png"
    assert "作品截图" in client.get(f"/m/applications/{interview.application_id}").get_data(as_text=True)
    from tests.support.app import import_job
    import_job("sales-representative.yaml")
    sign_in_as(client, "wangfang")  # a manager of another job: the application is not hers
    assert client.get(f"/m/applications/{interview.application_id}/attachments/{attachment_id}").status_code == 404


def test_an_empty_reply_is_refused_with_a_message(app, client, demo_job):
    interview, _ = invite(demo_job)
    sign_in_as(client, "hr_lina")
    res = client.post(f"/m/applications/{interview.application_id}/messages", data={"body": "  ", "action": "send"},
                      follow_redirects=True)
    assert "回复不能为空" in res.get_data(as_text=True)
    assert Message.select().where(Message.sender_kind == "staff").count() == 0


def test_a_reply_over_the_limit_is_refused_and_the_page_gives_it_back_as_typed(app, client, demo_job):
    """HR's reply of 2,001 characters or more used to be refused with the text gone: the page now shows the error
    and the whole text in the reply box (once: a reload shows an empty box), and nothing is sent."""
    interview, _ = invite(demo_job)
    app_id = interview.application_id
    sign_in_as(client, "hr_lina")
    typed = "李明你好,关于复试安排<请注意>:" + "时间地点如下。" * 300 + "结尾一句"
    assert len(typed) > 2000
    res = client.post(f"/m/applications/{app_id}/messages", data={"body": typed, "action": "send"},
                      follow_redirects=True)
    page = res.get_data(as_text=True)
    assert f"消息最多 2000 字,这条有 {len(typed)} 字" in page
    reply_box = page.split('data-testid="reply-body">', 1)[1].split("</textarea>", 1)[0]
    assert html.unescape(reply_box) == typed
    assert "超过 2000 字的上限" in page
    assert Message.select().where(Message.sender_kind == "staff").count() == 0
    again = client.get(f"/m/applications/{app_id}").get_data(as_text=True)
    assert 'data-testid="reply-body"></textarea>' in again


def test_a_refused_template_keeps_its_title_and_text(app, client, demo_job):
    interview, _ = invite(demo_job)
    app_id = interview.application_id
    sign_in_as(client, "hr_lina")
    res = client.post(f"/m/applications/{app_id}/messages", data={
        "action": "save_template", "title": "", "body": "{name}你好,复试在深圳。"}, follow_redirects=True)
    page = res.get_data(as_text=True)
    assert "模板名称需要1到40个字" in page and "{name}你好,复试在深圳。</textarea>" in page
    assert ReplyTemplate.select().count() == 0

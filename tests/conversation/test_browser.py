"""In Chromium posing as WeChat (390x844): the candidate writes with attachments, HR is told on the sandbox
phone, replies with a quick reply, the candidate reads it; a rejected candidate sees the final status and the
feedback; script in a message stays text; a refused attachment says so next to the file; the kf window holds the
sixth reply."""
import pytest

from app.conversation import channels
from app.conversation.models import Message
from app.core.base import utcnow
from app.core.models import Note
from app.core.pipeline import advance_stage
from app.interview import decisions
from app.interview.models import Interview, Report
from tests.conversation.helpers import invite, pdf_bytes, png_bytes, work_until_events_handled
from tests.support.app import import_job
from tests.support.browser import shot, signed_in_page
from tests.support.wecom import run_fast_worker

pytestmark = pytest.mark.timeout(180)


def scored_candidate():
    job = import_job("backend-engineer.yaml")
    interview, token = invite(job)
    for stage in ("ai_in_progress", "ai_completed"):
        advance_stage(interview.application_id, stage, actor="system", source="system")
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    Report.create(interview=interview, total=70.0, model_version="t", flags=[], dimensions={
        "逻辑思维": {"score": 86.0, "weight": 40, "answers": [], "evidence": []},
        "行业知识": {"score": 52.0, "weight": 30, "answers": [], "evidence": []}})
    advance_stage(interview.application_id, "ai_scored", actor="system", source="system")
    return interview, token


def staff_sign_in(page, app_url, path, userid):
    page.goto(app_url + path)
    if "/connect/oauth2/authorize" in page.url:
        page.click(f"button[value={userid}]")
    page.wait_for_url(f"{app_url}{path.split('#')[0]}*")


def test_candidate_writes_hr_is_told_and_replies_then_rejection_with_feedback(wecom_env, phone, redis_conn,
                                                                             tmp_path):
    app, app_url, box = wecom_env
    page = phone
    interview, token = scored_candidate()
    app_id = interview.application_id
    (tmp_path / "项目介绍.pdf").write_bytes(pdf_bytes())
    (tmp_path / "架构图.png").write_bytes(png_bytes())

    page.goto(f"{app_url}/i/{token}/status")
    assert page.inner_text("[data-testid=status]") == "面试已提交,正在评估"
    shot(page, "conversation-1-status-evaluating")
    page.fill("#compose-text", "补充一下我负责的支付系统:日均 200 万笔,我设计了对账模块。\n"
                               "<script>document.title='pwned'</script>")
    page.set_input_files("#compose-input", [str(tmp_path / "项目介绍.pdf"), str(tmp_path / "架构图.png")])
    assert page.locator(".compose__file").count() == 2
    shot(page, "conversation-2-compose-with-files")
    page.click("#compose-send")
    page.wait_for_selector("[data-from=candidate] .chat__file")
    assert page.title() != "pwned"
    assert "<script>document.title='pwned'</script>" in page.inner_text("[data-from=candidate] .chat__text")
    assert page.locator("[data-from=candidate] img").count() == 1  # the photo shows inline
    shot(page, "conversation-3-sent")

    run_fast_worker(redis_conn)
    page.goto(f"{box.url}/phone/hr_lina")
    notice = page.locator(".bubble", has_text="发来新消息")
    assert notice.count() == 1 and "李明" in notice.inner_text()
    shot(page, "conversation-4-hr-phone-notice")
    notice.locator("a", has_text="查看并回复").click()
    if "/connect/oauth2/authorize" in page.url:
        page.click("button[value=hr_lina]")
    page.wait_for_selector("#conversation")
    assert "支付系统" in page.inner_text("#conversation")
    page.click("[data-testid='compose-t:received']")
    body = page.locator("[data-testid=reply-body]")
    assert body.input_value().startswith("李明你好,你发来的材料已收到")
    body.fill(body.input_value() + "对账模块的设计很有意思,复试时可以详细聊聊。")
    shot(page, "conversation-5-hr-reply-template")
    with page.expect_navigation():
        page.click("[data-testid=reply-send]")
    assert "已发送" in page.inner_text(".flash")

    page.goto(f"{app_url}/i/{token}/status")
    staff = page.locator("[data-from=staff] .chat__text")
    assert "对账模块的设计很有意思" in staff.inner_text()
    shot(page, "conversation-6-candidate-sees-reply")

    decisions.decide(app_id, "rejected", "zhangwei", "web")
    run_fast_worker(redis_conn)
    staff_sign_in(page, app_url, f"/m/applications/{app_id}?compose=ai", "hr_lina")
    draft = page.locator("[data-testid=reply-body]").input_value()
    assert "你在「逻辑思维」方面表现突出" in draft and "在「行业知识」方面还有提升空间" in draft
    edited = draft.replace("还有提升空间", "的了解有待提升,建议多关注支付行业的监管变化")
    page.locator("[data-testid=reply-body]").fill(edited)
    with page.expect_navigation():
        page.click("[data-testid=reply-send]")
    page.goto(f"{app_url}/i/{token}/status")
    assert page.inner_text("[data-testid=status]") == "本次招聘流程已结束"
    text = page.inner_text("#messages")
    assert "很遗憾未能进入下一轮" in text and "建议多关注支付行业的监管变化" in text
    assert "等待评估" not in page.content()
    shot(page, "conversation-7-rejected-with-feedback")


def test_a_refused_attachment_says_why_next_to_the_file_and_nothing_is_sent(live_app, phone, tmp_path):
    """A file the server refuses (here a program named tool.exe) kept its row at 「100%」 once the 6 s toast was gone,
    as if it had been sent: the row now says 「未发送:…」 in red, and the typed text stays for another try."""
    app, app_url = live_app
    _, token = scored_candidate()
    (tmp_path / "tool.exe").write_bytes(b"MZ\x90\x00 not a document")
    phone.goto(f"{app_url}/i/{token}/status")
    phone.fill("#compose-text", "请看附件")
    phone.set_input_files("#compose-input", str(tmp_path / "tool.exe"))
    phone.click("#compose-send")
    refused = phone.wait_for_selector(".compose__state_refused")
    assert refused.inner_text().startswith("未发送:") and "100%" not in phone.inner_text("#compose-files")
    assert phone.input_value("#compose-text") == "请看附件" and Message.select().count() == 0
    shot(phone, "conversation-refused-attachment")


def test_the_sixth_kf_reply_is_held_and_hr_is_told(wecom_env, phone, redis_conn):
    app, app_url, box = wecom_env
    page = phone
    interview, token = scored_candidate()
    app_id = interview.application_id
    channels.link(app_id, "kf", "wmCandidate01", "wkSandboxRecruit01")
    res = box.api("post", "/sandbox/api/kf/customer-message",
                  json={"external_userid": "wmCandidate01", "content": "请问什么时候有结果?"})
    box.wait_deliveries(res["deliveries"])
    work_until_events_handled(redis_conn)

    staff_sign_in(page, app_url, f"/m/applications/{app_id}", "hr_lina")
    assert "48小时窗口内还可发 5 条" in page.inner_text("#conversation")
    for i in range(6):
        page.fill("[data-testid=reply-body]", f"第{i + 1}条:结果预计周五前出来")
        with page.expect_navigation():
            page.click("[data-testid=reply-send]")
    flash = page.inner_text(".flash")
    assert "微信客服未发送" in flash and "只在状态页显示" in flash
    run_fast_worker(redis_conn)
    page.reload()
    shot(page, "conversation-8-hr-kf-window-used")
    assert page.locator("[data-testid=delivery]", has_text="未发送,仅状态页可见").count() == 1
    page.goto(f"{box.url}/kf/wmCandidate01")
    assert page.locator("[data-from=kf]").count() == 5
    shot(page, "conversation-9-kf-chat-five-replies")
    page.goto(f"{app_url}/i/{token}/status")
    assert page.locator("[data-from=staff]").count() == 6  # all six on the status page


def test_a_pasted_reply_or_note_over_2000_characters_is_refused_whole_not_cut(live_app, phone):
    """The reply and note boxes carried maxlength=2000: a longer text pasted into them was cut to its first 2,000
    characters without a word and sent (saved) so, the rest lost. Now the server refuses it, says how long it is, and
    the box gives back the whole text; nothing is sent or saved."""
    app, app_url = live_app
    interview, _ = scored_candidate()
    app_id = interview.application_id
    hr = signed_in_page(phone, app, app_url, "hr_lina", width=390, height=844)
    hr.goto(f"{app_url}/m/applications/{app_id}")
    reply = "关于复试的安排,请注意以下事项。" * 140 + "结尾"
    assert len(reply) > 2000
    hr.focus("[data-testid=reply-body]")
    hr.keyboard.insert_text(reply)   # as a paste
    with hr.expect_navigation():
        hr.click("[data-testid=reply-send]")
    assert f"这条有 {len(reply)} 字" in hr.inner_text(".flash")
    assert hr.input_value("[data-testid=reply-body]") == reply
    assert "超过 2000 字的上限" in hr.inner_text("#conversation")
    assert Message.select().where(Message.sender_kind == "staff").count() == 0
    note = "面试表现记录:沟通清楚。" * 180
    hr.focus("[data-testid=note-body]")
    hr.keyboard.insert_text(note)
    with hr.expect_navigation():
        hr.click("[data-testid=note-save]")
    assert f"这条有 {len(note)} 字" in hr.inner_text(".flash")
    assert hr.input_value("[data-testid=note-body]") == note and Note.select().count() == 0
    shot(hr, "conversation-long-reply-and-note-kept")
    hr.context.close()

"""The front of the funnel in Chromium: HR creates a job in /admin (1280 px), shares its posting; a candidate
applies from a 390 px WeChat view with a PDF resume; real RQ workers parse and screen; HR sees the ranked list
with reasons and invites in bulk; the candidate's own link now opens the AI interview."""
import re

import pytest

from tests.support.browser import ARTIFACTS, shot, signed_in_page
from tests.support.funnel import pdf_resume, run_workers

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

REQUIREMENTS = "1. 本科及以上学历,3年以上后端开发经验;\n2. 熟悉 Python,熟悉 PostgreSQL;\n3. 有消息队列经验者优先"


def test_posting_apply_screen_bulk_invite(live_app, phone, redis_conn, tmp_path):
    app, base = live_app
    hr = signed_in_page(phone, app, base, "hr_lina")

    hr.goto(f"{base}/admin/")
    hr.click("#new-job")
    hr.fill("input[name=title]", "后端开发工程师")
    hr.fill("input[name=location]", "上海")
    hr.fill("textarea[name=description]", "负责招聘SaaS平台的后端服务。")
    hr.fill("textarea[name=requirements]", REQUIREMENTS)
    hr.fill("textarea[name=q_text]", "请讲一次你排查线上性能问题的经历。")
    hr.locator("input[name=dim_weight]").nth(2).fill("50")
    assert hr.text_content("#weight-sum") == "110"             # shown live, before saving
    shot(hr, "funnel-1-job-editor-1280")
    hr.locator("input[name=dim_weight]").nth(2).fill("40")
    assert hr.text_content("#weight-sum") == "100"
    hr.click("#save-job")
    hr.wait_for_selector("#postings")
    assert "已保存为第 1 版" in hr.content()
    hr.select_option("#channel", "wechat_group")
    hr.click("#new-link")
    url = hr.locator("[data-testid=posting-url]").first.text_content()
    shot(hr, "funnel-2-job-page-1280")
    job_page = hr.url.split("#")[0]
    hr.set_viewport_size({"width": 390, "height": 844})
    hr.goto(f"{job_page}/preview")
    assert "请讲一次你排查线上性能问题的经历" in hr.text_content(".question-text")   # the candidate's view
    shot(hr, "funnel-2b-preview-390")
    hr.set_viewport_size({"width": 1280, "height": 800})

    phone.goto(url)
    shot(phone, "funnel-3-posting-390")
    phone.fill("input[name=name]", "张伟")
    phone.fill("input[name=phone]", "13800001234")
    resume = tmp_path / "张伟-简历.pdf"
    resume.write_bytes(pdf_resume(skills=("Python", "PG", "Kafka")))
    phone.set_input_files("#resume", str(resume))
    phone.check("input[name=consent]")
    phone.click("#submit")
    phone.wait_for_selector("[data-testid=stage]")
    assert "申请已提交" in phone.content()
    applied_url = phone.url
    shot(phone, "funnel-4-applied-390")

    run_workers(redis_conn)   # parse the PDF, screen the application

    hr.goto(f"{base}/admin/")
    hr.click("#workbench")
    hr.wait_for_selector("[data-application]")
    row = hr.locator("[data-application]").first
    assert "张伟" in row.text_content() and "经历中使用:「PG」" in row.text_content()
    assert row.locator(".strength.used").first.is_visible() and row.locator("[data-testid=evidence]").first.is_visible()
    assert "消息队列" in row.text_content() and "Kafka" in row.text_content()   # Kafka counts as 消息队列
    assert "按经历内容与岗位相近的约" in row.text_content()   # the work entries relevant by meaning (roles.py)
    shot(hr, "funnel-5-workbench-1280")
    hr.set_viewport_size({"width": 390, "height": 844})
    shot(hr, "funnel-5b-workbench-390")
    hr.set_viewport_size({"width": 1280, "height": 800})
    hr.check("#check-all")
    hr.select_option("#bulk-action", "invite")
    hr.click("#bulk-submit")
    hr.wait_for_selector(".flash")
    assert "邀请AI面试:成功 1 人" in hr.text_content(".flash")
    shot(hr, "funnel-6-invited-1280")

    phone.goto(applied_url)                        # the candidate's own link now opens the interview
    phone.wait_for_selector("#start")
    assert re.search(r"/i/[\w-]+$", phone.url) and "你好" in phone.content()
    assert "张伟" not in phone.content()           # no stored name before the identity check (issue 20)
    shot(phone, "funnel-7-interview-landing-390")
    assert not [m for m in phone.console_messages if m.startswith(("error", "pageerror"))]
    assert (ARTIFACTS / "browser" / "funnel-7-interview-landing-390.png").exists()


def test_bad_file_is_refused_on_the_phone(live_app, phone, redis_conn, tmp_path):
    from app.screening import intake
    from app.screening.job_templates import import_template
    from tests.support.funnel import backend_template
    job = import_template(backend_template())
    link = intake.create_link(job.id, "moments")
    phone.goto(f"{live_app[1]}/p/{link.code}")
    phone.fill("input[name=name]", "张伟")
    phone.fill("input[name=phone]", "13800001234")
    bad = tmp_path / "resume.pdf"
    bad.write_bytes(b"this is not a pdf at all")
    phone.set_input_files("#resume", str(bad))
    phone.click("label:has(input[value=能])")
    phone.check("input[name=consent]")
    phone.click("#submit")
    phone.wait_for_selector(".form-error")
    assert "「resume.pdf」的内容不是真正的 PDF 文件" in phone.text_content(".form-error")
    assert phone.input_value("input[name=name]") == "张伟"     # what they typed is kept
    shot(phone, "funnel-8-bad-file-390")


def test_knockout_rejection_is_explained_to_the_candidate(live_app, phone, redis_conn, tmp_path):
    from app.screening import intake
    from app.screening.job_templates import import_template
    from tests.support.funnel import backend_template
    job = import_template(backend_template(knockout_rejects=True))
    link = intake.create_link(job.id, "qr_poster")
    phone.goto(f"{live_app[1]}/p/{link.code}")
    phone.fill("input[name=name]", "李娜")
    phone.fill("input[name=phone]", "139 0000 2222")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(pdf_resume(name="李娜", phone="13900002222"))
    phone.set_input_files("#resume", str(resume))
    phone.click("label:has(input[value=不能])")
    phone.check("input[name=consent]")
    phone.click("#submit")
    phone.wait_for_selector("[data-testid=stage]")
    run_workers(redis_conn)
    phone.reload()
    assert phone.text_content("[data-testid=stage]") == "本次招聘流程已结束"   # the candidate's words, not HR's 淘汰
    assert "能否接受在上海办公" in phone.text_content("[data-testid=message]")
    shot(phone, "funnel-9-rejected-with-reason-390")


@pytest.mark.parametrize("live_app", [{"RATE_LIMIT_APPLY_PHONE": "1 per hour"}], indirect=True)
def test_too_many_applications_get_a_clear_page_with_the_form_kept(live_app, phone, redis_conn, tmp_path):
    """The apply form's rate limit (per phone here): 429, a Chinese message, what was typed still there."""
    from app.screening import intake
    from app.screening.job_templates import import_template
    from tests.support.funnel import backend_template
    job = import_template(backend_template())
    link = intake.create_link(job.id, "wechat_group")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(pdf_resume(name="张伟", phone="13800001234"))
    statuses = []
    phone.on("response", lambda r: statuses.append(r.status) if r.request.method == "POST" else None)
    for _ in range(2):
        phone.goto(f"{live_app[1]}/p/{link.code}")
        phone.fill("input[name=name]", "张伟")
        phone.fill("input[name=phone]", "138 0000 1234")
        phone.set_input_files("#resume", str(resume))
        phone.click("label:has(input[value=能])")
        phone.check("input[name=consent]")
        phone.click("#submit")
        phone.wait_for_load_state()
    assert statuses == [302, 429]
    assert "提交太频繁" in phone.text_content("[data-testid=apply-error]")
    assert phone.input_value("input[name=name]") == "张伟" and phone.input_value("input[name=phone]") == "138 0000 1234"
    assert phone.is_checked("input[value=能]") and phone.is_checked("input[name=consent]")
    box = phone.locator("[data-testid=apply-error]").bounding_box()   # on the phone's first screen
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= phone.viewport_size["height"]
    phone.screenshot(path=str(ARTIFACTS / "browser" / "funnel-10-too-many-390-screen.png"))
    shot(phone, "funnel-10-too-many-390")

"""In Chromium: HR invites a candidate from the home page (1280 px); the sandbox phone (390 px) receives the invitation
SMS and the candidate opens its link; HR's application page lists the notice with its channel and state; the
workbench's bulk invite says per candidate where it went. Screenshots under test-artifacts/notifications/."""
import re

import pytest
import requests

from app.core.db import database
from app.core.models import Application, Candidate
from tests.notifications.conftest import quiet_hours_away_from_now
from tests.support.app import import_job, make_app
from tests.support.browser import shot
from tests.support.servers import Served, free_port
from tests.support.wecom import CORP, run_fast_worker, start_sandbox

pytestmark = pytest.mark.timeout(240)
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False,
           "device_scale_factor": 1}


@pytest.fixture
def served(tmp_path, redis_conn):
    """(app_url, sandbox): the app over HTTP (CSRF on), WeCom sign-in and SMS both on the sandbox, whose texts link
    back to the app."""
    app_port, box_port = free_port(), free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    box = start_sandbox(tmp_path, callback_url=f"{app_url}/wecom/callback", port=box_port, sms_link_base=app_url)
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=app_url, WECOM_SANDBOX=True,
                   WECOM_API_BASE=f"{box.url}/cgi-bin/", WECOM_TIMEOUT=5, HR_USERIDS=["hr_lina"],
                   SMS_PROVIDER="tencent",
                   SMS_ENDPOINT=box.url, SMS_QUIET_HOURS=quiet_hours_away_from_now(), **CORP)
    server = Served(app, app_port)
    try:
        with app.app_context(), database.connection_context():
            yield app_url, box
    finally:
        server.stop()
        box.stop()


def sign_in(page, app_url, path, userid="hr_lina"):
    page.goto(app_url + path)
    if "/connect/oauth2/authorize" in page.url:
        page.click(f"button[value={userid}]")
    page.wait_for_url(f"{app_url}{path}*")


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_hr_invites_the_phone_gets_the_sms_and_the_pages_say_where_it_went(served, redis_conn, phone):
    app_url, box = served
    job = import_job("backend-engineer.yaml")
    for name, number in (("张伟", "13800001111"), ("王芳", "021-5555-1234")):
        Application.create(candidate=Candidate.create(name=name, phone=number), job=job, stage="applied")

    desktop = phone.context.browser.new_context(locale="zh-CN", **DESKTOP)   # one Chromium, two windows
    hr = desktop.new_page()
    hr.set_default_timeout(20000)
    sign_in(hr, app_url, "/admin/")
    hr.fill("input[name=name]", "李明")
    hr.fill("input[name=phone]", "13800001234")
    with hr.expect_navigation():
        hr.click("text=生成面试链接")
    assert "已通知候选人:短信 138****1234" in hr.inner_text(".invite-sent")
    shot(hr, "hr-invited-1280", folder="notifications")
    url = hr.input_value("#invite-url")

    run_fast_worker(redis_conn)
    phone.goto(f"{box.url}/sms/13800001234")
    bubble = phone.locator(".sms .bubble").first
    assert "李明您好" in bubble.inner_text() and "邀请您参加「后端开发工程师」AI面试" in bubble.inner_text()
    shot(phone, "phone-invitation-sms-390", folder="notifications")
    bubble.locator("a").click()
    phone.wait_for_url(url)
    assert "后端开发工程师" in phone.content() and fits(phone)
    shot(phone, "phone-invitation-opened-390", folder="notifications")

    row = Application.get(Application.candidate == Candidate.get(Candidate.phone == "13800001234"))
    hr.goto(f"{app_url}/m/applications/{row.id}")
    notices = hr.locator("[data-testid=candidate-notices]")
    assert "AI面试邀请" in notices.inner_text() and "短信 发送中" in notices.inner_text()
    notices.scroll_into_view_if_needed()
    shot(hr, "hr-application-notices-1280", folder="notifications")

    hr.goto(f"{app_url}/admin/applications?job={job.id}")
    for name in ("张伟", "王芳"):
        hr.check(f"input[aria-label='选择 {name}']")
    hr.select_option("#bulk-action", "invite")
    with hr.expect_navigation():
        hr.click("#bulk-submit")
    flashes = hr.inner_text("main")
    assert "邀请AI面试:成功 2 人" in flashes and "张伟 · AI面试邀请:短信 138****1111" in flashes
    assert "没有可用的通知渠道,请把面试链接发给候选人" in flashes
    shot(hr, "hr-bulk-invite-1280", folder="notifications")
    desktop.close()

    # HR's pages on a phone (WeCom's in-app browser): the invite result and the application's notices fit 390 px
    sign_in(phone, app_url, f"/m/applications/{row.id}")
    assert "短信 发送中" in phone.inner_text("[data-testid=candidate-notices]") and fits(phone)
    shot(phone, "hr-application-notices-390", folder="notifications")
    phone.goto(f"{app_url}/admin/")
    phone.fill("input[name=name]", "赵敏")
    phone.fill("input[name=phone]", "13800002345")
    with phone.expect_navigation():
        phone.click("text=生成面试链接")
    assert "已通知候选人:短信 138****2345" in phone.inner_text(".invite-sent") and fits(phone)
    shot(phone, "hr-invited-390", folder="notifications")


def test_the_code_gated_candidate_pages_fit_a_phone(served, phone):
    from app.interview.invitations import invite_candidate
    from app.screening import intake
    from tests.support.funnel import pdf_resume

    app_url, box = served
    job = import_job("backend-engineer.yaml")
    _, token = invite_candidate(job.id, "李明", "13800001234")
    phone.goto(f"{app_url}/i/{token}/my-data.json")
    assert phone.locator("[data-testid=verify-export] .phone-code").count() == 1 and fits(phone)
    shot(phone, "verify-export-390", folder="notifications")
    phone.goto(f"{app_url}/i/{token}/my-data/delete")
    assert phone.locator("[data-purpose=data_deletion]").count() == 1 and fits(phone)
    shot(phone, "confirm-delete-code-390", folder="notifications")

    link = intake.create_link(import_job("sales-representative.yaml").id, "wechat_group", "hr_lina")
    _, applied, _ = intake.apply(link.code, "李明", "13800001234", pdf_resume(name="李明", phone="13800001234"),
                                 "cv.pdf", {})
    phone.goto(f"{app_url}/p/applied/{applied}")
    phone.click("[data-testid=same-phone-step] a")
    phone.wait_for_url(f"{app_url}/p/applied/{applied}/same-phone")
    assert phone.locator("[data-purpose=apply_merge]").count() == 1 and fits(phone)
    shot(phone, "join-records-390", folder="notifications")

    from app.core.models import Job
    from app.interview import flow as interview_flow
    Job.update(identity_by_sms=True).where(Job.id == job.id).execute()
    interview, token = invite_candidate(job.id, "王芳", "13800004321")
    interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
    phone.goto(f"{app_url}/i/{token}/identity")
    assert phone.locator("[data-purpose=identity]").count() == 1 and phone.locator("#phone_last4").count() == 0
    assert fits(phone)
    shot(phone, "identity-by-code-390", folder="notifications")
    phone.fill("#name", "王芳")
    phone.fill("#phone-code-phone", "13800004321")
    phone.click(".phone-code__send")
    phone.wait_for_selector("text=验证码已发送至 138****4321")
    sms_page = requests.get(f"{box.url}/sms/13800004321", timeout=5).text
    phone.fill("#phone-code-code", re.search(r'aria-label="验证码">(\d{6})<', sms_page).group(1))
    phone.click(".phone-code__verify")
    phone.wait_for_selector("text=手机号已验证")
    with phone.expect_navigation():
        phone.click("#identity-submit")
    assert phone.url.endswith(f"/i/{token}/device")

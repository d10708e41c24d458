"""In Chromium at 390 px: the sandbox phone receives the invitation SMS and the candidate opens its link; the SMS
code block proves a phone; the unsubscribe link. Screenshots under test-artifacts/notifications/."""
import re

import pytest
import requests
from flask import Blueprint, render_template_string

from app.core.db import database
from app.interview.invitations import invite_candidate
from app.notifications import consent, routing, sending
from tests.notifications.conftest import quiet_hours_away_from_now
from tests.support.app import import_job, make_app
from tests.support.browser import shot
from tests.support.servers import Served, free_port
from tests.support.wecom import run_fast_worker, start_sandbox

pytestmark = pytest.mark.timeout(180)

# A page that only includes the code block, as the apply / export / deletion pages will (phase 2).
CODE_PAGE = """{% extends "base.html" %}{% block body %}<main class="page"><form>
{% with purpose="data_export", phone="" %}{% include "notifications/_phone_code.html" %}{% endwith %}
</form></main>{% endblock %}"""


@pytest.fixture
def sms_web(tmp_path, redis_conn):
    """(app, app_url, sandbox): the app served over HTTP with CSRF on, its SMS going to the sandbox, whose texts
    link back to it."""
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    box = start_sandbox(tmp_path, sms_link_base=app_url)
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=app_url, SMS_PROVIDER="tencent",
                   SMS_ENDPOINT=box.url, SMS_QUIET_HOURS=quiet_hours_away_from_now())
    page = Blueprint("code_page", __name__)
    page.add_url_rule("/test/phone-code", "show", lambda: render_template_string(CODE_PAGE))
    app.register_blueprint(page)
    served = Served(app, port)
    try:
        with app.app_context(), database.connection_context():
            yield app, app_url, box
    finally:
        served.stop()
        box.stop()


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_invitation_sms_arrives_and_its_link_opens_the_interview(sms_web, phone, redis_conn):
    app, app_url, box = sms_web
    job = import_job("backend-engineer.yaml")
    interview, token = invite_candidate(job.id, "李明", "13800001234")
    values = {"name": "李明", "company": "示例科技", "job": job.title, "deadline": "3月12日 18:00", "token": token}
    sending.notify(interview.application_id, "invitation", values,
                   routing.plan("invitation", routing.Reach(phone="+8613800001234")),
                   idempotency_key=f"invite:{interview.id}")
    run_fast_worker(redis_conn)

    phone.goto(f"{box.url}/sms/13800001234")
    bubble = phone.locator(".sms .bubble").first
    assert "李明您好,示例科技邀请您参加「后端开发工程师」AI面试" in bubble.inner_text()
    assert no_overflow(phone)
    shot(phone, "sms-phone-invitation", folder="notifications")
    bubble.locator("a").click()
    phone.wait_for_url(f"{app_url}/i/{token}")
    assert "后端开发工程师" in phone.content() and no_overflow(phone)
    shot(phone, "invitation-link-opened", folder="notifications")


def test_the_code_block_proves_a_phone(sms_web, phone):
    app, app_url, box = sms_web
    phone.goto(f"{app_url}/test/phone-code")
    phone.fill("#phone-code-phone", "138 0000 1234")
    phone.click(".phone-code__send")
    phone.wait_for_selector("text=验证码已发送至 138****1234")
    assert phone.inner_text(".phone-code__send").startswith("重发(")
    sms_page = requests.get(f"{box.url}/sms/13800001234", timeout=5).text
    code = re.search(r'aria-label="验证码">(\d{6})<', sms_page).group(1)
    phone.fill("#phone-code-code", "000000" if code != "000000" else "111111")
    phone.click(".phone-code__verify")
    phone.wait_for_selector("text=验证码不正确,还可以再试 4 次")
    shot(phone, "phone-code-wrong", folder="notifications")
    phone.fill("#phone-code-code", code)
    phone.click(".phone-code__verify")
    phone.wait_for_selector("text=手机号已验证")
    assert phone.input_value(".phone-code__proof") and no_overflow(phone)
    shot(phone, "phone-code-verified", folder="notifications")
    phone.goto(f"{box.url}/sms/13800001234")
    shot(phone, "sms-phone-code", folder="notifications")


def test_the_unsubscribe_link(sms_web, phone):
    app, app_url, box = sms_web
    phone.goto(f"{app_url}/u/{consent.unsubscribe_token('13800001234')}")
    assert no_overflow(phone)
    shot(phone, "unsubscribe-ask", folder="notifications")
    phone.click("[data-testid=confirm-unsubscribe]")
    phone.wait_for_selector("[data-testid=unsubscribed]")
    assert consent.opted_out("13800001234")
    shot(phone, "unsubscribe-done", folder="notifications")


def test_the_deletion_page_asks_for_the_phone_before_its_submit(sms_web, phone):
    """With SMS on, the deletion page's confirm button is disabled until the code block verifies the phone (it
    gave a bare "403 · phone_not_verified" page when pressed before); then it files the request."""
    from app.privacy.models import DeletionRequest

    app, app_url, box = sms_web
    _, token = invite_candidate(import_job("backend-engineer.yaml").id, "王芳", "13800009992")
    phone.goto(f"{app_url}/i/{token}/my-data/delete")
    submit = phone.locator("[data-testid=confirm-deletion]")
    assert submit.is_disabled() and phone.locator("[data-testid=verify-first]").is_visible()
    assert no_overflow(phone)
    shot(phone, "privacy-delete-before-verify", folder="notifications")
    phone.fill("#phone-code-phone", "13800009992")
    phone.click(".phone-code__send")
    phone.wait_for_selector("text=验证码已发送至 138****9992")
    code = re.search(r'aria-label="验证码">(\d{6})<', requests.get(f"{box.url}/sms/13800009992", timeout=5).text)
    phone.fill("#phone-code-code", code.group(1))
    phone.click(".phone-code__verify")
    phone.wait_for_selector("text=手机号已验证")
    assert submit.is_enabled() and not phone.locator("[data-testid=verify-first]").is_visible()
    shot(phone, "privacy-delete-verified", folder="notifications")
    with phone.expect_navigation():
        submit.click()
    assert DeletionRequest.get().status == "pending"
    assert phone.locator("[data-testid=deletion-state][data-status=pending]").count() == 1

"""Staff are picked from the WeCom directory (the sandbox's user/simplelist) for a panel and for availability,
and a userid WeCom does not know is refused by name on both, over HTTP against the sandbox."""
import datetime as dt
import re

import pytest

from app.core.extensions import redis_client
from app.process import scheduling
from app.process.models import InterviewerWindow, Round
from app.wecom import users
from tests.process.helpers import at_second_round, hour, local_input
from tests.support.browser import shot
from tests.support.reports import sign_in_as


def _post(client, page_url, url, data):
    """POST a form of the page at page_url the way the browser does (CSRF is on: the token comes from the page)."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page_url).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=True).get_data(as_text=True)


def test_the_directory_comes_from_wecom_once_and_says_when_it_could_not(wecom_env):
    app, app_url, box = wecom_env
    found = users.directory()
    assert found.complete and ("wangfang", "王芳") in found.members and ("liuyang", "刘洋") in found.members
    users.directory()
    assert len(box.requests_to("user/simplelist")) == 1           # cached
    redis_client.get().delete(users.DIRECTORY_KEY)
    box.arm("-1", endpoint="user/simplelist")                      # WeCom busy: the directory cannot be read
    fallback = users.directory()
    assert not fallback.complete and ("hr_lina", "hr_lina") in fallback.members


def test_availability_and_the_panel_refuse_a_userid_wecom_does_not_know(wecom_env, backend_job):
    app, app_url, box = wecom_env
    client = app.test_client()
    sign_in_as(client, "hr_lina", "李娜")
    start, end = local_input(hour()), local_input(hour() + dt.timedelta(hours=6))

    page = client.get("/m/availability?userid=wangfang").get_data(as_text=True)
    assert "王芳(wangfang)" in page and "刘洋(liuyang)" in page and "王芳 的可用时间" in page
    refused = _post(client, "/m/availability?userid=nobody", "/m/availability",
                    {"userid": "nobody", "start": start, "end": end})
    assert "「nobody」不是企业微信成员" in refused and InterviewerWindow.select().count() == 0
    assert 'class="flash flash_error" role="alert">「nobody」' in refused     # told apart from a success
    backwards = _post(client, "/m/availability?userid=wangfang", "/m/availability",
                      {"userid": "wangfang", "start": end, "end": start})
    assert "flash_error" in backwards and InterviewerWindow.select().count() == 0
    assert f'name="start" required value="{end}"' in backwards and f'name="end" required value="{start}"' in backwards
    done = _post(client, "/m/availability?userid=wangfang", "/m/availability",
                 {"userid": "wangfang", "start": start, "end": end})
    assert "可用时间已登记" in done and InterviewerWindow.get().userid == "wangfang"

    application, _ = at_second_round(backend_job)
    page_url = f"/m/applications/{application.id}"
    form = client.get(page_url).get_data(as_text=True)
    assert re.search(r'value="wangfang"[^>]*> 王芳', form) and 'data-testid="panel-picker"' in form
    fields = {"interviewers": ["wangfang", "ghost"], "duration_min": "90", "format": "meeting",
              "focus": "重点问分布式事务的取舍"}
    refused = _post(client, page_url, f"{page_url}/round", fields)
    assert "「ghost」不是企业微信成员" in refused and Round.select().count() == 0
    # What HR chose and wrote comes back beside the reason (the job's manager is no longer ticked by default).
    assert "重点问分布式事务的取舍</textarea>" in refused and '<option value="90" selected>' in refused
    assert re.search(r'value="wangfang" checked> 王芳', refused) and not re.search(r'value="zhangwei" checked', refused)
    fields["duration_min"] = "60"
    _post(client, page_url, f"{page_url}/round", {**fields, "interviewers": ["zhangwei", "wangfang"]})
    assert scheduling.round_of(application.id).interviewers == ["zhangwei", "wangfang"]


@pytest.mark.browser
@pytest.mark.timeout(180)
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_hr_picks_interviewers_from_the_directory_in_the_browser(wecom_env, backend_job, phone, device):
    app, app_url, box = wecom_env
    application, _ = at_second_round(backend_job)
    client = app.test_client()
    sign_in_as(client, "hr_lina", "李娜")
    options = {"viewport": {"width": 1280, "height": 800}, "is_mobile": False, "device_scale_factor": 1} \
        if device == "desktop" else {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                                     "device_scale_factor": 2}
    context = phone.context.browser.new_context(locale="zh-CN", **options)
    context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": app_url}])
    with context:
        page = context.new_page()
        page.goto(f"{app_url}/m/availability")
        page.select_option("#view-userid", "wangfang")
        with page.expect_navigation():
            page.click("[data-testid=pick-interviewer] button")
        assert "王芳 的可用时间" in page.inner_text("main")
        page.fill("input[name=start]", local_input(hour()))
        page.fill("input[name=end]", local_input(hour() + dt.timedelta(hours=6)))
        with page.expect_navigation():
            page.click("form[action$='/m/availability'] button.b1")
        assert "可用时间已登记" in page.inner_text(".flash")
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        shot(page, f"directory-1-availability-{device}", "process")

        page.goto(f"{app_url}/m/applications/{application.id}#round")
        picker = page.locator("[data-testid=panel-picker]")
        assert "王芳" in picker.inner_text() and "刘洋" in picker.inner_text()
        picker.locator("input[value=wangfang]").check()
        picker.scroll_into_view_if_needed()
        shot(page, f"directory-2-round-picker-{device}", "process")
        with page.expect_navigation():
            page.click("#round form[action$='/round'] button.b1")
        assert "复试安排已保存" in page.inner_text(".flash")
        assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
        page.locator("#round").scroll_into_view_if_needed()
        assert "面试官 张伟、王芳" in page.inner_text("#round")
        shot(page, f"directory-3-round-saved-{device}", "process")
    assert "wangfang" in scheduling.round_of(application.id).interviewers

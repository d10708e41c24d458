"""In Chromium posing as WeChat (390x844): the candidate views and downloads their data, asks for deletion with
the explanation in front of them; HR confirms in /admin; the real fast worker deletes; the status page says so."""
import datetime as dt
import json
import re

import pytest

from app.core.base import utcnow
from app.core.localtime import local_time
from app.core.models import Candidate
from app.core.storage import get_storage
from app.interview.models import Interview
from app.privacy import deletion
from app.privacy.models import DeletionRequest
from app.screening import intake
from app.screening.job_templates import import_template
from tests.privacy.helpers import candidate_with_data, candidate_with_domain_data
from tests.support.browser import shot
from tests.support.funnel import backend_template
from tests.support.wecom import run_fast_worker

pytestmark = pytest.mark.timeout(180)


def test_candidate_exports_and_requests_deletion_hr_confirms(wecom_env, backend_job, phone, redis_conn, tmp_path):
    app, app_url, box = wecom_env
    page = phone
    mine = candidate_with_data(backend_job, "李明", "13800001234", "LIMING")

    page.goto(f"{app_url}/i/{mine.token}/status")
    section = page.locator("[data-testid=my-data]")
    section.scroll_into_view_if_needed()
    assert "下载我的数据" in section.inner_text()
    shot(page, "privacy-1-status-my-data")

    with page.expect_download() as download:
        page.click("[data-testid=export-json]")
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert data["candidate"]["name"] == "李明"
    assert data["applications"][0]["interviews"][0]["answers"][0]["transcript"].startswith("LIMING")

    with page.expect_navigation():
        page.click("[data-testid=export-html]")
    assert "LIMING 我用慢查询日志" in page.inner_text("body")
    shot(page, "privacy-2-export-html")

    page.goto(f"{app_url}/i/{mine.token}/status")
    page.click("[data-testid=request-deletion]")
    explanation = page.inner_text("[data-testid=confirm-delete]")
    assert "将被删除" in explanation and "将被保留" in explanation and "15 天内" in explanation
    shot(page, "privacy-3-confirm-deletion")
    with page.expect_navigation():
        page.click("[data-testid=confirm-deletion]")
    state = page.locator("[data-testid=deletion-state]")
    assert state.get_attribute("data-status") == "pending" and "HR 将在" in state.inner_text()
    shot(page, "privacy-4-deletion-requested")

    page.goto(f"{app_url}/admin/privacy/")
    if "/connect/oauth2/authorize" in page.url:
        page.click("button[value=hr_lina]")
    page.wait_for_selector("[data-testid=pending-requests]")
    row = page.locator("[data-testid=request]")
    assert row.count() == 1 and "李明" in row.inner_text()
    shot(page, "privacy-5-hr-pending-request")
    row.locator("[data-testid=confirm-request-tick]").check()
    with page.expect_navigation():
        row.locator("[data-testid=confirm-request]").click()
    assert "已确认删除" in page.inner_text(".flash")

    run_fast_worker(redis_conn)  # the EXECUTE_DELETION job, on a real RQ worker
    assert DeletionRequest.get().status == "done"
    assert Candidate.get_by_id(mine.candidate_id).name == "已删除"
    assert not any(get_storage().exists(k) for k in mine.keys.values())
    page.reload()
    assert page.locator("[data-testid=decided][data-status=done]").count() == 1
    shot(page, "privacy-6-hr-done")

    page.goto(f"{app_url}/i/{mine.token}/status")
    assert "你的数据已按你的要求删除" in page.inner_text("[data-testid=deleted-state]")
    assert "LIMING" not in page.content()
    shot(page, "privacy-7-status-after-deletion")


def _overflow(page):
    """How many CSS pixels the page is wider than the phone (0 when nothing scrolls sideways)."""
    # A phone's browser zooms out to fit what overflows (innerWidth grows with it): compare with the viewport.
    return page.evaluate("document.documentElement.scrollWidth") - page.viewport_size["width"]


def test_export_page_fits_a_phone_and_shows_local_times(wecom_env, phone):
    """The export page at 390 px: no sideways scrolling, times as people read them in the zone it names."""
    app, app_url, box = wecom_env
    page = phone
    job = import_template(backend_template())
    soon = (utcnow() + dt.timedelta(days=2)).replace(microsecond=0)
    mine = candidate_with_domain_data(job, intake.create_link(job.id, "wechat_group", "hr_lina"), "李明",
                                      "13800001234", "LIMING", booked_at=soon)
    page.goto(f"{app_url}/i/{mine.token}/my-data.html")
    shot(page, "privacy-8-export-phone")
    assert _overflow(page) <= 0
    text = page.inner_text("body")
    assert "北京时间" in text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text)  # no ISO times on a page for people
    # A value nested in a value (a resume's work entry, a verdict) gets the width of the page, not a column a few
    # characters wide (three levels of label columns squeezed it to two characters a line).
    narrowest = page.evaluate("""Math.min(...[...document.querySelectorAll('td table.inner td')]
        .map(td => td.getBoundingClientRect().width))""")
    assert narrowest >= 200, narrowest


def test_after_deletion_every_page_of_the_link_shows_one_final_state(wecom_env, backend_job, phone, redis_conn):
    """The candidate finished the interview, asked for deletion and HR confirmed: whichever page of their link
    they open, they read one thing, that their data was deleted as they asked, and when."""
    app, app_url, box = wecom_env
    page = phone
    mine = candidate_with_data(backend_job, "李明", "13800001234", "LIMING")
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == mine.interview.id).execute()
    request = deletion.request_deletion(mine.candidate_id, "candidate", mine.application_id)
    deletion.confirm(request.id, "hr_lina")
    run_fast_worker(redis_conn)
    finished = DeletionRequest.get_by_id(request.id)
    assert finished.status == "done"
    day = local_time(finished.completed_at, "%Y年%m月%d日")

    for path in ("", "/done", "/status", "/second-round", "/consent"):
        page.goto(f"{app_url}/i/{mine.token}{path}")
        assert page.url.endswith(f"/i/{mine.token}/status"), path
        final = page.inner_text("main")
        assert "你的数据已按你的要求删除" in final and day in final, path
        for contradiction in ("个回答已全部提交", "answers were received", "撤回", "继续 AI 面试", "评估",
                              "申请删除我的数据"):
            assert contradiction not in final, (path, contradiction)
        assert page.locator("#compose, [data-testid=phase], [data-testid=message]").count() == 0
        assert _overflow(page) <= 0
    shot(page, "privacy-9-after-deletion-final-state")


def test_the_data_package_in_each_state(wecom_env, phone, redis_conn, tmp_path, monkeypatch):
    """The candidate presses 「下载数据包(含文件)」, sees 正在打包 until the real worker has built it (the section's
    poll reloads), downloads the zip and opens its page, whose links reach the files beside it; a refused build
    says why. HR does the same for the whole record on a desktop."""
    import zipfile
    from pathlib import Path
    from urllib.parse import unquote, urlparse

    from app.core.extensions import settings
    app, app_url, box = wecom_env
    page = phone
    job = import_template(backend_template())
    link = intake.create_link(job.id, "wechat_group", "hr_lina")
    soon = (utcnow() + dt.timedelta(days=2)).replace(microsecond=0)
    mine = candidate_with_domain_data(job, link, "李明", "13800001234", "LIMING", booked_at=soon)
    other = candidate_with_domain_data(job, link, "王芳", "13900005678", "WANGFANG", booked_at=soon)
    run_fast_worker(redis_conn)  # the setup's own jobs

    page.goto(f"{app_url}/i/{mine.token}/status#my-data")
    pack = page.locator("[data-testid=archive]")
    assert pack.get_attribute("data-status") == "none" and "下载数据包(含文件)" in pack.inner_text()
    pack.scroll_into_view_if_needed()
    shot(page, "privacy-10-package-none")
    with page.expect_navigation():
        page.click("[data-testid=archive-request]")
    assert pack.get_attribute("data-status") == "pending" and "正在打包" in pack.inner_text()
    assert _overflow(page) <= 0
    shot(page, "privacy-11-package-pending")

    run_fast_worker(redis_conn)  # the build; the section's poll sees it and reloads
    page.wait_for_selector("[data-testid=archive][data-status=ready]", timeout=20000)
    assert "下载数据包(" in pack.inner_text() and "可下载至" in pack.inner_text()
    assert _overflow(page) <= 0
    shot(page, "privacy-12-package-ready")
    with page.expect_download() as download:
        page.click("[data-testid=archive-download]")
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(download.value.path()) as package:
        package.extractall(folder)
    page.goto((folder / "我的数据.html").as_uri())
    links = page.locator("[data-testid=archive-file]")
    assert links.count() >= 5  # resume, recording, face photo, attachment (message, check, onboarding)
    for href in links.evaluate_all("els => els.map(e => e.href)"):
        assert Path(unquote(urlparse(href).path)).is_file(), href
    assert _overflow(page) <= 0
    shot(page, "privacy-13-package-page")

    monkeypatch.setitem(settings, "PRIVACY_ARCHIVE_MAX_MB", 0)
    page.goto(f"{app_url}/i/{other.token}/status#my-data")
    with page.expect_navigation():
        page.click("[data-testid=archive-request]")
    run_fast_worker(redis_conn)
    page.reload()
    assert pack.get_attribute("data-status") == "failed" and "超过数据包上限" in pack.inner_text()
    assert "重新打包" in pack.inner_text() and _overflow(page) <= 0
    pack.scroll_into_view_if_needed()
    shot(page, "privacy-14-package-failed")
    monkeypatch.setitem(settings, "PRIVACY_ARCHIVE_MAX_MB", 2048)

    desktop = page.context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    try:
        desk = desktop.new_page()
        desk.goto(f"{app_url}/admin/privacy/candidates/{mine.candidate_id}")
        if "/connect/oauth2/authorize" in desk.url:
            desk.click("button[value=hr_lina]")
        desk.wait_for_selector("[data-testid=hr-archive]")
        assert desk.locator("[data-testid=hr-archive]").get_attribute("data-status") == "none"
        shot(desk, "privacy-15-hr-package-none")
        with desk.expect_navigation():
            desk.click("[data-testid=hr-archive-request]")
        assert desk.locator("[data-testid=hr-archive]").get_attribute("data-status") == "pending"
        shot(desk, "privacy-16-hr-package-pending")
        run_fast_worker(redis_conn)
        desk.reload()
        assert desk.locator("[data-testid=hr-archive]").get_attribute("data-status") == "ready"
        shot(desk, "privacy-17-hr-package-ready")
        with desk.expect_download() as hr_download:
            desk.click("[data-testid=hr-archive-download]")
        with zipfile.ZipFile(hr_download.value.path()) as package:
            assert "录像/第1题-第1次.webm" in package.namelist()
    finally:
        desktop.close()

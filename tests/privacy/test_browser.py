"""In Chromium posing as WeChat (390x844): the candidate views and downloads their data, asks for deletion with
the explanation in front of them; HR confirms in /admin; the real fast worker deletes; the status page says so."""
import json

import pytest

from app.core.models import Candidate
from app.core.storage import get_storage
from app.privacy.models import DeletionRequest
from tests.privacy.helpers import candidate_with_data
from tests.support.browser import shot
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
    page.locator("[data-testid=my-data]").scroll_into_view_if_needed()
    assert page.locator("[data-testid=deletion-state]").get_attribute("data-status") == "done"
    assert "LIMING" not in page.content()
    shot(page, "privacy-7-status-after-deletion")

"""In Chromium: HR withdraws a sent offer from the application page (1280 px) while the candidate has the offer
open on their phone (390 px); the candidate's 接受录用 on that page is then refused and the page says the company
withdrew it. Screenshots under test-artifacts/process/."""
import datetime as dt

import pytest

from app.core.models import Application
from app.process import offers
from app.process.models import OfferStatus
from tests.process.helpers import cleared_for_offer
from tests.support.browser import ARTIFACTS, shot, signed_in_page
from tests.support.wecom import run_fast_worker

pytestmark = pytest.mark.timeout(180)


def _panel(page, name):
    """A screenshot of the application page's offer panel and the flash above (the page is long)."""
    (ARTIFACTS / "process").mkdir(parents=True, exist_ok=True)
    page.locator("#offer").screenshot(path=str(ARTIFACTS / "process" / f"{name}.png"))


def test_hr_withdraws_the_offer_the_candidate_has_open(wecom_env, backend_job, phone, redis_conn):
    app, app_url, box = wecom_env
    application, token = cleared_for_offer(backend_job)
    offers.save_policy(backend_job, "hr_lina", {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "14",
                                                "probation_months": "3", "valid_days": "5", "place": "上海"})
    offers.create_offer(application.id, "hr_lina", {"salary": "21000", "place": "上海",
                                                    "start_date": (offers.today() + dt.timedelta(days=20)).isoformat()})
    run_fast_worker(redis_conn)
    phone.goto(f"{app_url}/i/{token}/offer")
    phone.fill("input[name=typed_name]", "李明")          # the candidate is about to accept

    hr = signed_in_page(phone, app, app_url, "hr_lina")
    hr.goto(f"{app_url}/m/applications/{application.id}#offer")
    hr.click("[data-testid=offer-withdraw] summary")
    _panel(hr, "offer-withdraw-form-hr-1280")
    hr.click("[data-testid=withdraw-offer]")              # no reason: the browser asks for one (required)
    assert offers.offer_of(application.id).status == OfferStatus.SENT
    hr.fill("#withdraw-reason", "月薪填错了,应为 25000")
    with hr.expect_navigation():
        hr.click("[data-testid=withdraw-offer]")
    assert hr.locator("[data-testid=offer-withdrawn]").is_visible()
    assert hr.locator("#offer-salary").is_visible()       # HR can make the corrected offer now
    _panel(hr, "offer-withdrawn-hr-1280")

    with phone.expect_navigation():
        phone.click("[data-testid=accept]")
    assert phone.locator("[data-testid=offer-withdrawn]").is_visible()
    assert "已被公司撤回" in phone.inner_text("main") and not phone.locator("[data-testid=accept]").count()
    shot(phone, "offer-withdrawn-candidate-390", folder="process")
    phone.goto(f"{app_url}/i/{token}/status")
    assert "录用通知已被公司撤回" in phone.inner_text("[data-testid=phase]")
    shot(phone, "offer-withdrawn-status-390", folder="process")
    assert offers.offer_of(application.id).status == OfferStatus.WITHDRAWN
    assert Application.get_by_id(application.id).stage == "background_check"

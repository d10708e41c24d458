"""In Chromium: HR withdraws a sent offer from the application page (1280 px) while the candidate has the offer
open on their phone (390 px); the candidate's 接受录用 on that page is then refused and the page says the company
withdrew it. Screenshots under test-artifacts/process/."""
import datetime as dt

import pytest

from app.core.models import Application
from app.process import offers
from app.process.models import OfferStatus
from tests.process.helpers import cleared_for_offer, offer_awaiting_approval
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
    shot(phone, "offer-withdrawn-status-390", folder="process")
    assert "录用通知已被公司撤回" in phone.inner_text("[data-testid=phase]")
    # The check is behind them: no 「背景调查 · 已完成」 beside the withdrawn offer, as if the process went back.
    assert [link.inner_text() for link in phone.locator("[data-testid=process-link]").all()] == [
        "录用通知 · 已被公司撤回\n›"]
    assert offers.offer_of(application.id).status == OfferStatus.WITHDRAWN
    assert Application.get_by_id(application.id).stage == "background_check"


def test_an_offer_cancelled_in_approval_leaves_the_candidates_status_page_as_it_was(
        wecom_env, backend_job, phone, redis_conn):
    """The candidate never saw an offer that awaited its approval: their page said 正在做最终决定, with no offer.
    HR cancels it to make a corrected one: the page still says 正在做最终决定 (it went back to 背景调查中 with
    「背景调查 · 已完成」), and nothing about an offer appears, on the page or in the messages."""
    app, app_url, _ = wecom_env
    application, token, _ = offer_awaiting_approval(backend_job)
    run_fast_worker(redis_conn)
    phone.goto(f"{app_url}/i/{token}/status")
    shot(phone, "offer-in-approval-status-390", folder="process")
    before = phone.inner_text("[data-testid=status]"), phone.inner_text(".status-card__next")
    assert before[0] == "正在做最终决定" and not phone.locator("[data-testid=process-link]").count()

    hr = signed_in_page(phone, app, app_url, "hr_lina")   # HR cancels it on the application page
    hr.goto(f"{app_url}/m/applications/{application.id}#offer")
    hr.click("[data-testid=offer-withdraw] summary")
    assert "不会收到撤回通知" in hr.inner_text("[data-testid=offer-withdraw]")
    assert not hr.locator("[data-testid=tell-candidate]").count()
    _panel(hr, "offer-cancel-in-approval-form-hr-1280")
    hr.fill("#withdraw-reason", "薪资超出带宽,改为带宽内重新发")
    with hr.expect_navigation():
        hr.click("[data-testid=withdraw-offer]")
    assert hr.locator("[data-testid=offer-withdrawn]").is_visible()
    run_fast_worker(redis_conn)
    phone.reload()
    shot(phone, "offer-cancelled-in-approval-status-390", folder="process")
    assert (phone.inner_text("[data-testid=status]"), phone.inner_text(".status-card__next")) == before
    assert not phone.locator("[data-testid=process-link]").count()
    assert "录用通知" not in phone.inner_text("#messages") and "撤回" not in phone.inner_text("main")

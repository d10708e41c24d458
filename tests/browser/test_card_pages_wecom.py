"""The manager's pages a WeCom card opens (/m/...), at 390 px in WeCom's in-app browser, in each state the card can be
in: what the manager reads and which decisions are offered (screenshots under test-artifacts/card-pages/)."""
import pytest

from app.core import pipeline
from app.interview import decisions, result_cards
from app.privacy import deletion
from tests.support.browser import chromium_page, shot
from tests.support.reports import sign_in_as
from tests.support.wecom import result_report_id, run_fast_worker, scored_application

pytestmark = pytest.mark.browser

WECOM_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Mobile/15E148 wxwork/4.1.16 MicroMessenger/7.0.1 Language/zh ColorScheme/Light")
BUTTONS = ("进入复试", "待定", "淘汰")


def _open(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, f"{name} scrolls sideways"
    shot(page, name, folder="card-pages")
    return page.inner_text("body")


def _open_wide(page, url, name):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    shot(page, name, folder="card-pages")
    return page.inner_text("body")


def _offered(page):
    return [b for b in BUTTONS if page.locator(f"form button:has-text('{b}')").count()]


def test_what_a_manager_sees_from_the_card_in_each_state(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    states = {}
    for name, move in (("ai_scored", None), ("on_hold", "on_hold"), ("second_round", "second_round"),
                       ("rejected", "rejected"), ("withdrawn", "withdrawn"), ("deleted", "deleted")):
        application = scored_application(backend_job, name=f"候选{len(states) + 1}",
                                         phone=f"1380000{len(states):04d}")
        result_cards.push_result_card(result_report_id(application))
        if move in ("on_hold", "second_round", "rejected"):
            decisions.decide(application.id, move, "zhangwei", "card")
        elif move == "withdrawn":
            pipeline.advance_stage(application.id, "withdrawn", actor="candidate", source="web")
        elif move == "deleted":
            deletion.execute_deletion(deletion.delete_by_hr(application.candidate_id, "hr_lina").id)
        states[name] = (application.id, result_report_id(application) if move != "deleted" else None)
        run_fast_worker(redis_conn)   # before the next scored_application empties the queue

    client = app.test_client()
    sign_in_as(client, "zhangwei")
    cookie = client.get_cookie("session").value
    with chromium_page(user_agent=WECOM_UA, timeout=20000) as page:
        page.context.add_cookies([{"name": "session", "value": cookie, "url": app_url}])
        for name, (application_id, report_id) in states.items():
            text = _open(page, f"{app_url}/m/applications/{application_id}", f"application-{name}")
            offered = _offered(page)
            if name in ("ai_scored", "on_hold"):
                assert offered == list(BUTTONS), (name, offered)
            else:
                assert offered == [], (name, offered)
            assert "打印" not in page.inner_text("body") or not page.is_visible("text=打印")
            if report_id:
                report = _open(page, f"{app_url}/m/reports/{report_id}", f"report-{name}")
                assert ("去做决定" in report) == (name in ("ai_scored", "on_hold")), name
                decided = page.locator("[data-testid=decided]")
                if name in ("on_hold", "second_round", "rejected"):   # who decided what, when, where
                    label = {"on_hold": "待定", "second_round": "进入复试", "rejected": "淘汰"}[name]
                    assert decided.inner_text().startswith(f"「{label}」由 张伟 于 "), decided.inner_text()
                    assert "北京时间" in decided.inner_text() and "企业微信卡片" in decided.inner_text()
                else:
                    assert decided.count() == 0
            if name == "deleted":
                assert "候选6" not in text
    # HR's desk: the same panel at 1280 px, HR may change the decision
    sign_in_as(client, "hr_lina")
    with chromium_page(timeout=20000, viewport={"width": 1280, "height": 800}, is_mobile=False) as page:
        page.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": app_url}])
        text = _open_wide(page, f"{app_url}/m/applications/{states['rejected'][0]}", "application-rejected-hr-1280")
        assert "「淘汰」由 张伟 于 " in text and "更改决定" in text


def test_the_phone_of_a_manager_whose_tap_came_second(wecom_env, backend_job, redis_conn):
    from app.core.models import Job
    app, app_url, box = wecom_env
    Job.update(manager_userids=["zhangwei", "wangfang"]).where(Job.id == backend_job.id).execute()
    application = scored_application(Job.get_by_id(backend_job.id))
    card = result_cards.push_result_card(result_report_id(application))
    for userid, decision in (("zhangwei", "rejected"), ("wangfang", "second_round")):
        _, body = box.tap(userid, card.task_id, f"d:{application.id}:{decision}")
        box.wait_deliveries(body["deliveries"])
    run_fast_worker(redis_conn)
    with chromium_page(user_agent=WECOM_UA, timeout=20000) as page:
        text = _open(page, f"{box.url}/phone/wangfang", "sandbox-phone-wangfang")
    assert "已淘汰 · 张伟" in text and "未生效" in text and "北京时间" in text


def test_the_round_page_the_second_round_card_opens(wecom_env, backend_job, redis_conn):
    from app.process import round_decisions
    from tests.process.helpers import all_scorecards_in
    app, app_url, box = wecom_env
    application, round_ = all_scorecards_in(backend_job)
    run_fast_worker(redis_conn)
    client = app.test_client()
    sign_in_as(client, "zhangwei")
    with chromium_page(user_agent=WECOM_UA, timeout=20000) as page:
        page.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": app_url}])
        before = _open(page, f"{app_url}/m/rounds/{round_.id}", "round-all-scorecards-in")
        round_decisions.decide(application.id, "pass", "zhangwei", source="card")
        run_fast_worker(redis_conn)
        decided = _open(page, f"{app_url}/m/rounds/{round_.id}", "round-passed")
    assert "王芳" in before and "王芳" in decided
    assert "由 张伟 于" not in before
    assert "「通过,进入背调」由 张伟 于 " in decided and "北京时间" in decided and "(企业微信卡片)" in decided

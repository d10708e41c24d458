"""In Chromium (390x844, WeChat's user agent) and on the sandbox phones: from the AI report to hired. The
manager passes the AI report, HR registers availability and sets up a panel video interview with two slots, the
candidate books in the H5, the panel sees the WeCom schedule and meeting, interviewers fill scorecards (blind),
the manager passes the second round, HR sends an offer within policy, the candidate accepts with a typed
confirmation, HR confirms arrival and the new member appears in the sandbox. Screenshots under
test-artifacts/process/. Time is moved by editing the slot and the start date (the controlled clock)."""
import datetime as dt

import pytest

from app.core.base import utcnow
from app.core.models import Application
from app.interview import decisions
from app.process import reminders
from app.process.models import Booking, Offer, Slot
from app.process.offers import today
from tests.conversation.helpers import pdf_bytes, png_bytes
from tests.process.helpers import hour, local_input, scored_with_report
from tests.support.app import import_job
from tests.support.browser import shot
from tests.support.wecom import run_fast_worker

pytestmark = pytest.mark.timeout(300)


def sign_out(page, app_url):
    page.goto(app_url + "/m/")
    if page.locator("header.top form button", has_text="退出").count():
        page.click("header.top form button")


def sign_in(page, app_url, path, userid):
    """Sign in through the sandbox's OAuth page as `userid` (after signing out whoever was signed in)."""
    sign_out(page, app_url)
    page.goto(app_url + path)
    if "/connect/oauth2/authorize" in page.url:
        page.click(f"button[value={userid}]")
    page.wait_for_url(f"{app_url}{path.split('#')[0]}*")


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


def test_from_ai_report_to_hired_in_the_browser(wecom_env, phone, redis_conn, tmp_path):
    app, app_url, box = wecom_env
    page = phone
    (tmp_path / "离职证明.pdf").write_bytes(pdf_bytes())
    job = import_job("backend-engineer.yaml")
    application, token = scored_with_report(job)
    app_id = application.id
    decisions.decide(app_id, "second_round", "zhangwei", "web")
    run_fast_worker(redis_conn)
    start = hour(days=3, hour_=2)  # 10:00 in China

    # HR registers the panel's availability, picking each interviewer from the WeCom directory.
    sign_in(page, app_url, "/m/availability", "hr_lina")
    for userid in ("zhangwei", "wangfang"):
        page.select_option("#view-userid", userid)
        submit(page, "[data-testid=pick-interviewer] button")
        page.fill("input[name=start]", local_input(start))
        page.fill("input[name=end]", local_input(start + dt.timedelta(hours=6)))
        submit(page, "form.panel button.b1")
        assert "可用时间已登记" in page.inner_text(".flash")
    shot(page, "process-01-availability", "process")

    # HR sets up the round: a panel, a video interview, focus points; then two slots and one bad one.
    page.goto(f"{app_url}/m/applications/{app_id}")
    assert "安排复试" in page.inner_text("[data-testid=next-step]")
    for userid in ("zhangwei", "wangfang"):
        page.check(f"#round input[name=interviewers][value={userid}]")
    page.select_option("#round select[name=format]", "meeting")
    page.fill("#round textarea[name=focus]", "重点追问分布式事务的落地细节")
    submit(page, "#round details button.b1")
    assert "复试安排已保存" in page.inner_text(".flash")
    for offset in (0, 2):
        page.fill("#round input[name=start]", local_input(start + dt.timedelta(hours=offset)))
        submit(page, "#round form[action$='/slots'] button")
    page.fill("#round input[name=start]", local_input(start + dt.timedelta(minutes=30)))
    submit(page, "#round form[action$='/slots'] button")
    assert "重叠" in page.inner_text(".flash")
    page.fill("#round input[name=start]", local_input(utcnow() - dt.timedelta(hours=2)))
    submit(page, "#round form[action$='/slots'] button")
    assert "不能早于" in page.inner_text(".flash")
    assert page.locator("[data-testid=offered-slots] tr").count() == 3  # header + 2
    assert "等候选人选择复试时间" in page.inner_text("[data-testid=next-step]")
    shot(page, "process-02-hr-round-and-slots", "process")

    # The candidate books in the H5, from the status page.
    page.goto(f"{app_url}/i/{token}/status")
    page.click("[data-testid=process-link]")
    assert page.locator("[data-testid=slots] input[type=radio]").count() == 2
    shot(page, "process-03-candidate-slots", "process")
    page.click("label[for^=slot-] >> nth=1")
    submit(page, "[data-testid=book]")
    assert "预约成功" in page.inner_text("[data-testid=flash]")
    run_fast_worker(redis_conn)
    page.reload()
    assert page.locator("[data-testid=meeting-link]").count() == 1
    code = page.inner_text("[data-testid=meeting-code]")
    shot(page, "process-04-candidate-booked", "process")
    page.click("[data-testid=meeting-link]")
    assert "你已通过链接加入会议" in page.inner_text("[data-testid=meeting-state]")
    shot(page, "process-05-candidate-joins-meeting", "process")

    # The panel's phones: the WeCom schedule (with its reminder) and the meeting invitation.
    page.goto(f"{box.url}/phone/wangfang")
    schedule = page.locator(".schedule")
    assert schedule.count() == 1
    assert "复试:李明" in schedule.inner_text() and "提前 60 分钟提醒" in schedule.inner_text()
    assert code in page.inner_text(".meeting")
    shot(page, "process-06-interviewer-phone-schedule", "process")

    # 关注点 before the interview; the scorecard opens when it starts.
    sign_in(page, app_url, "/m/my-rounds", "wangfang")
    page.click(".list a.item")
    focus = page.inner_text("[data-testid=focus]")
    assert "重点追问分布式事务" in focus and "第2题长时间未检测到人脸" in focus
    assert page.locator("[data-testid=scorecard-form]").count() == 0
    shot(page, "process-07-interviewer-focus", "process")

    # The clock moves past the interview: the sweep sends each interviewer the scorecard card.
    booking = Booking.get()
    past = utcnow() - dt.timedelta(hours=2)
    Slot.update(start_at=past, end_at=past + dt.timedelta(hours=1)).where(Slot.id == booking.slot_id).execute()
    assert reminders.run()["scorecard_request"] == 2
    sign_out(page, app_url)  # zhangwei's own phone: he signs in from the card's link
    page.goto(f"{box.url}/phone/zhangwei")
    card = page.locator(".card", has_text="请填写复试评分表")
    assert card.count() == 1
    shot(page, "process-08-scorecard-card", "process")
    card.locator("a.link").click()
    if "/connect/oauth2/authorize" in page.url:
        page.click("button[value=zhangwei]")
    page.wait_for_selector("[data-testid=scorecard-form]")
    assert page.locator("[data-testid=blind]").count() == 1
    assert "会出现在候选人导出的数据中" in page.inner_text("[data-testid=candidate-can-read]")
    dims = page.locator("[data-testid=scorecard-form] fieldset").count()
    assert dims == len(job.ordered_dimensions())
    for i in range(dims):
        page.check(f"input[name=score_{i}][value='4']")
        page.fill(f"textarea[name=comment_{i}]", f"第{i + 1}个维度:回答具体,有数据")
    page.check("input[name=concerns][value=表达不清]")
    page.select_option("select[name=recommendation]", "yes")
    shot(page, "process-09-scorecard-filled", "process")
    submit(page, "[data-testid=submit-scorecard]")
    assert "评分表已提交" in page.inner_text(".flash")

    sign_in(page, app_url, "/m/my-rounds", "wangfang")
    page.click(".list a.item")
    assert page.locator("[data-testid=blind]").count() == 1  # zhangwei's scorecard stays hidden
    for i in range(dims):
        page.check(f"input[name=score_{i}][value='3']")
        page.fill(f"textarea[name=comment_{i}]", "基本达标")
    page.select_option("select[name=recommendation]", "strong_yes")
    submit(page, "[data-testid=submit-scorecard]")
    assert page.locator("[data-testid=others]").count() == 1  # now she sees zhangwei's
    run_fast_worker(redis_conn)
    assert "复试评分表已全部提交" in box.messages("hr_lina")[-1]["body"]["content"]

    # The manager compares with the AI scores and passes.
    sign_in(page, app_url, f"/m/rounds/{booking.round_id}", "zhangwei")
    table = page.inner_text("[data-testid=side-by-side]")
    assert "3.5" in table and "60" in table
    shot(page, "process-10-side-by-side", "process")
    submit(page, "[data-testid=decide-pass]")
    assert Application.get_by_id(app_id).stage == "background_check"
    run_fast_worker(redis_conn)  # the background check starts by itself

    # The candidate consents, uploads the 离职证明 on the check page (an HR-only document), submits both items.
    page.goto(f"{app_url}/i/{token}/status")
    page.click("[data-testid=process-link]")
    shot(page, "process-11a-candidate-check-consent", "process")
    page.check("#agree")
    submit(page, "[data-testid=consent]")
    page.fill("[data-testid=item-education] input[name=value]", "12-34")
    submit(page, "[data-testid=submit-education]")
    assert "10-20位" in page.inner_text("[data-testid=flash]")
    page.fill("[data-testid=item-education] input[name=value]", "A1B2C3D4E5F6G7H8")
    submit(page, "[data-testid=submit-education]")
    page.fill("[data-testid=item-employment] input[name=value]", "某科技有限公司")
    page.set_input_files("[data-testid=file-employment]", str(tmp_path / "离职证明.pdf"))
    submit(page, "[data-testid=submit-employment]")
    assert "HR 核实中" in page.inner_text("[data-testid=check-status]")
    shot(page, "process-11b-candidate-check-submitted", "process")

    # HR verifies both items; the offer form opens.
    sign_in(page, app_url, f"/m/applications/{app_id}#check", "hr_lina")
    submit(page, "[data-testid=verify-education]")
    submit(page, "[data-testid=verify-employment]")
    assert "背景调查 · 通过" in page.inner_text("#check")
    shot(page, "process-11c-hr-check-passed", "process")

    # HR: the job's offer policy, then an offer within it goes straight out.
    page.click("#offer details summary")
    page.fill("#offer form[action$='offer-policy'] input[name=salary_min]", "20000")
    page.fill("#offer form[action$='offer-policy'] input[name=salary_max]", "30000")
    page.fill("#offer form[action$='offer-policy'] input[name=min_notice_days]", "7")
    submit(page, "#offer form[action$='offer-policy'] button")
    assert "模板已保存" in page.inner_text(".flash")
    page.fill("#offer input[name=salary]", "26000")
    page.fill("#offer input[name=start_date]", (today() + dt.timedelta(days=21)).isoformat())
    shot(page, "process-11d-hr-offer-form", "process")
    submit(page, "#offer form[action$='offer-letter'] button")
    assert "直接发给候选人" in page.inner_text(".flash")
    run_fast_worker(redis_conn)

    # The candidate reads the letter and accepts by typing their name (a wrong name is refused).
    page.goto(f"{app_url}/i/{token}/status")
    page.click("[data-testid=process-link]")
    assert "月薪(税前):人民币 26,000 元" in page.inner_text("[data-testid=letter]")
    shot(page, "process-12-candidate-offer", "process")
    response = page.request.get(f"{app_url}/i/{token}/offer.pdf")
    assert response.status == 200 and response.body()[:5] == b"%PDF-"
    page.fill("input[name=typed_name]", "李")
    submit(page, "[data-testid=accept]")
    assert "完整姓名" in page.inner_text("[data-testid=flash]")
    assert page.input_value("input[name=typed_name]") == "李"      # kept as typed beside the reason
    page.fill("input[name=typed_name]", "李明")
    submit(page, "[data-testid=accept]")
    assert "欢迎加入" in page.inner_text("[data-testid=flash]")
    shot(page, "process-13-candidate-accepted", "process")
    assert Application.get_by_id(app_id).stage == "onboarding"
    run_fast_worker(redis_conn)  # the checklist and the 入职通知

    # The pre-hire checklist: each document uploaded on the onboarding page (HR-only); a .txt is refused.
    (tmp_path / "身份证.png").write_bytes(png_bytes())
    (tmp_path / "备注.txt").write_text("不是证件", encoding="utf-8")
    page.goto(f"{app_url}/i/{token}/status")
    assert "入职通知" in page.inner_text("#messages")
    # The accepted letter leads on to the checklist (it said 「HR 会联系你准备入职」 and stopped there).
    page.goto(f"{app_url}/i/{token}/offer")
    with page.expect_navigation():
        page.click("[data-testid=to-onboarding]")
    assert page.url.endswith(f"/i/{token}/onboarding")
    page.set_input_files("[data-testid=file-id_card]", str(tmp_path / "备注.txt"))
    page.click("[data-testid=send-id_card]")   # the upload itself is refused: a toast, the page stays
    page.wait_for_selector("#toast:not([hidden])")
    assert "请发送图片(JPG/PNG/WebP)或 PDF" in page.inner_text("#toast")
    page.set_input_files("[data-testid=file-id_card]", str(tmp_path / "身份证.png"))
    submit(page, "[data-testid=send-id_card]")
    for key in ("degree", "bank_card", "health_check"):   # the photo uploaded once, picked from the list
        page.select_option(f"[data-testid=onboard-{key}] select", label="身份证.png")
        submit(page, f"[data-testid=send-{key}]")
    page.fill("[data-testid=onboard-details] textarea", "紧急联系人 李华 13900000000;上海市徐汇区")
    submit(page, "[data-testid=send-details]")
    submit(page, "[data-testid=send-first_day]")
    shot(page, "process-13b-candidate-onboarding", "process")

    # The first day (moved to today): HR confirms arrival; the WeCom account is made; the manager is told.
    Offer.update(start_date=today()).execute()
    sign_in(page, app_url, f"/m/applications/{app_id}#onboarding", "hr_lina")
    for key in ("id_card", "degree", "bank_card", "health_check", "details", "first_day"):
        submit(page, f"[data-testid=ok-{key}]")
    shot(page, "process-13c-hr-onboarding-verified", "process")
    page.fill("input[name=employee_userid]", "liming")
    submit(page, "form[action$='/arrival'] button")
    run_fast_worker(redis_conn)
    page.reload()
    assert Application.get_by_id(app_id).stage == "hired"
    timeline = page.inner_text("[data-testid=timeline]")
    for step in ("候选人选定时间", "提交评分表", "背景调查通过", "候选人接受 Offer", "已创建企业微信账号", "已入职"):
        assert step in timeline, step
    shot(page, "process-14-hr-timeline-hired", "process")
    page.goto(f"{box.url}/phone/zhangwei")
    assert "李明 今天入职" in page.inner_text("body")
    page.goto(f"{box.url}/phone/liming")
    assert page.locator(".bar").inner_text().startswith("AI面试助手")
    shot(page, "process-15-new-member-phone", "process")

"""The report on a manager's phone: the verdict fits the first screen, the first video starts within two screens,
and a "▶ 0:14" link plays that moment. Answers are the frozen transcripts of the fixture clips, really scored."""
import pytest

from tests.support.browser import shot, sign_in_page
from tests.support.reports import scored_interview

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREEN = 844


def open_report(app, base_url, pages, userid):
    """A scored interview's report opened in each page by `userid` (each page signed in)."""
    report = scored_interview()
    for page in pages:
        sign_in_page(page, app, base_url, userid)
        page.goto(f"{base_url}/m/reports/{report.id}")
    return report


def test_the_first_screen_is_the_verdict_and_the_video_is_near(live_app, phone):
    app, base_url = live_app
    report = open_report(app, base_url, [phone], "zhangwei")

    first = phone.locator(".verdict")
    assert "亮点" in first.inner_text() and "需要关注" in first.inner_text() and "真实性检查" in first.inner_text()
    assert phone.locator(".total").inner_text().replace("\n", " ").startswith(f"{report.total:.1f}")
    verdict_bottom = phone.evaluate("document.querySelector('.verdict').getBoundingClientRect().bottom")
    video_top = phone.evaluate("document.querySelector('video').getBoundingClientRect().top + window.scrollY")
    phone.screenshot(path=str(shot.__globals__["ARTIFACTS"] / "browser" / "report-first-screen.png"))
    shot(phone, "report-full")
    print(f"verdict ends at {verdict_bottom:.0f} px, first video at {video_top:.0f} px (screen {SCREEN} px)")
    assert video_top < 2 * SCREEN
    assert "Dimensions" not in phone.content() and "详情" in phone.content()

    seek = phone.locator("a.seek").first
    target = float(seek.get_attribute("data-seek"))
    seek.click()
    answer_id = seek.get_attribute("data-answer")
    phone.wait_for_function(f"document.querySelector('#answer-{answer_id} video').currentTime > 0"
                            f" || {target} === 0")
    at = phone.evaluate(f"document.querySelector('#answer-{answer_id} video').currentTime")
    assert at == pytest.approx(target, abs=1.5) or target > 4  # the fixture video is 4 s long


def test_printing_the_report_keeps_the_evidence_and_drops_players_and_forms(live_app, phone):
    """打印 / 存为PDF at 1280 px: under print media the details open, players, rating forms and decision buttons go,
    the page is stamped with the time and a confidentiality line; Chromium's own PDF of it is made. WeChat's in-app
    browser (which ignores window.print) shows no button."""
    app, base_url = live_app
    desktop = phone.context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN",
                                                bypass_csp=True)  # for wait_for_function, as the phone fixture
    try:
        page = desktop.new_page()
        open_report(app, base_url, [phone, page], "hr_lina")
        assert phone.locator(".verdict").is_visible() and not phone.locator("[data-print]").is_visible()
        assert page.locator("[data-print]").is_visible() and not page.locator(".print-only").is_visible()
        assert not page.locator("details.detail-all").evaluate("d => d.open")

        page.emulate_media(media="print")
        page.wait_for_function("document.querySelector('details.detail-all').open")
        for hidden in ("video", "details.rate", ".decide", "a.seek", "[data-print]"):
            assert not page.locator(hidden).first.is_visible(), hidden
        stamp = page.locator(".print-only")
        assert stamp.is_visible() and "请妥善保管" in stamp.inner_text()
        assert page.locator("[data-printed-at]").inner_text().startswith("20")
        assert page.locator(".detail-all .evidence").first.is_visible()  # the evidence is printed, not folded
        shot(page, "report-print")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(pdf) > 10_000

        page.emulate_media(media="screen")  # back on screen, the details fold again as they were
        page.wait_for_function("!document.querySelector('details.detail-all').open")
        assert page.locator("video").first.is_visible()
    finally:
        desktop.close()


def test_a_question_that_failed_analysis_is_listed_and_plays_on_the_phone(live_app, phone):
    """The manager on a 390 px phone (and HR at 1280 px) finds the failed 2nd question in its place, marked as the
    system's fault, without a score, and its stored recording (a real clip) plays; the page does not scroll sideways."""
    from app.core.access_log import AccessLog, Action
    from tests.support.app import import_job
    from tests.support.browser import signed_in_page
    from tests.support.media import MEDIA
    from tests.support.reports import failed_report

    app, base_url = live_app
    clip = (MEDIA / "face_astronaut.webm").read_bytes()
    report, answer = failed_report(import_job("backend-engineer.yaml"), recording=clip)
    sign_in_page(phone, app, base_url, "zhangwei")
    phone.goto(f"{base_url}/m/reports/{report.id}")
    block = phone.locator(f"#answer-{answer.id}")
    assert block.locator("h2").inner_text().startswith("第2题")
    assert "录音未能完成分析(系统原因,非候选人原因)" in block.inner_text() and "不计分" in block.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    block.scroll_into_view_if_needed()
    shot(phone, "report-failed-question-390")
    block.locator("video").evaluate("v => v.play()")
    phone.wait_for_function(f"document.querySelector('#answer-{answer.id} video').currentTime > 0")
    assert AccessLog.select().where((AccessLog.actor == "zhangwei") & (AccessLog.action == Action.VIEW_MEDIA)
                                    & (AccessLog.target == f"answer:{answer.id}")).exists()
    desktop = signed_in_page(phone, app, base_url, "hr_lina")
    try:
        desktop.goto(f"{base_url}/m/reports/{report.id}")
        assert desktop.locator(f"#answer-{answer.id} video").is_visible()
        shot(desktop, "report-failed-question-1280")
    finally:
        desktop.context.close()

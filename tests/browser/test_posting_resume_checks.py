"""The posting's apply form at 390 px in Chromium: a 30 MB resume or a file of the wrong type is refused in the
page before anything is sent, next to the field and in view, with everything typed kept; a server refusal (a file
whose content is not a resume, a request over the limit) shows the form again with what was typed and the message
in view. Screenshots under test-artifacts/posting/."""
import pytest

from app.screening import intake
from app.screening.job_templates import import_template
from app.screening.models import Intake
from tests.support.browser import shot
from tests.support.funnel import backend_template, pdf_resume

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
FOLDER = "posting"


@pytest.fixture
def posting_url(live_app):
    app, base = live_app
    job = import_template(backend_template())
    return f"{base}/p/{intake.create_link(job.id, 'wechat_group', 'hr_lina').code}"


def _fill(page):
    page.fill("input[name=name]", "张伟")
    page.fill("input[name=phone]", "13800001234")
    page.click("label:has(input[name=answer_q1][value=能])")
    page.check("input[name=consent]")


def _kept(page):
    return (page.input_value("input[name=name]"), page.input_value("input[name=phone]"),
            page.is_checked("input[name=answer_q1][value=能]"), page.is_checked("input[name=consent]"))


def _in_view(page, selector):
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_big_or_wrong_resume_is_refused_in_the_page_with_nothing_lost(posting_url, phone, tmp_path):
    page = phone
    big = tmp_path / "张伟-简历.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(30 * 1024 * 1024)
    wrong = tmp_path / "简历.txt"
    wrong.write_text("我的简历", encoding="utf-8")
    sent = []
    page.on("request", lambda r: sent.append(r.method) if r.method == "POST" else None)

    page.goto(posting_url)
    _fill(page)
    page.set_input_files("#resume", str(big))
    assert "30 MB,超过了 5 MB" in page.inner_text("[data-testid=resume-error]")
    assert _in_view(page, "[data-testid=resume-error]")
    page.click("#submit")
    assert sent == [] and page.url == posting_url                 # nothing sent, still the form
    assert "你填写的内容都还在" in page.inner_text("[data-testid=apply-error]")
    assert _kept(page) == ("张伟", "13800001234", True, True)
    shot(page, "posting-1-too-large-390", FOLDER)

    page.set_input_files("#resume", str(wrong))
    assert "不是支持的格式" in page.inner_text("[data-testid=resume-error]")
    assert _in_view(page, "[data-testid=resume-error]")
    page.click("#submit")
    assert sent == [] and _kept(page) == ("张伟", "13800001234", True, True)
    shot(page, "posting-2-wrong-type-390", FOLDER)


def test_a_server_refusal_shows_the_form_again_with_what_was_typed_and_the_message_in_view(
        posting_url, phone, tmp_path):
    page = phone
    fake = tmp_path / "简历.pdf"                                   # the right name, not a resume inside
    fake.write_text("这不是PDF" * 50, encoding="utf-8")
    page.goto(posting_url)
    _fill(page)
    page.set_input_files("#resume", str(fake))
    assert page.locator("[data-testid=resume-error]").is_hidden()   # the page cannot tell: the server does
    with page.expect_navigation():
        page.click("#submit")
    assert "「简历.pdf」的内容不是真正的 PDF 文件" in page.inner_text("[data-testid=resume-error]")
    assert "「简历.pdf」的内容不是真正的 PDF 文件" in page.inner_text("[data-testid=apply-error]")
    assert _in_view(page, "[data-testid=resume-error]")
    assert _kept(page) == ("张伟", "13800001234", True, True)
    assert Intake.select().count() == 0
    shot(page, "posting-3-server-refused-type-390", FOLDER)


@pytest.mark.parametrize("live_app", [{"MAX_CONTENT_LENGTH": 2 * 1024 * 1024}], indirect=True)
@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_a_request_over_the_limit_gets_the_form_again_not_a_bare_413(posting_url, phone, tmp_path, scripts):
    """A 3 MB resume passes the page's 5 MB check but not a 2 MB request limit: the server's 413 is the form with
    a Chinese message and the typed name and phone; the page's script puts back the answers and the consent too
    (without scripts those two stay empty)."""
    big = tmp_path / "简历.pdf"
    with open(big, "wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(3 * 1024 * 1024)
    context = phone.context.browser.new_context(java_script_enabled=scripts, viewport={"width": 390, "height": 844},
                                                is_mobile=True, device_scale_factor=2, locale="zh-CN")
    with context:
        page = context.new_page()
        page.goto(posting_url)
        _fill(page)
        page.set_input_files("#resume", str(big))
        with page.expect_navigation() as response:
            page.click("#submit")
        assert response.value.status == 413
        assert "提交的内容太大" in page.inner_text("[data-testid=apply-error]")
        assert "简历文件请在 5 MB 以内" in page.inner_text("[data-testid=resume-error]")
        assert _kept(page) == ("张伟", "13800001234", scripts, scripts)
        if scripts:
            assert _in_view(page, "[data-testid=resume-error]")
        shot(page, f"posting-4-server-413-{'scripts' if scripts else 'no-scripts'}-390", FOLDER)


def test_sending_shows_progress_and_back_after_applying_says_it_was_sent(posting_url, phone, tmp_path):
    """A resume takes seconds to send on a phone: the button says 正在提交 and cannot be tapped again (it stayed
    as it was, inviting a second tap). Back from the confirmation (WeChat's back gesture) showed the form ready to
    send again, a second candidate record for HR: it now says this phone applied already, with the link to the
    application, and the button works again for someone who means to send another resume."""
    page = phone
    resume = tmp_path / "张伟-简历.pdf"
    resume.write_bytes(pdf_resume())
    page.goto(posting_url)
    assert page.locator("[data-testid=applied-before]").is_hidden()
    _fill(page)
    page.set_input_files("#resume", str(resume))
    # Look at the button as the submit leaves it, without leaving the page (a listener after the page's own).
    page.evaluate("document.getElementById('apply-form').addEventListener('submit', e => e.preventDefault())")
    page.click("#submit")
    assert page.is_disabled("#submit") and "正在提交" in page.inner_text("#submit")
    shot(page, "posting-5-sending-390", FOLDER)

    page.reload()
    _fill(page)
    page.set_input_files("#resume", str(resume))
    with page.expect_navigation():
        page.click("#submit")
    assert "/p/applied/" in page.url
    applied = page.url
    page.go_back()
    page.wait_for_selector("[data-testid=applied-before]", state="visible")
    assert "已经提交过" in page.inner_text("[data-testid=applied-before]")
    assert page.get_attribute("[data-testid=applied-before] a", "href").endswith(applied.split("/p/")[1])
    assert page.is_enabled("#submit") and "正在提交" not in page.inner_text("#submit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "posting-6-back-after-applying-390", FOLDER)
    assert Intake.select().count() == 1

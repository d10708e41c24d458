"""The job's own offer-letter paragraphs: HR writes them with the job's offer policy; an offer made afterwards
carries them in its letter page and PDF, and a later edit of the policy does not change an offer already made."""
import datetime as dt
import io

from pypdf import PdfReader

from app.core import pdf as pdf_doc
from app.process import offer_letter, offers
from app.process.models import Offer
from tests.process.helpers import at_second_round, cleared_for_offer
from tests.support.reports import sign_in_as

NOTE = "福利:六险一金、年度体检、每年 15 天带薪年假。\n报到当天请携带身份证原件和一寸照片两张。"
POLICY = {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "7", "probation_months": "3",
          "valid_days": "5", "place": "上海"}


def test_the_letter_carries_the_jobs_paragraphs_as_they_were(app, client, demo_job):
    application, token = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    res = client.post(f"/m/jobs/{demo_job.id}/offer-policy", data={**POLICY, "letter_note": NOTE, "back": "/m/"})
    assert res.status_code == 302
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert "报到当天请携带身份证原件" in page                                   # the form shows what is stored
    start = (offers.today() + dt.timedelta(days=20)).isoformat()
    offer = offers.create_offer(application.id, "hr_lina", {"salary": "26000", "start_date": start})
    assert Offer.get_by_id(offer.id).letter_note == NOTE

    offers.save_policy(demo_job, "hr_lina", {**POLICY, "letter_note": "新的说明"})   # edited afterwards
    letter = app.test_client().get(f"/i/{token}/offer").get_data(as_text=True)
    assert "六险一金" in letter and "一寸照片两张" in letter and "新的说明" not in letter
    # The page's top bar names the page (it took the letter's heading: "… · 示例科技有限公司 录用通知书", wrapping).
    assert f'<div class="topbar__job">{demo_job.title} · 录用通知</div>' in letter
    pdf = app.test_client().get(f"/i/{token}/offer.pdf")
    assert pdf.status_code == 200                                               # scripts/install.sh adds a CJK font
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).replace(" ", "")
    assert "六险一金" in text and "新的说明" not in text


def test_a_refused_offer_form_comes_back_as_typed(app, client, demo_job):
    """A start date in the past (or a bad band in the policy) is refused with the reason, and the form shows what
    HR typed again, once, for the same application only."""
    application, _ = cleared_for_offer(demo_job)
    other, _ = at_second_round(demo_job, name="王芳", phone="13900005678")
    sign_in_as(client, "hr_lina")
    typed = {"position": "高级后端工程师", "level": "P6", "salary": "27500", "start_date": "2020-01-02",
             "place": "杭州", "probation_months": "2"}
    page = client.post(f"/m/applications/{application.id}/offer-letter", data=typed,
                       follow_redirects=True).get_data(as_text=True)
    assert "入职日期必须在今天之后" in page and offers.offer_of(application.id) is None
    for value in ("高级后端工程师", 'value="P6"', 'value="27500"', 'value="2020-01-02"', 'value="杭州"', 'value="2"'):
        assert value in page, value
    assert 'value="27500"' not in client.get(f"/m/applications/{application.id}").get_data(as_text=True)  # once
    page = client.post(f"/m/applications/{other.id}/offer-letter", data=typed, follow_redirects=False)
    assert 'value="27500"' not in client.get(f"/m/applications/{other.id}").get_data(as_text=True)

    back = f"/m/applications/{application.id}#offer"
    bad_band = {**POLICY, "salary_min": "40000", "salary_max": "30000", "letter_note": NOTE, "back": back}
    page = client.post(f"/m/jobs/{demo_job.id}/offer-policy", data=bad_band,
                       follow_redirects=True).get_data(as_text=True)
    assert "月薪下限不能高于上限" in page
    assert 'value="40000"' in page and "报到当天请携带身份证原件" in page
    assert '<details style="margin-top:8px" open>' in page


def test_a_blank_or_bad_number_is_named_as_the_form_names_it(app, client, demo_job):
    """The offer and policy forms' refusals name the field by its label on the form, once, in Chinese: they read
    「薪资上限 salary_max需要是整数 薪资上限 salary_max must be a whole number」 for a cleared 月薪上限."""
    application, _ = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    back = f"/m/applications/{application.id}#offer"
    for field, said in (("salary_max", "月薪上限需要是整数"), ("min_notice_days", "至少提前几天入职需要是整数"),
                        ("probation_months", "试用期(月)需要是整数"), ("valid_days", "有效天数需在 1-30 之间")):
        typed = {**POLICY, field: "" if field != "valid_days" else "99", "back": back}
        page = client.post(f"/m/jobs/{demo_job.id}/offer-policy", data=typed,
                           follow_redirects=True).get_data(as_text=True)
        assert said in page, field
    start = (offers.today() + dt.timedelta(days=20)).isoformat()
    for typed, said in (({"salary": "", "start_date": start}, "月薪需要是整数 A whole number is needed"),
                        ({"salary": "26000", "start_date": "明天"}, "入职日期:日期格式不对")):
        page = client.post(f"/m/applications/{application.id}/offer-letter", data=typed,
                           follow_redirects=True).get_data(as_text=True)
        assert said in page and "salary" not in page.split(said)[1][:40] and "start date" not in page
    assert offers.offer_of(application.id) is None


OWN = """{姓名}同学:
恭喜!经综合评估,{公司}决定聘用你担任{职位}。
税前月薪 {月薪} 元,{入职日期} 到岗,地点 {工作地点},试用期 {试用期}。
{补充说明}
请于 {答复期限} 前在本页确认。"""


def test_the_job_rewords_the_letter_and_an_offer_keeps_the_wording_it_was_made_with(app, client, demo_job):
    application, token = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    page = client.get(f"/m/applications/{application.id}").get_data(as_text=True)
    assert 'data-testid="letter-template"' in page and "{答复期限}" in page  # the fields are named on the form
    res = client.post(f"/m/jobs/{demo_job.id}/offer-policy",
                      data={**POLICY, "letter_note": NOTE, "letter_template": OWN, "back": "/m/"})
    assert res.status_code == 302
    start = (offers.today() + dt.timedelta(days=20)).isoformat()
    offer = offers.create_offer(application.id, "hr_lina", {"salary": "26000", "start_date": start})
    assert Offer.get_by_id(offer.id).letter_template == OWN

    offers.save_policy(demo_job, "hr_lina", {**POLICY, "letter_template": ""})  # back to the default afterwards
    letter = app.test_client().get(f"/i/{token}/offer").get_data(as_text=True)
    assert "李明同学:" in letter and "税前月薪 26,000 元" in letter and "试用期 3 个月" in letter
    assert "六险一金" in letter and "感谢你参加我们的面试" not in letter and "{" not in letter.split("<main")[-1]
    pdf = app.test_client().get(f"/i/{token}/offer.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).replace(" ", "")
    assert "李明同学" in text and "税前月薪26,000元" in text


def test_a_letter_without_the_terms_or_with_an_unknown_field_is_refused_and_kept_as_typed(app, client, demo_job):
    application, _ = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    back = f"/m/applications/{application.id}#offer"
    for template, reason in (("{姓名}:欢迎加入{公司}。请于 {答复期限} 前确认。", "须写明 {月薪}、{入职日期}"),
                             (OWN + "\n奖金:{年终奖}", "{年终奖} 不是可用的字段")):
        page = client.post(f"/m/jobs/{demo_job.id}/offer-policy",
                           data={**POLICY, "letter_template": template, "back": back},
                           follow_redirects=True).get_data(as_text=True)
        assert reason in page, reason
        assert template.splitlines()[0] in page  # the form shows what HR typed again
    assert offers.policy_for(demo_job).letter_template == ""
    # the form shows the default wording to edit; sent back unchanged (a browser sends CRLF) it stays the default
    crlf = offer_letter.DEFAULT_TEMPLATE.replace("\n", "\r\n") + "\r\n"
    assert offer_letter.DEFAULT_TEMPLATE.splitlines()[1] in client.get(back.split("#")[0]).get_data(as_text=True)
    client.post(f"/m/jobs/{demo_job.id}/offer-policy", data={**POLICY, "letter_template": crlf, "back": back})
    assert offers.policy_for(demo_job).letter_template == ""


def test_the_default_wording_is_the_letter_every_offer_had():
    """Offers made before templates existed (letter_template "") read word for word as before."""
    from types import SimpleNamespace

    from app.process.offer_letter import letter_lines
    offer = SimpleNamespace(application=SimpleNamespace(candidate=SimpleNamespace(name="李明")),
                            position="后端开发工程师", level="P6", salary=26000, start_date=dt.date(2027, 1, 4),
                            place="上海", probation_months=0, expires_on=dt.date(2026, 12, 20),
                            letter_note="福利\n\n报到须知", letter_template="")
    assert letter_lines(offer, "示例科技") == ("示例科技 录用通知书", [
        "李明:", "感谢你参加我们的面试。我们很高兴地通知你,你已被录用为「后端开发工程师」(职级 P6)。",
        "月薪(税前):人民币 26,000 元", "入职日期:2027年01月04日", "工作地点:上海", "试用期:无", "福利", "报到须知",
        "请在 2026年12月20日 前答复,逾期本通知自动失效。", "示例科技 人力资源部"])


def test_the_pdf_draws_every_character_it_shows(app):
    """The letter's font (a CJK font found on the machine, scripts/install.sh adds WenQuanYi) has no emoji: the PDF
    silently dropped them but kept their joiners (invisible characters in the copied text) and the gaps around them,
    and dropped a name's rare character (𠮷, outside the font) without a trace. An emoji is now left out with its
    joiners, skin tone and variation selector; any other character the font lacks shows as 〓 (the mark typesetters
    use for a missing character), so a name never silently loses one. The HTML letter keeps the text as typed."""
    from types import SimpleNamespace

    from fpdf import FPDF
    offer = SimpleNamespace(application=SimpleNamespace(candidate=SimpleNamespace(name="𠮷田明")),
                            position="后端开发工程师 🚀", level="", salary=26000, start_date=dt.date(2027, 1, 4),
                            place="上海", probation_months=3, expires_on=dt.date(2026, 12, 20),
                            letter_note="欢迎加入🎉团队 👍🏻 ❤️ 👨‍👩‍👧 ★ 一起加油!", letter_template="")
    with app.app_context():
        data = offer_letter.letter_pdf(offer, "示例科技")
        font = pdf_doc.cjk_font()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "〓田明:" in text and "欢迎加入团队 ★ 一起加油!" in text and "后端开发工程师」" in text, text
    assert "人民币 26,000 元" in text and "示例科技 人力资源部" in text
    glyphs = FPDF()
    glyphs.add_font("f", fname=str(font))
    drawn = glyphs.fonts["f"].cmap
    assert not [ch for ch in text if ch not in "\n " and ord(ch) not in drawn], text
    assert not set(text) & {"\u200d", "\ufe0f"}, text


def test_an_offer_date_is_a_calendar_day_typed_as_the_date_input_sends_it(app, demo_job):
    """The offer's dates went through date.fromisoformat, which also takes 20270104, 2027-W01-1 and 9999-12-31:
    one of those saved an offer starting in the year 9999. Refused now as the other date fields are, naming it."""
    import pytest

    from app.core.errors import AppError
    application, _ = cleared_for_offer(demo_job)
    for value in ("20270104", "2027-W01-1", "9999-12-31", "2027-02-30", ""):
        with pytest.raises(AppError) as refused:
            offers.create_offer(application.id, "hr_lina", {"salary": "26000", "start_date": value})
        assert refused.value.code == "bad_date" and refused.value.message.startswith("入职日期:"), value
    assert Offer.select().count() == 0

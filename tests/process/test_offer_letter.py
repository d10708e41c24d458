"""The job's own offer-letter paragraphs: HR writes them with the job's offer policy; an offer made afterwards
carries them in its letter page and PDF, and a later edit of the policy does not change an offer already made."""
import datetime as dt
import io

from pypdf import PdfReader

from app.core import pipeline
from app.process import checks, offers
from app.process.models import Offer
from tests.process.helpers import at_second_round
from tests.support.reports import sign_in_as

NOTE = "福利:六险一金、年度体检、每年 15 天带薪年假。\n报到当天请携带身份证原件和一寸照片两张。"
POLICY = {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "7", "probation_months": "3",
          "valid_days": "5", "place": "上海"}


def _cleared(job):
    application, token = at_second_round(job)
    moved = pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    checks.start_check(moved.id)
    order = checks.consent(application.id, True, checks.CONSENT_VERSION)
    education = checks.items_of(order)[0]
    checks.submit_item(application.id, education.id, "A1B2C3D4E5F6")
    checks.verify_item(application.id, education.id, "hr_lina", False, "学历待复核")
    checks.decide_problem(application.id, "hr_lina", True, "先发 Offer,入职前补齐")
    return application, token


def test_the_letter_carries_the_jobs_paragraphs_as_they_were(app, client, demo_job):
    application, token = _cleared(demo_job)
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
    application, _ = _cleared(demo_job)
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
    assert "薪资下限不能高于上限" in page
    assert 'value="40000"' in page and "报到当天请携带身份证原件" in page
    assert '<details style="margin-top:8px" open>' in page

"""How big a staff paste may be. A refused form's draft kept each field's first 20,000 characters: a 100,000-character
paste refused by its box's limit came back cut, and its length on the page was the cut one. Now every form is bounded
(MAX_FORM_BYTES, 2 MB: a urlencoded form in all, a multipart form's text fields each), the draft keeps a field whole,
and a request past the bound gets a 413 page that says what happened and leads back to the form."""
from urllib.parse import quote_plus

from app.process import offers
from app.process.models import MAX_LETTER_NOTE
from tests.process.helpers import cleared_for_offer
from tests.process.test_offer_letter import POLICY
from tests.support.reports import sign_in_as

PASTE = "福利:六险一金、年度体检、每年 15 天带薪年假。\n"   # 25 characters


def _paste(characters):
    return (PASTE * (characters // len(PASTE) + 1))[:characters]


def test_a_100k_paste_reaches_the_boxs_own_limit_and_comes_back_whole(app, client, demo_job):
    application, _ = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    page_url = f"/m/applications/{application.id}"
    pasted = _paste(100_000)
    assert len(pasted.encode()) * 3 > 500_000                              # over Werkzeug's default form bound
    res = client.post(f"/m/jobs/{demo_job.id}/offer-policy",
                      data={**POLICY, "letter_note": pasted, "back": page_url + "#offer"})
    assert res.status_code == 302                                          # not 413: the box's own limit refused it
    page = client.get(page_url).get_data(as_text=True)
    length = len(pasted.strip())
    assert f"录用通知书的补充段落最多 {MAX_LETTER_NOTE} 字,这段有 {length} 字" in page
    start = page.index(">", page.index('data-testid="letter-note"')) + 1
    assert page[start:page.index("</textarea>", start)] == pasted          # the draft holds all of it
    assert f"共 {length} 字,超过 {MAX_LETTER_NOTE} 字的上限" in page
    assert offers.policy_for(demo_job).letter_note == ""


def test_a_form_over_the_bound_gets_a_clear_413_leading_back(app, client, demo_job):
    application, _ = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    page_url = f"/m/applications/{application.id}"
    over = PASTE * (app.config["MAX_FORM_MEMORY_SIZE"] // len(quote_plus(PASTE)) + 1000)   # urlencoded, over it
    res = client.post(f"/m/jobs/{demo_job.id}/offer-policy", data={**POLICY, "letter_note": over},
                      headers={"Referer": f"http://localhost{page_url}"})
    assert res.status_code == 413
    page = res.get_data(as_text=True)
    assert "<title>内容太长,没有保存</title>" in page and "请返回上一页,删减文字(或换一个更小的文件)后重试" in page
    assert f'href="{page_url}" data-testid="error-back">返回上一页' in page
    assert offers.policy_for(demo_job).letter_note == ""
    api = client.post("/mp/api/v1/identity", data={"x": over})             # the APIs say it in their JSON
    assert api.status_code == 413 and api.get_json()["error"]["code"] == "too_large"
    assert api.get_json()["error"]["message"].startswith("内容太长,没有保存 请返回上一页,删减文字")

"""The process panel's long boxes (a round's 关注点, the job's letter paragraphs and wording) carried maxlength: a
longer paste was cut in the browser without a word, and the server cut what came past it ([:2000]) and saved it so.
Now the boxes take the paste whole, the server refuses a text over its limit with its length, and the refused
form's draft gives the whole text back (forms.typed kept only its first 2,000 characters)."""
import pytest

from app.core.errors import AppError
from app.process import checklists, offers, scheduling
from app.process.models import FOCUS_MAX, MAX_LETTER_NOTE, OnboardingChecklist, Round
from tests.process.helpers import at_second_round, cleared_for_offer
from tests.process.test_offer_letter import OWN, POLICY
from tests.support.reports import sign_in_as

FOCUS = "请重点追问分布式事务的取舍,以及线上故障的复盘方法。"   # 26 characters


def _textarea(page, testid):
    """The text inside the page's textarea of that data-testid."""
    start = page.index(">", page.index(f'data-testid="{testid}"')) + 1
    return page[start:page.index("</textarea>", start)]


def test_a_round_focus_over_its_limit_is_refused_with_its_length_not_cut(app, demo_job, redis_conn):
    application, _ = at_second_round(demo_job)
    whole = (FOCUS * (FOCUS_MAX // len(FOCUS) + 1))[:FOCUS_MAX]
    with pytest.raises(AppError) as refused:
        scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei"], duration_min=60, fmt="onsite",
                              place="北京", focus=whole + "。", check_members=False)
    assert refused.value.code == "focus_too_long"
    assert f"最多 {FOCUS_MAX} 字,这段有 {FOCUS_MAX + 1} 字" in refused.value.message
    assert Round.select().count() == 0
    round_ = scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei"], duration_min=60,
                                   fmt="onsite", place="北京", focus=whole, check_members=False)
    assert Round.get_by_id(round_.id).focus == whole                    # at the limit: taken whole


def test_a_refused_round_form_gives_a_long_focus_back_whole(app, client, demo_job, redis_conn):
    application, _ = at_second_round(demo_job)
    sign_in_as(client, "hr_lina", "李娜")
    page_url = f"/m/applications/{application.id}"
    assert 'maxlength="2000"' not in client.get(page_url).get_data(as_text=True)
    pasted = FOCUS * 100                                                   # 2,600 characters
    page = client.post(f"{page_url}/round", data={"interviewers": ["zhangwei"], "duration_min": "7",
                                                  "format": "onsite", "place": "北京", "focus": pasted},
                       follow_redirects=True).get_data(as_text=True)
    assert "时长只能是" in page and Round.select().count() == 0
    assert _textarea(page, "round-focus") == pasted
    assert f"共 {len(pasted)} 字,超过 {FOCUS_MAX} 字的上限" in page


def test_a_letter_note_over_its_limit_is_refused_and_comes_back_whole(app, client, demo_job):
    application, _ = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    back = f"/m/applications/{application.id}#offer"
    assert 'maxlength="2000"' not in client.get(back.split("#")[0]).get_data(as_text=True)
    note = "福利:六险一金、年度体检、每年 15 天带薪年假。\n" * 100            # 2,500 characters
    page = client.post(f"/m/jobs/{demo_job.id}/offer-policy", data={**POLICY, "letter_note": note, "back": back},
                       follow_redirects=True).get_data(as_text=True)
    assert f"录用通知书的补充段落最多 {MAX_LETTER_NOTE} 字,这段有 {len(note.strip())} 字" in page
    assert offers.policy_for(demo_job).letter_note == ""                  # nothing saved, not its first 2,000
    assert _textarea(page, "letter-note").strip() == note.strip()
    assert f"超过 {MAX_LETTER_NOTE} 字的上限" in page


def test_a_refused_policy_gives_a_long_letter_wording_back_whole(app, client, demo_job):
    """The wording may be 4,000 characters: a policy refused for its band came back with the first 2,000."""
    application, _ = cleared_for_offer(demo_job)
    sign_in_as(client, "hr_lina")
    back = f"/m/applications/{application.id}#offer"
    wording = OWN + "\n" + "入职后由导师带领熟悉业务,第一周安排系统培训。" * 120
    assert 2000 < len(wording) <= 4000
    page = client.post(f"/m/jobs/{demo_job.id}/offer-policy",
                       data={**POLICY, "salary_min": "40000", "salary_max": "30000", "letter_template": wording,
                             "back": back}, follow_redirects=True).get_data(as_text=True)
    assert "月薪下限不能高于上限" in page
    assert _textarea(page, "letter-template").replace("\r\n", "\n") == wording


def test_line_breaks_count_once_as_the_person_sees_them(app, demo_job, redis_conn):
    """A browser posts a textarea's line breaks as CRLF: a 关注点 HR sees as 2,000 characters came as more (and
    its end was cut by [:2000]); it is taken whole, its lines kept."""
    application, _ = at_second_round(demo_job)
    line = FOCUS[:-1] + "\r\n"                                             # 25 characters and a line break
    typed = (line * (FOCUS_MAX // 26 + 1))[:FOCUS_MAX + 70].rstrip()
    seen = typed.replace("\r\n", "\n")
    assert len(seen) <= FOCUS_MAX < len(typed)
    round_ = scheduling.open_round(application.id, "hr_lina", interviewers=["zhangwei"], duration_min=60,
                                   fmt="onsite", place="北京", focus=typed, check_members=False)
    assert Round.get_by_id(round_.id).focus == seen


def test_a_long_checklist_is_refused_whole_and_comes_back_in_the_box(app, client, demo_job):
    """The checklist box had maxlength="3000" and the view cut the text at 3,000 ([:3000]): a longer paste lost its
    end without a word (and the cut text was parsed, a half line saved as an item)."""
    application, _ = at_second_round(demo_job)
    sign_in_as(client, "hr_lina")
    page_url = f"/m/applications/{application.id}"
    assert 'maxlength="3000"' not in client.get(page_url).get_data(as_text=True)
    # a pasted list of notes, every line a file item; over the limit by its end
    pasted = "\n".join(f"第{n}份材料:请提供加盖公章的原件扫描件,并注明用途 | 文件" for n in range(1, 101))
    assert len(pasted) > checklists.MAX_TEXT
    res = client.post(f"/m/jobs/{demo_job.id}/onboarding-checklist", data={"checklist": pasted,
                                                                           "back": page_url + "#process"})
    assert res.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert f"入职清单最多 {checklists.MAX_TEXT} 字,这段有 {len(pasted)} 字,请删减后再保存" in page
    assert _textarea(page, "checklist-text") == pasted                      # the whole text, not its first 3,000
    assert f"共 {len(pasted)} 字,超过 {checklists.MAX_TEXT} 字的上限" in page
    assert not OnboardingChecklist.select().exists()

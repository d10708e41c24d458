"""The job page's 试评分 box: HR pastes an answer and sees scores, levels and reasons; nothing is stored."""
import pytest

from app.interview.models import Answer, Rating, Report
from app.interview.score_files import TRY_MAX_CHARS
from tests.support.reports import sign_in_as

pytestmark = pytest.mark.slow
STRONG = ("去年大促前报表接口超时，我负责排查。先看监控定位到一条慢查询，执行计划显示全表扫描，我加了联合索引并把热点"
          "结果缓存五分钟，接口从三秒降到两百毫秒，之后加了慢查询告警。")


def _counts():
    return Answer.select().count(), Report.select().count(), Rating.select().count()


def test_hr_tries_an_answer_and_nothing_is_stored(client, demo_job):
    sign_in_as(client, "hr_lina")
    before = _counts()
    page = client.post(f"/admin/jobs/{demo_job.id}/try-score", data={"question": "1", "answer": STRONG})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="trial-result"' in html and "总分" in html
    for name in ("语言表达", "逻辑思维", "岗位匹配度"):
        assert f"<b>{name}</b>" in html
    assert "级" in html and ("＋" in html or "－" in html)
    assert STRONG in html  # the answer stays in the box
    assert _counts() == before


@pytest.mark.parametrize("form, status, message", [
    ({"question": "1", "answer": "   "}, 400, "请粘贴一段回答"),
    ({"question": "9", "answer": STRONG}, 400, "请选择一道题"),
    ({"question": "x", "answer": STRONG}, 400, "请选择一道题"),
    ({"question": "1", "answer": "好" * (TRY_MAX_CHARS + 1)}, 400, f"这段有 {TRY_MAX_CHARS + 1} 字"),
])
def test_bad_input_is_named_on_the_page(client, demo_job, form, status, message):
    sign_in_as(client, "hr_lina")
    page = client.post(f"/admin/jobs/{demo_job.id}/try-score", data=form)
    assert page.status_code == status and message in page.get_data(as_text=True)


def test_a_long_real_transcript_is_scored_whole(client, demo_job):
    """A real answer is scored whatever its length (a question may give 20 minutes), but the box had maxlength=2000
    and the server refused more: a pasted transcript of a long answer was cut in the browser without a word."""
    sign_in_as(client, "hr_lina")
    html = client.get(f"/admin/jobs/{demo_job.id}").get_data(as_text=True)
    box = html[html.index('id="trial-answer"'):]
    assert "maxlength" not in box[:box.index(">")] and f"最多 {TRY_MAX_CHARS} 字" in box[:box.index(">")]
    long_answer = STRONG * 30
    assert 2000 < len(long_answer) < TRY_MAX_CHARS
    page = client.post(f"/admin/jobs/{demo_job.id}/try-score", data={"question": "1", "answer": long_answer})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="trial-result"' in html and "总分" in html


def test_an_answer_over_the_limit_is_refused_and_kept_whole_in_the_box(client, demo_job):
    """TRY_MAX_CHARS is the transcript of the longest recording a question allows, spoken fast."""
    from app.core.job_template import ANSWER_SECONDS_MAX
    assert TRY_MAX_CHARS >= ANSWER_SECONDS_MAX * 6      # 6 characters a second is already fast speech
    sign_in_as(client, "hr_lina")
    pasted = (STRONG * (TRY_MAX_CHARS // len(STRONG) + 2))
    page = client.post(f"/admin/jobs/{demo_job.id}/try-score", data={"question": "1", "answer": pasted})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="trial-result"' not in html
    assert f"试评分的回答最多 {TRY_MAX_CHARS} 字,这段有 {len(pasted)} 字,请删减后再试评分" in html
    assert f">{pasted}</textarea>" in html                              # the whole paste, to shorten
    assert f"共 {len(pasted)} 字,超过 {TRY_MAX_CHARS} 字的上限" in html


def test_only_hr_may_try(client, demo_job):
    sign_in_as(client, "zhangwei")  # the job's manager, not HR
    page = client.post(f"/admin/jobs/{demo_job.id}/try-score", data={"question": "1", "answer": STRONG})
    assert page.status_code == 403
    assert client.post("/admin/jobs/99999/try-score", data={"question": "0", "answer": STRONG}).status_code in (302,
                                                                                                              403)


def test_the_job_page_names_questions_without_anchors(client, demo_job):
    sign_in_as(client, "hr_lina")
    assert 'id="no-anchors"' not in client.get(f"/admin/jobs/{demo_job.id}").get_data(as_text=True)
    question = demo_job.ordered_questions()[2]
    question.anchors = {}
    question.save()
    html = client.get(f"/admin/jobs/{demo_job.id}").get_data(as_text=True)
    assert 'id="no-anchors"' in html and "第3题没有示例答案" in html
    editor = client.get(f"/admin/jobs/{demo_job.id}/edit").get_data(as_text=True)
    assert "1 道题没有示例答案" in editor and "第3题:没有示例答案" in editor


def test_a_new_jobs_blank_question_is_not_said_to_lack_anchors(client, app):
    """新建岗位 opened with 「⚠ 1 道题没有示例答案」 and 「第1题:没有示例答案」 over the empty question box, before
    HR had written any question; the hint is for questions that have a text."""
    sign_in_as(client, "hr_lina")
    editor = client.get("/admin/jobs/new").get_data(as_text=True)
    assert 'name="q_text"' in editor
    assert "没有示例答案" not in editor and 'id="anchors-hint"' not in editor

"""Anchor answers in job templates, rater ratings on the report page, and `scoring calibrate`."""
import re
from pathlib import Path

import pytest
import yaml

from app.analysis import model
from app.core import pipeline
from app.core.models import Job
from app.interview import flow as interview_flow
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Rating, Report, ScoringProfile
from app.screening.job_templates import TemplateError, import_template

TEMPLATES = Path(__file__).resolve().parents[2] / "job_templates"


def _template():
    return yaml.safe_load((TEMPLATES / "backend-engineer.yaml").read_text(encoding="utf-8"))


def test_shipped_templates_carry_anchors_for_levels_1_3_5_on_every_question():
    for name in ("backend-engineer.yaml", "sales-representative.yaml"):
        data = yaml.safe_load((TEMPLATES / name).read_text(encoding="utf-8"))
        for q in data["questions"]:
            assert set(q["anchors"]) == set(q["dimensions"]), (name, q["text"])
            for levels in q["anchors"].values():
                assert {1, 3, 5} <= set(levels)


def test_imported_anchors_are_stored_on_the_question(app):
    job = import_template((TEMPLATES / "sales-representative.yaml").read_text(encoding="utf-8"))
    question = job.ordered_questions()[1]
    assert set(question.anchors) == {"逻辑思维", "岗位匹配度"} and set(question.anchors["逻辑思维"]) == {"1", "3", "5"}


@pytest.mark.parametrize("anchors, expected", [
    ({"岗位匹配度": {1: "说得很空泛的一个答案示例", 3: "说得一般的一个答案示例"}}, "missing 5"),
    ({"抗压能力": {1: "说得很空泛的一个答案示例", 3: "说得一般的一个答案示例", 5: "说得很具体的一个答案示例"}},
     "this question's dimensions"),
    ({"岗位匹配度": {0: "说得很空泛的一个答案示例", 3: "说得一般的一个答案示例", 5: "说得很具体的一个答案示例"}},
     "level must be an integer 1-5"),
    ({"岗位匹配度": {1: "太短", 3: "说得一般的一个答案示例", 5: "说得很具体的一个答案示例"}}, "at least 10 characters"),
    ({"岗位匹配度": ["不是映射"]}, "must map level -> answer"),
])
def test_bad_anchors_name_the_problem_and_import_nothing(app, anchors, expected):
    data = _template()
    data["questions"][1]["anchors"] = anchors
    with pytest.raises(TemplateError) as info:
        import_template(yaml.safe_dump(data, allow_unicode=True))
    assert expected in info.value.message and "questions[1].anchors" in info.value.message
    assert Job.select().count() == 0


def test_jobs_import_cli_rejects_bad_anchors(app, runner, tmp_path):
    data = _template()
    data["questions"][0]["anchors"] = {"语言表达": {1: "说得很空泛的一个答案示例"}}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["jobs", "import", str(path)])
    assert result.exit_code == 1 and "levels 1, 3 and 5 are required" in result.output


TEXTS = ["我用慢查询日志找到订单表缺的联合索引，加上以后接口从两秒降到两百毫秒。",
         "我会先看一下日志，然后看数据库有没有慢查询，有的话就加索引。",
         "首先分析了数据库和缓存的原因，其次设计了微服务架构的方案，最后性能得到了提升。",
         "去年我把商品详情放进Redis缓存，设置十分钟过期，数据库查询减少了七成，接口P99从八百毫秒降到九十毫秒。",
         "嗯，之前系统有点慢，我就重启了一下服务，好像就好了。",
         "说实话我没有处理过线上性能问题，Redis没用过，索引也不太了解。"]


def _scored_answers(job, count, prefix="r", texts=TEXTS):
    """Real scored answers (typed transcripts scored by the real scorer) in one interview per answer."""
    from app.interview.answer_analysis import score
    answers = []
    for i in range(count):
        interview, _ = invite_candidate(job.id, f"候选人{i}", f"13{int(prefix == 'r')}{i:08d}")
        interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
        text = texts[i % len(texts)]
        answer = Answer.create(interview=interview, question=job.ordered_questions()[1], media_key=f"{prefix}{i}",
                               mime_type="audio/webm", duration_s=len(text) / 4, status="analysed",
                               transcript={"text": text, "segments": []}, features={"speaking_rate_cpm": 240.0})
        answers.append(score(answer.id))
    return answers


@pytest.fixture
def rated_report(app, demo_job):
    from app.interview.reports import build_report
    answer = _scored_answers(demo_job, 1)[0]
    interview = answer.interview
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="test", source="system")
    interview.status = "completed"
    interview.save()
    for q in demo_job.ordered_questions():  # the report needs every question answered and scored
        if q.id != answer.question_id:
            Answer.create(interview=interview, question=q, media_key=f"x{q.id}", mime_type="audio/webm",
                          duration_s=5, status="scored", transcript={"text": ""},
                          scores={"dimensions": {}, "model_version": "t"})
    report = build_report(interview.id) or Report.get(Report.interview == interview.id)
    return report, answer


def _sign_in(client, userid):
    from tests.support.reports import sign_in_as
    sign_in_as(client, userid)


@pytest.mark.slow
def test_raters_rate_and_see_others_only_after_submitting(app, rated_report):
    report, answer = rated_report
    from app.core.models import StaffUser
    StaffUser.create(userid="hr01", is_hr=True)
    manager, hr = app.test_client(), app.test_client()
    _sign_in(manager, "zhangwei")
    _sign_in(hr, "hr01")
    html = manager.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "人工评分" in html and "详情" in html and 'name="dimension" value="岗位匹配度"' in html
    ok = manager.post(f"/m/reports/{report.id}/rate", data={"answer_id": answer.id, "dimension": "岗位匹配度",
                                                            "score": "4"})
    assert ok.status_code == 302
    rating = Rating.get()
    assert (rating.rater_userid, rating.score, rating.dimension) == ("zhangwei", 4, "岗位匹配度")
    assert rating.shown_score == answer.scores["dimensions"]["岗位匹配度"]["score"]
    assert rating.model_version == answer.scores["model_version"] and rating.profile_version
    hr_page = hr.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert "已有 1 人评分,提交后可见" in hr_page and "zhangwei 4" not in hr_page
    hr.post(f"/m/reports/{report.id}/rate", data={"answer_id": answer.id, "dimension": "岗位匹配度", "score": "2"})
    hr_page = hr.get(f"/m/reports/{report.id}").get_data(as_text=True)
    assert re.search(r"我的评分 2 · 其他人:\S*zhangwei\S* 4|我的评分 2 · 其他人:.*4", hr_page)
    bad = manager.post(f"/m/reports/{report.id}/rate", data={"answer_id": answer.id, "dimension": "岗位匹配度",
                                                             "score": "9"}, follow_redirects=True)
    assert "评分应为 1-5" in bad.get_data(as_text=True) and Rating.get(Rating.rater_userid == "zhangwei").score == 4
    stranger = app.test_client()
    with stranger.session_transaction() as sess:
        sess["staff_userid"] = "wangfang"  # no role here: sent to sign in, nothing stored
    assert stranger.post(f"/m/reports/{report.id}/rate", data={"answer_id": answer.id, "dimension": "岗位匹配度",
                                                               "score": "3"}).status_code in (302, 404)
    assert Rating.select().count() == 2


def _rate_all(answers, rating_of):
    from app.core.staff import Staff
    from app.interview.ratings import submit_rating
    for i, answer in enumerate(answers):
        for rater in ("zhangwei", "lisi"):
            submit_rating(Staff(userid=rater, name=rater, is_hr=True, job_ids=frozenset()), answer.id, "岗位匹配度",
                          rating_of(i, answer))


@pytest.mark.slow
def test_calibrate_says_how_many_ratings_are_missing_and_keeps_weights_that_already_agree(app, runner, demo_job):
    answers = _scored_answers(demo_job, 18)
    few = runner.invoke(args=["scoring", "calibrate", "--job", str(demo_job.id)])
    assert few.exit_code == 0 and "还需要 30 条" in few.output and "30 more needed" in few.output
    # Raters who agree with the shipped scorer: they give each answer the level it was scored.
    _rate_all(answers, lambda _, answer: answer.scores["dimensions"]["岗位匹配度"]["level"])
    result = runner.invoke(args=["scoring", "calibrate", "--job", str(demo_job.id), "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert "36 |" in result.output and "Spearman" in result.output
    assert "未提升,保留原权重" in result.output and "nothing saved" in result.output
    assert ScoringProfile.select().count() == 0


@pytest.mark.slow
def test_calibrate_saves_a_profile_when_raters_weigh_differently_and_new_scores_use_it(app, runner, demo_job):
    from bench.scoring_data import rows
    texts = [r["text"] for r in rows() if (r["job"], r["question"]) == ("backend-engineer", 1)
             and r["category"] != "recycled"]
    answers = _scored_answers(demo_job, 2 * len(texts), texts=texts)

    def figures_minded(_, answer):  # raters who only look for numbers
        figures = answer.scores["dimensions"]["岗位匹配度"]["features"]["figures"]
        return int(min(5, max(1, round(1 + 4 * figures))))

    _rate_all(answers, figures_minded)
    result = runner.invoke(args=["scoring", "calibrate", "--job", str(demo_job.id), "--folds", "3"])
    assert result.exit_code == 0 and "已保存评分配置" in result.output, result.output
    profile = ScoringProfile.get()
    assert profile.version in result.output and profile.ratings_used == 4 * len(texts)
    shipped = {t["name"]: t["weight"] for t in model.load().terms}
    assert profile.weights["terms"]["figures"] > shipped["figures"]  # moved toward the raters' emphasis
    assert profile.metrics["after"]["spearman"] > profile.metrics["before"]["spearman"]
    fresh = _scored_answers(demo_job, 1, prefix="n")[0]
    assert fresh.scores["profile_version"] == profile.version
    assert answers[0].scores["profile_version"] != profile.version  # earlier scores keep their version
    assert Answer.get_by_id(answers[0].id).scores == answers[0].scores


def test_score_answer_rejects_an_unknown_profile(app, runner, tmp_path):
    media = tmp_path / "a.webm"
    media.write_bytes(b"x")
    result = runner.invoke(args=["score-answer", "--job-file", str(TEMPLATES / "backend-engineer.yaml"),
                                 "--question", "1", "--profile", "no-such-profile", str(media)])
    assert result.exit_code == 1 and "评分配置不存在" in result.output

"""Closeness to another question of the interview counts as evidence of a recycled answer only as far as the two
questions are on different topics (features.rival_weight), with the real sentence encoder on the backend template:
its two performance questions (q2 排查线上性能问题, q3 接口从100毫秒变成2秒) share a topic; the self-introduction
and the index question are apart from them."""

from pathlib import Path

import pytest
import yaml

from app.analysis import encoders
from app.analysis import features as F
from app.analysis import model as M

ROOT = Path(__file__).resolve().parents[2]
JOB = yaml.safe_load((ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
QUESTIONS = [q["text"] for q in JOB["questions"]]
# An honest answer to q3 (the 2-second interface) that tells the steps of a performance hunt, written for this test.
STEPS = ("我会先看监控，确认是所有请求都慢还是个别接口慢，再对一下发布记录有没有变更；然后看链路追踪把两秒拆开，"
         "慢在数据库就查慢查询日志和执行计划，慢在下游就看依赖方的延迟。")


@pytest.fixture(scope="module")
def encoder(scorer):
    return encoders.get(M.load().encoder)


@pytest.mark.slow
def test_same_topic_questions_weigh_less_and_a_discount_of_zero_changes_nothing(encoder):
    same = F.rival_weight(encoder, QUESTIONS[1], QUESTIONS[2], 4.0)
    apart = F.rival_weight(encoder, QUESTIONS[0], QUESTIONS[2], 4.0)
    assert same < 0.5 and apart == 1.0, (same, apart)
    assert F.rival_weight(encoder, QUESTIONS[1], QUESTIONS[2], 0.0) == 1.0
    assert F.rival_weight(encoder, QUESTIONS[1], QUESTIONS[2], 8.0) < same  # steeper with a larger discount
    assert F.topic_similarity(encoder, QUESTIONS[1], QUESTIONS[2]) > F.topic_similarity(encoder, QUESTIONS[0],
                                                                                          QUESTIONS[2])


def _topic(encoder, text: str, index: int, discount: float) -> dict:
    question = {"text": QUESTIONS[index], "position": index, "anchors": JOB["questions"][index].get("anchors") or {}}
    job = {**{k: JOB[k] for k in ("title", "description", "requirements")},
           "questions": [{"text": q["text"], "anchors": q.get("anchors") or {}} for q in JOB["questions"]]}
    values, _ = F.topic(encoder, text, question, job, JOB["dimensions"], [], discount)
    return values


@pytest.mark.slow
def test_the_discount_softens_only_comparisons_with_a_same_topic_question(encoder):
    plain, discounted = _topic(encoder, STEPS, 2, 0.0), _topic(encoder, STEPS, 2, 4.0)
    # Its own question's similarity and wording stay; the margin over the other questions can only move toward 0.
    assert discounted["sim_question"] == plain["sim_question"]
    assert discounted["lex_question"] == plain["lex_question"]
    for key in ("own_vs_other", "lex_margin"):
        assert abs(discounted[key]) <= abs(plain[key]) + 1e-9, (key, plain, discounted)
    # The self-introduction told for the index question: two questions apart, the margin keeps its full weight.
    intro = next(a for a in yaml.safe_load((ROOT / "tests" / "fixtures" / "scoring" / "labelled_answers.yaml")
                                           .read_text(encoding="utf-8"))["answers"] if a["id"] == "b0-strong")["text"]
    assert _topic(encoder, intro, 3, 4.0)["own_vs_other"] == _topic(encoder, intro, 3, 0.0)["own_vs_other"] < 0


def test_a_scorer_with_a_discount_out_of_range_is_refused():
    data = M.load().data
    for value in (-1.0, 20.0):
        with pytest.raises(M.ModelError):
            M.Model({**data, "discount": value})
    assert M.Model({**data, "discount": 2.0}).discount == 2.0

"""The learned scorer's logic on frozen features (tests/fixtures/scoring/features.json): no encoder runs here.

Bands, signs, "no single feature zeroes an answer", recycled answers needing several signals, reasons in plain
Chinese that never quote an unsafe span, and a fit that is deterministic. Orders on the labelled answers are
asserted with margins of 15-20 points; they are answers the shipped scorer was fitted on (with 12 other jobs), so
they guard against regressions and are no evidence of accuracy (that is bench/scoring.py's leave-one-job-out).
"""

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from app.analysis import fitting, reasons
from app.analysis import model as M

FROZEN = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "scoring" / "features.json")
                    .read_text(encoding="utf-8"))["answers"]
GAMED = ("keyword_list", "keyword_template", "negated", "readback")


@pytest.fixture(scope="module")
def scorer():
    return M.load()


def _rows(category=None):
    return [(i, a, name, row) for i, a in FROZEN.items() if category in (None, a["category"])
            for name, row in a["rows"].items()]


def test_scores_fall_in_bars_bands_at_the_fitted_thresholds(scorer):
    theta = scorer.thresholds
    assert np.allclose(fitting.to_score(theta, theta), [20, 40, 60, 80])
    eta = np.linspace(theta[0] - 6 * scorer.tail, theta[-1] + 6, 400)
    scores = fitting.to_score(eta, theta, scorer.tail)
    assert np.all(np.diff(scores) > 0) and 0 < scores[0] < 2 and 98 < scores[-1] < 100
    assert [fitting.level_of(s) for s in (0, 19, 20, 39.9, 40, 59, 60, 79, 80, 100)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    for _, _, _, row in _rows():
        p = scorer.predict(row)
        assert p["level"] == fitting.level_of(round(p["score"]))


def test_the_tail_spreads_level_one_only_and_keeps_every_order():
    theta = np.array([0.0, 1.0, 2.0, 3.0])
    eta = np.linspace(-8, 6, 300)
    plain, tailed = fitting.to_score(eta, theta), fitting.to_score(eta, theta, 2.0)
    assert np.all(np.diff(tailed) > 0)
    assert np.array_equal(plain[eta >= 0], tailed[eta >= 0])  # levels 2-5 untouched
    low = eta < 0
    assert np.all(tailed[low] >= plain[low]) and np.all(tailed[low] < 20)  # still level 1, less deep
    # 10 now means a one-in-ten chance of being better than level 1 (tail 1: one in four)
    at_ten = eta[low][np.argmin(abs(tailed[low] - 10))]
    assert abs(1 / (1 + np.exp(-(at_ten - theta[0]))) - 0.1) < 0.01


def test_the_gate_takes_content_away_faster_from_an_answer_off_its_question(scorer):
    strong = next(row for _, _, _, row in _rows("strong") if scorer.predict(row)["relevance"] > 0.9)
    off = {**strong, "own_vs_other": -0.05, "lex_margin": -0.5, "sim_question": 0.84, "lex_question": 0.0}
    r = scorer.relevance(off)
    gated = M.Model({**scorer.data, "gate": 2.0})
    plain = M.Model({**scorer.data, "gate": 1.0})
    assert gated.term_values(off)["figures"] == pytest.approx(r * plain.term_values(off)["figures"])
    assert gated.term_values(strong)["figures"] < plain.term_values(strong)["figures"] or strong["figures"] == 0


def test_content_only_raises_and_concerns_only_lower_a_score(scorer):
    content = [t["name"] for t in scorer.terms if t["kind"] == "content"]
    concerns = [t["name"] for t in scorer.terms if t["kind"] == "concern"]
    for _, _, _, row in _rows("medium"):
        base = scorer.predict(row)["score"]
        for name in content:
            assert scorer.predict({**row, name: min(1.0, row[name] + 0.3)})["score"] >= base - 1e-9, name
        for name in concerns:
            assert scorer.predict({**row, name: min(1.0, row[name] + 0.3)})["score"] <= base + 1e-9, name


def test_no_single_feature_zeroes_a_strong_answer(scorer):
    """Each standardised value is capped (fitting.Z_CAP) and each topic signal moves the odds of relevance by at
    most e^2 (model.SIGNAL_CAP): a strong answer the other signals place firmly on its question (relevance >= 0.8,
    and no more than one of the three "other question" margins against it) stays at level 2 or above whatever one
    feature says. (An answer already near the line can be tipped by one more signal: that is several signals
    agreeing. With two margins already against it, the third one also turns the agreement term: b1-strong, which
    meaning and wording place nearer the index question and only its anchors on its own, is such an answer.)"""
    worst = {}
    for _, _, _, row in _rows():
        for name, value in row.items():
            if value is None:
                continue
            low, high = worst.get(name, (value, value))
            worst[name] = (min(low, value), max(high, value))
    tried = 0
    for answer_id, _, dim, row in _rows("strong"):
        prediction = scorer.predict(row)
        against = sum(1 for k in M.MARGINS if row.get(k) is not None and row[k] < 0)
        if prediction["score"] < 60 or prediction["relevance"] < 0.8 or against > 1:
            continue
        tried += 1
        for name, (low, high) in worst.items():
            for value in (low, high):
                changed = scorer.predict({**row, name: value})["score"]
                assert changed >= 20, (answer_id, dim, name, value, changed)
    assert tried >= 6, tried


def test_a_recycled_story_needs_several_signals_to_lose_its_topic_credit(scorer):
    for answer_id, _, dim, row in _rows("strong"):
        if scorer.predict(row)["score"] < 60:
            continue
        one = scorer.predict({**row, "own_vs_other": -0.05})
        assert one["level"] >= 3, (answer_id, dim, one)
        several = scorer.predict({**row, "own_vs_other": -0.05, "lex_margin": -0.5, "sim_question": 0.84,
                                  "lex_question": 0.0, **({"anchor_vs_other": -0.05} if row["anchor_vs_other"]
                                                          is not None else {})})
        assert several["relevance"] < 0.5 and several["score"] <= one["score"] - 15, (answer_id, dim, several)


def test_the_labelled_answers_keep_their_order_with_margins(scorer):
    by_question = defaultdict(lambda: defaultdict(list))
    for _, a, _, row in _rows():
        by_question[(a["job"], a["question"])][a["category"]].append(scorer.predict(row)["score"])
    for question, cats in by_question.items():
        gamed = max(max(cats[c]) for c in GAMED)
        assert gamed <= 20, (question, {c: cats[c] for c in GAMED})
        assert min(cats["strong"]) >= gamed + 30, (question, cats["strong"], gamed)
        honest = [s for c in ("strong", "expert_concise", "medium", "asr_homophone") for s in cats[c]]
        assert np.mean(honest) >= np.mean([s for c in GAMED for s in cats[c]]) + 20, question


def test_reasons_are_plain_chinese_and_strength_quotes_stay_off_unsafe_spans(scorer):
    for answer_id, a, _, row in _rows():
        p = scorer.predict(row)
        text = a["text"]
        # Pretend the correction touched the first figure's clause: no strength may quote it then.
        unsafe = [(s["start"], s["end"]) for s in a["spans"].get("figures", [])[:1]]
        why = reasons.explain(p, row, scorer.terms, a["spans"], unsafe)
        for r in why:
            assert r["kind"] in ("strength", "concern")
            assert not re.search(r"[A-Za-z_]", r["text"]), r  # no internal names
            if r.get("quote"):
                assert text[r["start"]:r["end"]] == r["quote"]
                if r["kind"] == "strength":
                    assert not any(s < r["end"] and r["start"] < e for s, e in unsafe), (answer_id, r)
        if p["level"] == 1:
            assert not [r for r in why if r["kind"] == "strength"], (answer_id, why)


def test_a_recycled_answer_says_which_question_it_answers(scorer):
    answer_id, a, _, row = next(x for x in _rows("recycled") if scorer.predict(x[3])["relevance"] < 0.5)
    why = reasons.explain(scorer.predict(row), row, scorer.terms, a["spans"], [], "第2题的回答更像在回答第1题")
    assert "第2题的回答更像在回答第1题" in [r["text"] for r in why], (answer_id, why)


def test_fitting_is_deterministic_and_finds_planted_directions():
    rng = np.random.default_rng(5)
    Z = rng.normal(size=(300, 4))
    eta = Z @ np.array([1.5, -1.0, 0.0, 0.5])
    y = np.clip(np.digitize(eta + rng.normal(0, 0.4, 300), [-1.5, -0.5, 0.5, 1.5]) + 1, 1, 5)
    groups = [i // 15 for i in range(300)]
    first = fitting.fit(Z, y, groups, l2=0.01, pairwise=1.0)
    second = fitting.fit(Z, y, groups, l2=0.01, pairwise=1.0)
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    w, theta = first
    assert w[0] > 1.0 and w[1] < -0.5 and abs(w[2]) < 0.3 and np.all(np.diff(theta) > 0)
    signed, _ = fitting.fit(Z, y, groups, l2=0.01, pairwise=1.0, monotone=np.array([1, 1, 0, 0]))
    assert signed[1] == 0.0  # a weight against its declared sign is held at 0


def test_a_malformed_scorer_is_refused(scorer):
    data = json.loads(json.dumps(scorer.data))
    data["thresholds"] = [1, 0, 2, 3]
    with pytest.raises(M.ModelError):
        M.Model(data)
    for key, value in (("tail", 0.5), ("gate", 0.0)):
        with pytest.raises(M.ModelError):
            M.Model({**scorer.data, key: value})
    data = json.loads(json.dumps(scorer.data))
    data["terms"][0]["kind"] = "vibes"
    with pytest.raises(M.ModelError):
        M.Model(data)


def test_agreement_is_the_margin_most_in_favour_of_the_own_question():
    scales = {"own_vs_other": 0.02, "lex_margin": 0.2, "anchor_vs_other": 0.02}
    assert M.agreement({"own_vs_other": -0.02, "lex_margin": -0.4, "anchor_vs_other": 0.01}, scales) == 0.5
    assert M.agreement({"own_vs_other": -0.02, "lex_margin": -0.4, "anchor_vs_other": None}, scales) == -1.0
    assert M.agreement({}, scales) is None


def test_one_signal_that_tells_two_questions_apart_outvotes_the_others(scorer):
    """A strong answer that meaning and wording place nearer another question keeps more relevance when its anchors
    place it on its own question than when they agree with the others (the recycled story)."""
    tried = 0
    for answer_id, _, dim, row in _rows("strong"):
        if row["anchor_vs_other"] is None:
            continue
        tried += 1
        near_other = {**row, "own_vs_other": -0.02, "lex_margin": -0.3}
        rescued = scorer.relevance({**near_other, "anchor_vs_other": 0.03})
        agreed = scorer.relevance({**near_other, "anchor_vs_other": -0.03})
        assert rescued > agreed, (answer_id, dim, rescued, agreed)
    assert tried >= 4, tried

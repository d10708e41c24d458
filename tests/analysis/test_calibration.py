"""Calibration refits the learned scorer's level weights to a company's raters, and agreement metrics mean what
they say. Synthetic raters rate real frozen feature rows (tests/fixtures/scoring/features.json): no encoder runs."""
import json
from pathlib import Path

import numpy as np
import pytest

from app.analysis import agreement
from app.analysis import calibration as K
from app.analysis import model as M
from app.analysis import profiles as P

FROZEN = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "scoring" / "features.json")
                    .read_text(encoding="utf-8"))["answers"]


def _rows():
    return [(answer_id, dim, row) for answer_id, a in sorted(FROZEN.items()) for dim, row in sorted(a["rows"].items())]


def _raters(rate, seed, raters=2):
    """Each row rated by `raters` people: round(rate(row) + noise), clipped to 1-5."""
    rng = np.random.default_rng(seed)
    samples = []
    for answer_id, dim, row in _rows():
        for _ in range(raters):
            rating = int(np.clip(np.rint(rate(row) + rng.normal(0, 0.35)), 1, 5))
            samples.append({"dimension": dim, "features": row, "rating": rating, "group": answer_id})
    return samples


def _figures_only(row):
    """Raters who care about one thing: numbers (1 without, 5 with three or more)."""
    return 1 + 4 * row["figures"]


@pytest.mark.parametrize("seed", [7, 11])
def test_calibration_moves_the_weights_toward_what_raters_value_and_improves_held_out_agreement(seed):
    scorer = M.load()
    shipped = {t["name"]: t["weight"] for t in scorer.terms}
    result = K.calibrate(_raters(_figures_only, seed), scorer)
    assert result["improved"], result
    fitted = result["terms"]
    assert fitted["figures"] > shipped["figures"] + 0.2, (fitted["figures"], shipped["figures"])
    share = abs(fitted["figures"]) / sum(abs(v) for v in fitted.values())
    assert share > abs(shipped["figures"]) / sum(abs(v) for v in shipped.values()), share
    for name, weight in fitted.items():  # directions stay: a concern never becomes a strength
        assert weight * shipped[name] >= 0, name
    before, after = result["before"], result["after"]
    assert after["spearman"] >= before["spearman"] + 0.1 and after["pairwise"] >= before["pairwise"] + 0.05, result
    # The refit is a profile the scorer can use, with its own version.
    profile = P.load_profile({"version": "job1-v1", "weights": {"terms": fitted,
                                                                "thresholds": result["thresholds"]}})
    refitted = P.apply(scorer, profile)
    answer_id, dim, row = next(x for x in _rows() if x[2]["figures"] > 0.7)
    assert refitted.predict(row)["score"] != scorer.predict(row)["score"]


def test_raters_who_agree_with_the_shipped_scorer_change_nothing():
    scorer = M.load()
    result = K.calibrate(_raters(lambda row: scorer.predict(row)["level"], 3), scorer)
    assert not result["improved"], result


def test_too_few_ratings_say_how_many_more():
    samples = _raters(_figures_only, 1)[:6]
    assert K.calibrate(samples) == {"n": 6, "needed": K.MIN_RATINGS - 6}


def test_agreement_metrics():
    assert agreement.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert agreement.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert agreement.spearman([1, 1, 1], [1, 2, 3]) is None
    assert agreement.quadratic_kappa([1, 2, 3, 4, 5], [1, 2, 3, 4, 5]) == pytest.approx(1.0)
    assert agreement.quadratic_kappa([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]) == pytest.approx(-1.0)
    pairs = agreement.pairs([3, 1, 2])
    assert sorted(pairs) == [(0, 1), (0, 2), (2, 1)]
    assert agreement.pair_accuracy([0.9, 0.1, 0.5], pairs) == 1.0
    assert agreement.pair_accuracy([0.1, 0.1, 0.5], pairs) == pytest.approx((0.5 + 0 + 1) / 3)


def test_profiles_are_validated():
    with pytest.raises(P.ProfileError):
        P.load_profile({"version": "x", "weights": {"terms": {"vibes": 1.0}, "thresholds": [0, 1, 2, 3]}})
    with pytest.raises(P.ProfileError):
        P.load_profile({"version": "x", "weights": {"terms": {"figures": 1.0}, "thresholds": [0, 2, 1, 3]}})
    assert P.load_profile(None) is P.DEFAULT
    # A profile fitted for the rule scorer before (component weights) no longer applies: the shipped scorer scores.
    legacy = P.load_profile({"version": "job1-v1", "weights": {"岗位匹配度": {"substance": 1.0}}})
    assert P.apply(M.load(), legacy) is M.load()

"""Calibration recovers a planted weighting from synthetic raters, and agreement metrics mean what they say."""
import numpy as np
import pytest

from app.analysis import agreement
from app.analysis import calibration as K
from app.analysis import profiles as P

FIT = P.FIT
PLANTED = {"substance": 0.10, "coverage": 0.45, "rubric": 0.30, "topic": 0.10, "anchor": 0.05}


def _synthetic(seed, answers=80, raters=2, noise=0.35):
    """Answers with random components; each rater rates round(1 + 4 x planted score + noise), clipped to 1-5."""
    rng = np.random.default_rng(seed)
    samples = []
    for i in range(answers):
        c = {n: float(rng.uniform()) for n in PLANTED}
        s = sum(PLANTED[n] * c[n] for n in PLANTED)
        for _ in range(raters):
            rating = int(np.clip(np.rint(1 + 4 * s + rng.normal(0, noise)), 1, 5))
            samples.append({"dimension": FIT, "components": c, "gate": 1.0, "rating": rating, "group": i})
    return samples


@pytest.mark.parametrize("seed", [7, 11, 23])
def test_calibration_recovers_a_planted_weighting_and_improves_held_out_agreement(seed):
    result = K.calibrate(_synthetic(seed), P.DEFAULT_WEIGHTS)[FIT]
    fitted = result["weights"]
    default_gap = sum(abs(P.DEFAULT_WEIGHTS[FIT][n] - PLANTED[n]) for n in PLANTED)  # 0.80
    gap = sum(abs(fitted[n] - PLANTED[n]) for n in PLANTED)
    assert gap <= 0.25 < default_gap, (fitted, gap)
    assert max(fitted, key=fitted.get) == "coverage"
    assert result["improved"]
    before, after = result["before"], result["after"]
    assert after["spearman"] >= before["spearman"] + 0.15, result
    assert after["qwk"] >= before["qwk"] + 0.2 and after["pairwise"] >= before["pairwise"] + 0.08, result


def test_raters_who_agree_with_the_default_change_nothing():
    rng = np.random.default_rng(3)
    samples = []
    for i in range(60):
        c = {n: float(rng.uniform()) for n in P.DEFAULT_WEIGHTS[FIT]}
        s = sum(P.DEFAULT_WEIGHTS[FIT][n] * c[n] for n in c)
        samples.append({"dimension": FIT, "components": c, "gate": 1.0, "group": i,
                        "rating": int(np.clip(np.rint(1 + 4 * s + rng.normal(0, 0.3)), 1, 5))})
    result = K.calibrate(samples, P.DEFAULT_WEIGHTS)[FIT]
    assert not result["improved"], result


def test_too_few_ratings_say_how_many_more():
    result = K.calibrate(_synthetic(1, answers=3, raters=2), P.DEFAULT_WEIGHTS)[FIT]
    assert result == {"n": 6, "needed": K.MIN_RATINGS_PER_DIMENSION - 6}


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
        P.load_profile({"version": "x", "weights": {FIT: {"substance": 0.5, "coverage": 0.2}}})
    with pytest.raises(P.ProfileError):
        P.load_profile({"version": "x", "weights": {FIT: {"vibes": 1.0}}})
    assert P.load_profile(None) is P.DEFAULT

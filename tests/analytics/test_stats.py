"""The pure statistics of app/analytics/stats.py against worked examples and textbook values."""
import math

import numpy as np
import pytest

from app.analytics import stats


def test_impact_ratio_reproduces_the_worked_example():
    # 48 of 80 selected vs 12 of 40: rates 0.6 and 0.3, impact ratio 0.5, below four fifths.
    rows = {r["group"]: r for r in stats.impact_table({"男": (48, 80), "女": (12, 40)})}
    assert rows["男"]["reference"] and rows["男"]["ratio"] == 1.0
    women = rows["女"]
    assert women["rate"] == pytest.approx(0.3)
    assert women["ratio"] == pytest.approx(0.5)
    assert women["four_fifths"] is True
    # pooled two-proportion z = 0.3 / sqrt(0.25 * (1/80 + 1/40)) = 3.098, p = 0.0019
    assert women["z_p"] == pytest.approx(0.00195, abs=0.0001)
    assert women["significant"] is True
    assert women["low"] == pytest.approx(0.302, abs=0.002) and women["high"] == pytest.approx(0.829, abs=0.002)


def test_two_proportion_z_by_hand():
    z, p = stats.two_proportion_z(12, 40, 48, 80)
    assert z == pytest.approx(-3.0984, abs=1e-3)
    assert p == pytest.approx(0.001946, abs=1e-5)


def test_fisher_exact_matches_the_lady_tasting_tea():
    assert stats.fisher_exact(3, 1, 1, 3) == pytest.approx(0.4857, abs=1e-4)
    assert stats.fisher_exact(1, 9, 11, 3) == pytest.approx(0.002759, abs=1e-5)  # scipy.stats.fisher_exact


def test_small_groups_are_insufficient_and_the_reference_needs_enough_data():
    rows = {r["group"]: r for r in stats.impact_table({"A": (5, 5), "B": (30, 60), "C": (10, 40)})}
    assert rows["A"]["insufficient"] and rows["A"]["ratio"] is None  # 5/5 is not the reference
    assert rows["B"]["reference"]
    assert rows["C"]["ratio"] == pytest.approx(0.5)


def test_no_flag_when_rates_are_close():
    rows = {r["group"]: r for r in stats.impact_table({"A": (45, 100), "B": (40, 100)})}
    assert rows["B"]["ratio"] == pytest.approx(40 / 45)
    assert not rows["B"]["four_fifths"] and not rows["B"]["significant"]


def test_wilson_interval():
    lo, hi = stats.wilson_interval(0, 10)
    assert lo == 0 and hi == pytest.approx(0.2775, abs=1e-4)
    lo, hi = stats.wilson_interval(50, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)


def test_funnel_limits_close_to_normal_approximation_and_narrow_with_n():
    lo, hi = stats.funnel_limits(0.3, 58)
    half = 1.96 * math.sqrt(0.3 * 0.7 / 58)
    assert lo == pytest.approx(0.3 - half, abs=0.02) and hi == pytest.approx(0.3 + half, abs=0.02)
    lo2, hi2 = stats.funnel_limits(0.3, 580)
    assert lo < lo2 < 0.3 < hi2 < hi
    assert stats.outside_limits(36, 58, 0.3) == "high"    # 62 % against a 30 % baseline
    assert stats.outside_limits(18, 58, 0.3) is None
    assert stats.outside_limits(5, 58, 0.3) == "low"


def test_bootstrap_correlation_interval_contains_r_and_is_reproducible():
    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    y = 0.5 * x + rng.normal(size=200)
    a = stats.bootstrap_correlation(x, y, seed=3)
    b = stats.bootstrap_correlation(x, y, seed=3)
    assert a == b
    assert a["low"] < a["r"] < a["high"] and a["n"] == 200
    assert a["low"] > 0.2 and a["high"] < 0.65
    noise = stats.bootstrap_correlation(x, rng.normal(size=200), seed=3)
    assert noise["low"] < 0 < noise["high"]


def test_recommended_weights_are_capped_shrunk_and_sum_to_100():
    current = {"A": 25, "B": 25, "C": 25, "D": 25}
    rec = stats.recommend_weights(current, {"A": 0.6, "B": 0.0, "C": -0.2, "D": 0.05}, n=400)
    assert sum(rec.values()) == 100 and all(w >= 0 for w in rec.values())
    assert rec["A"] == 35                                   # capped at +10
    assert all(abs(rec[d] - current[d]) <= 10 for d in current)
    assert rec["A"] > max(rec["B"], rec["C"], rec["D"])
    # the others all hit the -10 cap and share back the points the cap on A left over
    assert sorted([rec["B"], rec["C"], rec["D"]]) == [21, 22, 22]
    few = stats.recommend_weights(current, {"A": 0.6, "B": 0.0, "C": -0.2, "D": 0.05}, n=10)
    assert 25 < few["A"] < rec["A"]                         # few hires, small move
    assert stats.recommend_weights(current, {"A": -0.1, "B": math.nan}, n=400) == current


def test_round_to_total():
    assert stats.round_to_total([33.4, 33.3, 33.3]) == [34, 33, 33]
    assert sum(stats.round_to_total([12.5, 12.5, 75.0])) == 100


def test_percentile():
    assert stats.percentile([1, 2, 3, 4, None], 50) == 2.5
    assert stats.percentile([], 90) is None


def test_nobody_selected_gives_no_ratio():
    rows = stats.impact_table({"A": (0, 40), "B": (0, 30)})
    assert all(r["ratio"] is None and not r["four_fifths"] for r in rows)

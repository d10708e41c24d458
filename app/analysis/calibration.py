"""Refit the learned scorer's level weights to a company's own ratings, pulled toward the shipped weights.

Each rating is a sample: the features the scorer stored for that dimension of that answer (scores[dim]["features"])
and the rater's 1-5. The relevance model and the standardisation stay the shipped ones; the level model's term
weights and thresholds are refitted (app/analysis/fitting.fit: ordinal + pairwise loss, signs kept) with an L2
penalty toward the shipped weights (`alpha`), so a few dozen ratings move the weights only as far as they agree.

Agreement is measured on held-out folds (answers grouped, so two raters of one answer never straddle a fold):
Spearman, quadratic-weighted kappa (levels) and pairwise order accuracy, before (shipped) and after (refitted).
"""

from __future__ import annotations

import numpy as np

from app.analysis import agreement, fitting
from app.analysis import model as M

MIN_RATINGS = 10


def _matrix(scorer: M.Model, rows: list[dict]) -> np.ndarray:
    """Standardised term values (the shipped model's means and deviations)."""
    out = []
    for row in rows:
        values = scorer.term_values(row)
        out.append([M._z(values[t["name"]], t["mean"], t["std"]) for t in scorer.terms])
    return np.array(out, dtype=float)


def _signs(scorer: M.Model) -> np.ndarray:
    """Keep each term's shipped direction: a weight may shrink to 0 but never change sign."""
    return np.array([float(np.sign(t["weight"])) for t in scorer.terms])


def _folds(groups: list, k: int) -> list[np.ndarray]:
    """k folds of sample indices, whole groups per fold, assigned in a fixed order (deterministic)."""
    unique = sorted(set(groups), key=str)
    fold_of = {g: i % k for i, g in enumerate(unique)}
    return [np.array([i for i, g in enumerate(groups) if fold_of[g] == f], dtype=int) for f in range(k)]


def _agreement(eta: np.ndarray, theta: np.ndarray, r: np.ndarray) -> dict:
    levels = np.array([fitting.level_of(s) for s in fitting.to_score(eta, theta)])
    return {"spearman": agreement.spearman(eta, r), "qwk": agreement.quadratic_kappa(levels, r),
            "pairwise": agreement.pair_accuracy(list(eta), agreement.pairs(list(r)))}


def _fit(Z, r, groups, prior, signs, alpha):
    return fitting.fit(Z, r, groups, l2=alpha, pairwise=1.0, prior=prior, monotone=signs, steps=600)


def cross_validate(scorer: M.Model, Z: np.ndarray, r: np.ndarray, groups: list, dims: list, k: int,
                   alpha: float) -> dict:
    prior, theta0 = np.array([t["weight"] for t in scorer.terms]), scorer.thresholds
    before, after = np.zeros(len(r)), np.zeros(len(r))
    after_theta = np.zeros((len(r), 4))
    for test in _folds(groups, k):
        if not len(test):
            continue
        train = np.setdiff1d(np.arange(len(r)), test)
        w, theta = _fit(Z[train], r[train], [dims[i] for i in train], prior, _signs(scorer), alpha)
        before[test] = Z[test] @ prior
        after[test] = Z[test] @ w
        after_theta[test] = theta
    # Levels after use each fold's own thresholds.
    after_levels = np.array([fitting.level_of(float(fitting.to_score(e, t)[0])) for e, t in zip(after, after_theta,
                                                                                                   strict=True)])
    return {"before": _agreement(before, theta0, r),
            "after": {"spearman": agreement.spearman(after, r), "qwk": agreement.quadratic_kappa(after_levels, r),
                      "pairwise": agreement.pair_accuracy(list(after), agreement.pairs(list(r)))}}


def _summary(m: dict) -> float:
    values = [m[k] for k in ("spearman", "pairwise") if m[k] is not None]
    return float(np.mean(values)) if values else 0.0


def calibrate(samples: list[dict], scorer: M.Model | None = None, k: int = 5, alpha: float = 0.05,
              min_gain: float = 0.01) -> dict:
    """samples: {"features": the stored row, "rating": 1-5, "group": answer id, "dimension"}.

    Returns {"n", "needed"} when there are fewer than MIN_RATINGS, else {"n", "terms": {name: weight},
    "thresholds", "before", "after" (held-out), "improved"}."""
    scorer = scorer or M.load()
    rows = [s for s in samples if s.get("features")]
    if len(rows) < MIN_RATINGS:
        return {"n": len(rows), "needed": MIN_RATINGS - len(rows)}
    Z = _matrix(scorer, [s["features"] for s in rows])
    r = np.array([int(s["rating"]) for s in rows])
    groups = [s["group"] for s in rows]
    dims = [s.get("dimension", "") for s in rows]
    cv = cross_validate(scorer, Z, r, groups, dims, k, alpha)
    w, theta = _fit(Z, r, dims, np.array([t["weight"] for t in scorer.terms]), _signs(scorer), alpha)
    improved = _summary(cv["after"]) >= _summary(cv["before"]) + min_gain
    return {"n": len(rows), "terms": {t["name"]: round(float(v), 4) for t, v in zip(scorer.terms, w, strict=True)},
            "thresholds": [round(float(x), 4) for x in theta], "before": cv["before"], "after": cv["after"],
            "improved": bool(improved)}

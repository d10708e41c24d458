"""Fit a dimension's component weights to human ratings: few parameters, constrained, regularised, cross-validated.

Model per dimension: rating ~ a + b x gate x sum_k(w_k x c_k), with the components c_k and gate the scorer already
computes (app/analysis/scoring.py stores them with every score), w on the simplex (w_k >= 0, sum 1) and shrunk
toward the current profile's weights (ridge, `alpha`), b >= 0. So at most 6 weights + 2 map parameters per
dimension, and the score stays a weighted mean of interpretable parts.

Agreement is measured on held-out folds (answers grouped, so two raters of one answer never straddle a fold):
Spearman, quadratic-weighted kappa (predictions mapped to 1-5 by the fold's own a, b) and pairwise order accuracy.
"""

from __future__ import annotations

import numpy as np

from app.analysis import agreement

MIN_RATINGS_PER_DIMENSION = 10


def _project_simplex(v: np.ndarray) -> np.ndarray:
    """Euclidean projection onto {w >= 0, sum w = 1}."""
    u = np.sort(v)[::-1]
    css = np.cumsum(u)
    rho = np.nonzero(u * np.arange(1, len(v) + 1) > (css - 1))[0][-1]
    theta = (css[rho] - 1) / (rho + 1.0)
    return np.maximum(v - theta, 0)


def _map(s: np.ndarray, r: np.ndarray) -> tuple[float, float]:
    """Least-squares a, b (b >= 0) of ratings on scores."""
    if np.ptp(s) < 1e-9:
        return float(r.mean()), 0.0
    b, a = np.polyfit(s, r, 1)
    b = max(0.0, float(b))
    return float(r.mean() - b * s.mean()), b


def fit_weights(X: np.ndarray, r: np.ndarray, prior: np.ndarray, alpha: float = 0.05, steps: int = 400
                ) -> tuple[np.ndarray, float, float]:
    """Weights on the simplex minimising mean (r - a - b X w)^2 + alpha |w - prior|^2; returns (w, a, b)."""
    w = prior.copy()
    n = len(r)
    for _ in range(steps):
        s = X @ w
        a, b = _map(s, r)
        if b == 0:
            break
        residual = a + b * s - r
        grad = 2 * b * X.T @ residual / n + 2 * alpha * (w - prior)
        lipschitz = 2 * b * b * np.linalg.norm(X, 2) ** 2 / n + 2 * alpha
        w = _project_simplex(w - grad / lipschitz)
    a, b = _map(X @ w, r)
    return w, a, b


def _folds(groups: list, k: int) -> list[np.ndarray]:
    """k folds of sample indices, whole groups per fold, assigned in a fixed order (deterministic)."""
    unique = sorted(set(groups), key=str)
    fold_of = {g: i % k for i, g in enumerate(unique)}
    return [np.array([i for i, g in enumerate(groups) if fold_of[g] == f]) for f in range(k)]


def _agreement(pred: np.ndarray, mapped: np.ndarray, r: np.ndarray) -> dict:
    pairs = agreement.pairs(list(r))
    return {"spearman": agreement.spearman(pred, r), "qwk": agreement.quadratic_kappa(mapped, r),
            "pairwise": agreement.pair_accuracy(list(pred), pairs)}


def cross_validate(X: np.ndarray, r: np.ndarray, groups: list, prior: np.ndarray, k: int = 5,
                   alpha: float = 0.05) -> dict:
    """Held-out agreement of the prior weights and of fitted weights (each fold fits on the others)."""
    before, after = np.zeros(len(r)), np.zeros(len(r))
    before_mapped, after_mapped = np.zeros(len(r)), np.zeros(len(r))
    for test in _folds(groups, k):
        if not len(test):
            continue
        train = np.setdiff1d(np.arange(len(r)), test)
        a0, b0 = _map(X[train] @ prior, r[train])
        before[test] = X[test] @ prior
        before_mapped[test] = a0 + b0 * before[test]
        w, a, b = fit_weights(X[train], r[train], prior, alpha)
        after[test] = X[test] @ w
        after_mapped[test] = a + b * after[test]
    return {"before": _agreement(before, before_mapped, r), "after": _agreement(after, after_mapped, r)}


def _summary(m: dict) -> float:
    values = [m[k] for k in ("spearman", "pairwise") if m[k] is not None]
    return float(np.mean(values)) if values else 0.0


def calibrate(samples: list[dict], prior_weights: dict[str, dict[str, float]], k: int = 5, alpha: float = 0.05,
              min_gain: float = 0.01) -> dict:
    """Fit each dimension with enough ratings. `samples`: {"dimension", "components", "gate", "rating", "group"}.

    Returns {dimension: {"n", "weights" (fitted on all), "before", "after" (held-out), "improved"}}; a dimension
    with fewer than MIN_RATINGS_PER_DIMENSION ratings gets {"n", "needed"} only.
    """
    out = {}
    for dim in sorted({s["dimension"] for s in samples}):
        rows = [s for s in samples if s["dimension"] == dim]
        prior = prior_weights.get(dim) or prior_weights.get("*")
        if len(rows) < MIN_RATINGS_PER_DIMENSION or not prior:
            out[dim] = {"n": len(rows), "needed": max(0, MIN_RATINGS_PER_DIMENSION - len(rows))}
            continue
        names = [c for c in prior if all(s["components"].get(c) is not None for s in rows)]
        p = np.array([prior[c] for c in names], dtype=float)
        p = p / p.sum()
        X = np.array([[s["gate"] * s["components"][c] for c in names] for s in rows], dtype=float)
        r = np.array([float(s["rating"]) for s in rows])
        cv = cross_validate(X, r, [s["group"] for s in rows], p, k, alpha)
        w, _, _ = fit_weights(X, r, p, alpha)
        improved = _summary(cv["after"]) >= _summary(cv["before"]) + min_gain
        out[dim] = {"n": len(rows), "components": names,
                    "weights": {c: round(float(v), 4) for c, v in zip(names, w, strict=True)},
                    "before": cv["before"], "after": cv["after"], "improved": bool(improved)}
    return out

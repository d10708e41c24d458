"""Fit the learned scorer: an ordinal logistic regression on standardised features, numpy only, deterministic.

P(label > k) = sigmoid(eta - theta_k), eta = w . z, z = (x - mean) / std, thresholds theta_1 < ... < theta_4.
The loss adds a pairwise term (two answers to the same question with different labels: the better one should have
the larger eta) and an L2 penalty that pulls w toward `prior` (zero when fitting from scratch, the shipped weights
when a company calibrates on its own ratings). Full-batch gradient descent with a fixed step schedule from a fixed
start: the same data give the same weights on every machine.
"""

from __future__ import annotations

import numpy as np

LEVELS = 5
MIN_GAP = 0.05  # between two thresholds


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * x))


def standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Column means and standard deviations over present (non-NaN) values; constant columns get std 1."""
    mean = np.nanmean(np.where(np.isnan(X).all(0), 0.0, X), axis=0) if len(X) else np.zeros(X.shape[1])
    mean = np.nan_to_num(mean)
    std = np.nanstd(X, axis=0) if len(X) else np.ones(X.shape[1])
    std = np.where(~np.isfinite(std) | (std < 1e-6), 1.0, std)
    return mean, std


Z_CAP = 3.0  # standardised values are clipped here: no single feature moves an answer by more than ~2 levels


def zscore(X: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Standardise and clip to +-Z_CAP; a missing feature (NaN: no anchors) sits at the mean (contributes 0)."""
    Z = np.clip((X - mean) / std, -Z_CAP, Z_CAP)
    return np.where(np.isnan(Z), 0.0, Z)


def _ordinal_grad(Z, y, w, theta, sample_w):
    eta = Z @ w
    lo = np.concatenate([[-np.inf], theta])[y - 1]   # theta_{y-1}
    hi = np.concatenate([theta, [np.inf]])[y - 1]    # theta_y
    a = _sigmoid(eta - lo)  # P(label > y-1)
    b = _sigmoid(eta - hi)  # P(label > y)
    p = np.maximum(a - b, 1e-12)
    # d/d eta of -log(a - b) = -(a(1-a) - b(1-b)) / p
    da, db = a * (1 - a), b * (1 - b)
    g_eta = -(da - db) / p * sample_w
    g_w = Z.T @ g_eta
    # theta_k is the upper cut of label k+1 and the lower cut of label k+2
    hi_part = np.bincount(y - 1, weights=sample_w * db / p, minlength=LEVELS)
    lo_part = np.bincount(y - 1, weights=sample_w * da / p, minlength=LEVELS)
    g_theta = -hi_part[:len(theta)] + lo_part[1:len(theta) + 1]
    loss = -np.sum(sample_w * np.log(p))
    return loss, g_w, g_theta


def fit(Z: np.ndarray, y: np.ndarray, groups: list, l2: float, pairwise: float = 1.0,
        prior: np.ndarray | None = None, sample_w: np.ndarray | None = None, steps: int = 800,
        monotone: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(w, theta) minimising ordinal NLL + pairwise * pair log-loss + l2 * |w - prior|^2 (losses averaged).

    `monotone`: per feature +1 / -1 / 0; a weight whose sign contradicts its meaning is clipped to 0 (a filler
    never raises a score, a figure never lowers one)."""
    n, d = Z.shape
    y = np.asarray(y, dtype=int)
    prior = np.zeros(d) if prior is None else np.asarray(prior, dtype=float)
    sample_w = np.ones(n) if sample_w is None else np.asarray(sample_w, dtype=float)
    sample_w = sample_w / sample_w.sum()
    better, worse = _pairs(y, groups)
    diff = Z[better] - Z[worse] if len(better) else np.zeros((0, d))
    w = prior.copy()
    theta = np.array([-1.5, -0.5, 0.5, 1.5])
    lr = 0.5
    m_w, v_w = np.zeros(d), np.zeros(d)
    m_t, v_t = np.zeros(4), np.zeros(4)
    for step in range(1, steps + 1):
        _, g_w, g_t = _ordinal_grad(Z, y, w, theta, sample_w)
        if pairwise and len(diff):
            g_pair = -(1 - _sigmoid(diff @ w)) / len(diff)
            g_w = g_w + pairwise * (diff.T @ g_pair)
        g_w = g_w + 2 * l2 * (w - prior)
        # Adam with a decaying step: smooth, and identical from run to run.
        m_w = 0.9 * m_w + 0.1 * g_w
        v_w = 0.999 * v_w + 0.001 * g_w ** 2
        m_t = 0.9 * m_t + 0.1 * g_t
        v_t = 0.999 * v_t + 0.001 * g_t ** 2
        rate = lr * 0.05 / (1 + step / 300)
        w = w - rate * (m_w / (1 - 0.9 ** step)) / (np.sqrt(v_w / (1 - 0.999 ** step)) + 1e-8)
        theta = theta - rate * (m_t / (1 - 0.9 ** step)) / (np.sqrt(v_t / (1 - 0.999 ** step)) + 1e-8)
        for k in range(1, len(theta)):  # levels no rater used still get a band of their own
            theta[k] = max(theta[k], theta[k - 1] + MIN_GAP)
        if monotone is not None:
            w = np.where(monotone * w < 0, 0.0, w)
    return w, theta


def _pairs(y: np.ndarray, groups: list) -> tuple[np.ndarray, np.ndarray]:
    index: dict = {}
    for i, g in enumerate(groups):
        index.setdefault(g, []).append(i)
    better, worse = [], []
    for members in index.values():
        for i in members:
            for j in members:
                if y[i] > y[j]:
                    better.append(i)
                    worse.append(j)
    return np.array(better, dtype=int), np.array(worse, dtype=int)


def to_score(eta: np.ndarray | float, theta: np.ndarray, tail: float = 1.0) -> np.ndarray:
    """Map eta onto 0-100 so that the fitted levels are the BARS bands: level k = [20(k-1), 20k).

    Between two thresholds a score moves linearly. Below theta_1 it is 40 x sigmoid((eta - theta_1) / tail): with
    tail 1 that is 40 x P(label > 1) (10 = a one-in-four chance of being better than level 1); a larger tail
    (chosen on training jobs, bench/scoring_fit.choose_tail) keeps an answer out of 0-9 unless the model is surer
    (tail 2: 10 = a one-in-ten chance). It only spreads level 1's band: every order and every level stays. Above
    theta_4 symmetrically 100 - 40 x P(label < 5). Continuous and increasing in eta."""
    eta = np.atleast_1d(np.asarray(eta, dtype=float))
    inner = np.interp(eta, theta, np.arange(20, 81, 20, dtype=float))
    low = 40 * _sigmoid((eta - theta[0]) / tail)
    high = 100 - 40 * (1 - _sigmoid(eta - theta[-1]))
    return np.where(eta < theta[0], low, np.where(eta > theta[-1], high, inner))


def level_of(score: float) -> int:
    """BARS level of a 0-100 score: 1: 0-19, 2: 20-39, 3: 40-59, 4: 60-79, 5: 80-100."""
    return int(min(5, max(1, score // 20 + 1)))

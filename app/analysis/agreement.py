"""Agreement between scores and human labels: Spearman, quadratic-weighted kappa, pairwise order accuracy.

Plain numpy, no SciPy: the benchmark (bench/scoring.py) and rater calibration (app/analysis/calibration.py) use
the same definitions.
"""

from __future__ import annotations

import numpy as np


def _ranks(values) -> np.ndarray:
    """Average ranks (ties share the mean of their positions), 1-based; like scipy.stats.rankdata("average").

    Vectorised: a stable sort, the start of each run of equal values, and each run's mean position (a NaN is a run
    of its own, sorted last)."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    if n == 0:
        return np.empty(0, dtype=float)
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(sorted_values[1:], sorted_values[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n) - 1
    ranks = np.empty(n, dtype=float)
    ranks[order] = ((starts + ends) / 2 + 1)[np.cumsum(new) - 1]
    return ranks


def spearman(a, b) -> float | None:
    """Spearman's rho with average ranks; None when either side is constant or there are < 3 values."""
    if len(a) < 3 or len(a) != len(b):
        return None
    ra, rb = _ranks(a), _ranks(b)
    if ra.std() == 0 or rb.std() == 0:
        return None
    return float(np.corrcoef(ra, rb)[0, 1])


def quadratic_kappa(a, b, low: int = 1, high: int = 5) -> float | None:
    """Cohen's kappa with quadratic weights for two integer ratings on low..high; None when undefined."""
    a = np.clip(np.rint(np.asarray(a, dtype=float)), low, high).astype(int) - low
    b = np.clip(np.rint(np.asarray(b, dtype=float)), low, high).astype(int) - low
    if len(a) < 2:
        return None
    k = high - low + 1
    observed = np.zeros((k, k))
    for x, y in zip(a, b, strict=True):
        observed[x, y] += 1
    expected = np.outer(observed.sum(1), observed.sum(0)) / len(a)
    weights = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)]) / (k - 1) ** 2
    denominator = (weights * expected).sum()
    if denominator == 0:
        return None
    return float(1 - (weights * observed).sum() / denominator)


def pairs(labels, groups=None, involving=None) -> list[tuple[int, int]]:
    """Index pairs (i, j) with labels[i] > labels[j], within the same group; optionally one side in `involving`."""
    out = []
    n = len(labels)
    for i in range(n):
        for j in range(n):
            if labels[i] <= labels[j] or (groups is not None and groups[i] != groups[j]):
                continue
            if involving is not None and i not in involving and j not in involving:
                continue
            out.append((i, j))
    return out


def pair_accuracy(scores, index_pairs) -> float | None:
    """Share of pairs (better, worse) the scores order the same way; a tie counts half."""
    if not index_pairs:
        return None
    right = sum(1.0 if scores[i] > scores[j] else 0.5 if scores[i] == scores[j] else 0.0 for i, j in index_pairs)
    return right / len(index_pairs)

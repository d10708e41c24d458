"""Pure statistics for recruiting analytics: plain numbers in, plain numbers out (no database, no Flask).

- funnel-plot control limits for a proportion (exact binomial, Spiegelhalter 2005) and the Wilson interval;
- percentiles;
- Pearson correlation with a bootstrap confidence interval;
- selection-rate impact ratios with the four-fifths rule, a two-proportion z-test, Fisher's exact test and a
  confidence interval for the ratio (Katz log method);
- a recommended weight vector: non-negative, summing to 100, shrunk toward the current weights, change capped.

scipy is not installed here; each test below is a few lines over `math`, checked against textbook values in
tests/analytics/test_stats.py.
"""
import math

import numpy as np

Z95 = 1.959963984540054


def _z(level):
    return {0.95: Z95, 0.998: 3.090232306167813, 0.99: 2.5758293035489}.get(level) or _norm_ppf(0.5 + level / 2)


def _norm_ppf(p):
    """Inverse of the standard normal CDF (bisection on erfc; only for levels not in the table)."""
    lo, hi = -10.0, 10.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if 0.5 * math.erfc(-mid / math.sqrt(2)) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def norm_sf2(z):
    """Two-sided p-value of a standard normal statistic."""
    return math.erfc(abs(z) / math.sqrt(2))


# --- proportions -----------------------------------------------------------------------------------------------

def wilson_interval(successes, n, level=0.95):
    """Wilson score interval for a proportion; (nan, nan) when n is 0."""
    if n <= 0:
        return (math.nan, math.nan)
    z = _z(level)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def _binom_logpmf(k, n, p):
    if p <= 0:
        return 0.0 if k == 0 else -math.inf
    if p >= 1:
        return 0.0 if k == n else -math.inf
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def _lower_tail_start(n, p):
    """Below this many successes the binomial mass is negligible (< 1e-30): sums may start here."""
    return max(0, int(n * p - 13 * math.sqrt(n * p * (1 - p))) - 1)


def binom_cdf(k, n, p):
    return min(1.0, sum(math.exp(_binom_logpmf(i, n, p)) for i in range(_lower_tail_start(n, p), k + 1)))


def binom_ppf(q, n, p):
    """Smallest k with P(X <= k) >= q."""
    total = 0.0
    for k in range(_lower_tail_start(n, p), n + 1):
        total += math.exp(_binom_logpmf(k, n, p))
        if total >= q - 1e-12:
            return k
    return n


def funnel_limits(p0, n, level=0.95):
    """Control limits (as proportions) of a funnel plot for a unit with n cases against baseline rate p0.

    Exact binomial quantiles with the usual interpolation (Spiegelhalter, "Funnel plots for comparing
    institutional performance", Stat Med 2005, appendix A.1.1), so the limits are smooth in n.
    """
    if n <= 0:
        return (math.nan, math.nan)
    out = []
    for q in ((1 - level) / 2, 1 - (1 - level) / 2):
        r = binom_ppf(q, n, p0)
        cdf_r, cdf_r1 = binom_cdf(r, n, p0), binom_cdf(r - 1, n, p0) if r > 0 else 0.0
        alpha = (cdf_r - q) / (cdf_r - cdf_r1) if cdf_r > cdf_r1 else 0.0
        out.append(min(1.0, max(0.0, (r - alpha) / n)))
    return tuple(out)


def outside_limits(successes, n, p0, level=0.95):
    """'high' / 'low' when successes/n falls outside the funnel limits for n at p0, else None."""
    lo, hi = funnel_limits(p0, n, level)
    rate = successes / n
    if rate > hi:
        return "high"
    if rate < lo:
        return "low"
    return None


def percentile(values, q):
    """The q-th percentile (0-100, linear interpolation like numpy's default); None for no values."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))


# --- correlation ---------------------------------------------------------------------------------------------

def pearson(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 3 or x.std() == 0 or y.std() == 0:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])


def bootstrap_correlation(x, y, resamples=2000, level=0.95, seed=0):
    """Pearson r of (x, y) with a percentile bootstrap interval: {"r", "low", "high", "n"}.

    Seeded, so the same data gives the same interval.
    """
    return bootstrap_correlations({"x": x}, y, resamples, level, seed)["x"]


def bootstrap_correlations(columns, y, resamples=2000, level=0.95, seed=0):
    """bootstrap_correlation of each column of {name: values} with y, all on the same resamples.

    Each resample is a vector of counts (how often each person was drawn), so every resample's
    sums for every column come out of one matrix product instead of copying the data 2,000 times.
    """
    y = np.asarray(y, dtype=float)
    n = len(y)
    out = {name: {"r": pearson(x, y), "low": math.nan, "high": math.nan, "n": n} for name, x in columns.items()}
    if n < 3:
        return out
    draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    draws += np.arange(resamples)[:, None] * n
    counts = np.bincount(draws.ravel(), minlength=resamples * n).reshape(resamples, n).astype(float)
    names = [name for name in columns if not math.isnan(out[name]["r"])]
    xs = [np.asarray(columns[name], dtype=float) for name in names]
    sums = counts @ np.column_stack([y, y * y, *xs, *[x * x for x in xs], *[x * y for x in xs]])
    sy, syy = sums[:, 0], sums[:, 1]
    k = len(names)
    tail = (1 - level) / 2 * 100
    for i, name in enumerate(names):
        sx, sxx, sxy = sums[:, 2 + i], sums[:, 2 + k + i], sums[:, 2 + 2 * k + i]
        with np.errstate(invalid="ignore", divide="ignore"):
            rs = (n * sxy - sx * sy) / np.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy))
        rs = rs[np.isfinite(rs)]
        out[name].update(low=float(np.percentile(rs, tail)), high=float(np.percentile(rs, 100 - tail)))
    return out


# --- adverse impact ------------------------------------------------------------------------------------------

def two_proportion_z(a, n1, c, n2):
    """Pooled two-proportion z-test of a/n1 vs c/n2: (z, two-sided p)."""
    if n1 == 0 or n2 == 0:
        return (math.nan, math.nan)
    pooled = (a + c) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return (0.0, 1.0)
    z = (a / n1 - c / n2) / se
    return (z, norm_sf2(z))


def fisher_exact(a, b, c, d):
    """Two-sided Fisher exact p-value of the 2x2 table [[a, b], [c, d]] (sum of tables no more likely).

    Tables further than 40 standard deviations from the mean of the hypergeometric distribution add less than
    1e-300 and are skipped, so a table of 30,000 people costs a few thousand terms, not 30,000."""
    row1, col1, total = a + b, a + c, a + b + c + d
    const = (math.lgamma(row1 + 1) + math.lgamma(total - row1 + 1) + math.lgamma(col1 + 1)
             + math.lgamma(total - col1 + 1) - math.lgamma(total + 1))

    def logp(x):
        return (const - math.lgamma(x + 1) - math.lgamma(row1 - x + 1) - math.lgamma(col1 - x + 1)
                - math.lgamma(total - row1 - col1 + x + 1))

    lo, hi = max(0, col1 - (total - row1)), min(row1, col1)
    if total > 1:
        mean = row1 * col1 / total
        sd = math.sqrt(row1 * col1 * (total - row1) * (total - col1) / (total * total * (total - 1)))
        lo, hi = max(lo, int(mean - 40 * sd) - 1), min(hi, int(mean + 40 * sd) + 1)
    observed = logp(a)
    p = sum(math.exp(lp) for lp in map(logp, range(lo, hi + 1)) if lp <= observed + 1e-7)
    return min(1.0, p)


def impact_ratio(selected, n, ref_selected, ref_n, level=0.95):
    """Selection rate of a group over the reference (most selected) group, with a Katz log interval.

    A zero count gets 0.5 added to each cell for the interval only (the ratio itself is exact).
    """
    rate, ref_rate = selected / n, ref_selected / ref_n
    ratio = rate / ref_rate if ref_rate else math.nan
    a, c = selected, ref_selected
    n1, n2 = n, ref_n
    if a == 0 or c == 0 or a == n1 or c == n2:
        a, c, n1, n2 = a + 0.5, c + 0.5, n1 + 1, n2 + 1
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    log_ratio = math.log((a / n1) / (c / n2))
    z = _z(level)
    return {"ratio": ratio, "low": math.exp(log_ratio - z * se), "high": math.exp(log_ratio + z * se)}


MIN_GROUP = 10  # below this many people a group's rate is "insufficient data"


def impact_table(groups, min_group=MIN_GROUP, four_fifths=0.8, alpha=0.05):
    """groups: {label: (selected, total)} -> rows with rate, impact ratio against the most selected group
    (among groups with enough data), the four-fifths flag, z-test and Fisher p-values and the ratio's CI."""
    rows = []
    enough = {g: (s, n) for g, (s, n) in groups.items() if n >= min_group}
    reference = max(enough, key=lambda g: (enough[g][0] / enough[g][1], enough[g][1])) if enough else None
    if reference is not None and enough[reference][0] == 0:
        reference = None  # nobody selected in any group: no ratio to take
    for label, (s, n) in groups.items():
        row = {"group": label, "selected": s, "total": n, "rate": s / n if n else None, "reference": label == reference,
               "insufficient": n < min_group, "ratio": None, "low": None, "high": None, "z_p": None,
               "fisher_p": None, "four_fifths": False, "significant": False}
        if reference is not None and n >= min_group and label != reference:
            rs, rn = enough[reference]
            ci = impact_ratio(s, n, rs, rn)
            _, z_p = two_proportion_z(s, n, rs, rn)
            fisher_p = fisher_exact(s, n - s, rs, rn - rs)
            row.update(ratio=ci["ratio"], low=ci["low"], high=ci["high"], z_p=z_p, fisher_p=fisher_p,
                       four_fifths=ci["ratio"] < four_fifths, significant=min(z_p, fisher_p) < alpha)
        elif label == reference:
            row["ratio"] = 1.0
        rows.append(row)
    return rows


# --- weights -------------------------------------------------------------------------------------------------

def round_to_total(values, total=100):
    """Integers summing to `total`, each the floor or the ceiling of its value (largest remainder)."""
    floors = [math.floor(v + 1e-9) for v in values]
    left = total - sum(floors)
    order = sorted(range(len(values)), key=lambda i: values[i] - floors[i], reverse=True)
    for i in order[:max(0, left)]:
        floors[i] += 1
    return floors


def recommend_weights(current, correlations, n, *, shrink_k=100, cap=10):
    """Recommended weights from each dimension's correlation with performance.

    current: {dim: weight} (summing to 100); correlations: {dim: r}; n: the hires the correlations come from.
    Target weights are proportional to max(r, 0); the recommendation moves from the current weights toward
    the target by n / (n + shrink_k) (few hires, small move), each weight changes by at most `cap` points, all
    stay >= 0 and sum to 100 (integers). Returns {dim: weight}; the current weights when no dimension predicts.
    """
    dims = list(current)
    cur = np.array([float(current[d]) for d in dims])
    positive = np.array([max(0.0, correlations.get(d) or 0.0) if not _nan(correlations.get(d)) else 0.0
                         for d in dims])
    if positive.sum() <= 0:
        return dict(current)
    target = 100 * positive / positive.sum()
    lam = n / (n + shrink_k)
    w = (1 - lam) * cur + lam * target
    lo, hi = np.maximum(cur - cap, 0), np.minimum(cur + cap, 100)
    w = np.clip(w, lo, hi)
    for _ in range(50):  # restore the total of 100 inside the caps
        gap = 100 - w.sum()
        if abs(gap) < 1e-9:
            break
        room = (hi - w) if gap > 0 else (w - lo)
        free = room > 1e-12
        if not free.any():
            break
        w[free] += np.sign(gap) * np.minimum(room[free], abs(gap) / free.sum())
    return dict(zip(dims, round_to_total(list(w)), strict=True))


def _nan(value):
    return value is None or (isinstance(value, float) and math.isnan(value))

"""AI scores against the interviewers' second-round scorecards (app/process/scorecards.py), for a cohort.

Three comparisons, each a pure function over plain rows (unit-tested on hand-built numbers) fed by `compute`:

- per dimension the AI report and the scorecards share: Spearman's rho between the AI dimension score (0-100)
  and the mean of the interviewers' 1-5 ratings of that dimension, per application, with a 95 % interval;
- the recommendation: "AI total at or above the median AI total of the cohort's applications that reached the
  second round" against the interviewer recommending (yes / strong_yes), per scorecard;
- per interviewer (calibration, not a ranking): scorecards, mean rating, share recommending, the mean difference
  from the other interviewers of the same panel, and rho between their mean rating and the AI total.

Both sides are judgments, not truth; only candidates who passed the AI stage have scorecards, so the AI scores
are range-restricted and rho understates how far the two sides agree across all applicants.

`compute` reads only the scorecard rollup (ScorecardFact, ScorecardDimensionFact: app/analytics/rollup.py, which
parses each scorecard once when it is written): counts and sums come from GROUP BYs, and the rank correlations
from (value, value, count) rows grouped in SQL, since the ratings take few distinct values (100,000 pairs come back
as a few thousand rows). Only a comparison small enough for the bootstrap interval reads its pairs one by one, in
application order (the bootstrap draws depend on the order).
"""
import copy
import math

import numpy as np
from peewee import SQL, Case, PostgresqlDatabase, fn

from app.analysis.agreement import _ranks
from app.analytics import stats
from app.analytics.funnel import DEMO_PREFIX
from app.analytics.models import ApplicationFact, RollupState, ScorecardDimensionFact, ScorecardFact
from app.analytics.steps import STEP_KEYS
from app.core.db import database, plain_rows
from app.core.models import Job, StaffUser

MIN_N = 20           # applications (or scorecards) below which a comparison shows "insufficient data"
MIN_CARDS = 8        # scorecards an interviewer needs before their rho is shown
BOOTSTRAP_MAX_N = 2000  # above this the interval is Fisher's z with the Bonett-Wright variance (memory: n x 2000)
RESAMPLES = 2000
SECOND_ROUND = STEP_KEYS.index("second_round")
YES = ("strong_yes", "yes")
TOTAL = "总分"


# --- pure ----------------------------------------------------------------------------------------------------

def card_scores(ratings):
    """{dimension: 1-5 score} of a scorecard's ratings, ignoring anything that is not a score."""
    out = {}
    for name, mark in (ratings or {}).items():
        try:
            score = mark["score"]
        except (TypeError, KeyError, IndexError):
            continue
        if type(score) in (int, float) and 1 <= score <= 5:  # type(), not isinstance: True is no score
            out[name] = float(score)
    return out


def card_mean(scores):
    return sum(scores.values()) / len(scores) if scores else None


def _weighted_ranks(values, weights):
    """Average ranks of values each standing for `weights` observations (ties share the mean of their positions)."""
    distinct, where = np.unique(values, return_inverse=True)
    counts = np.bincount(where, weights=weights, minlength=len(distinct))
    below = np.cumsum(counts) - counts
    return (below + (counts + 1) / 2)[where], len(distinct)


def weighted_spearman(x, y, w=None):
    """Spearman's rho (Pearson r of the average ranks) of the pairs (x[i], y[i]), each counted w[i] times (1 when
    w is None): the same number as app.analysis.agreement.spearman on the pairs written out, from a GROUP BY's
    (x, y, count) rows. None with fewer than 3 pairs or a constant side."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = np.ones(len(x)) if w is None else np.asarray(w, dtype=float)
    n = w.sum()
    if n < 3:
        return None
    (rx, kx), (ry, ky) = _weighted_ranks(x, w), _weighted_ranks(y, w)
    if kx < 2 or ky < 2:
        return None
    dx, dy = rx - (w * rx).sum() / n, ry - (w * ry).sum() / n
    return float((w * dx * dy).sum() / math.sqrt((w * dx * dx).sum() * (w * dy * dy).sum()))


def fisher_interval(rho, n, level=0.95):
    """(low, high) of Spearman's rho from Fisher's z with the Bonett-Wright variance (1 + rho^2 / 2) / (n - 3)."""
    if n < 4 or rho is None or not math.isfinite(rho):
        return (math.nan, math.nan)
    rho = max(-0.999999, min(0.999999, rho))
    half = stats._z(level) * math.sqrt((1 + rho * rho / 2) / (n - 3))
    return (math.tanh(math.atanh(rho) - half), math.tanh(math.atanh(rho) + half))


def rank_interval(x, y, resamples=RESAMPLES, seed=0, level=0.95, bootstrap_max_n=BOOTSTRAP_MAX_N):
    """(low, high) of Spearman's rho: a percentile bootstrap of Pearson r on the ranks (stats.bootstrap_correlations)
    up to `bootstrap_max_n` pairs; above, fisher_interval."""
    n = len(x)
    if n < 4:
        return (math.nan, math.nan)
    rx, ry = _ranks(x), _ranks(y)
    if n <= bootstrap_max_n:
        out = stats.bootstrap_correlations({"rho": rx}, ry, resamples=resamples, level=level, seed=seed)["rho"]
        return (out["low"], out["high"])
    return fisher_interval(float(np.corrcoef(rx, ry)[0, 1]), n, level)


def dimension_agreement(rows, min_n=MIN_N, resamples=RESAMPLES, seed=0, bootstrap_max_n=BOOTSTRAP_MAX_N):
    """rows: [(dimension, panel mean, AI score, count)]: one application's pair (count 1) or a GROUP BY's count of
    identical pairs; rows without an AI score are skipped. A dimension with at most `bootstrap_max_n` pairs gets a
    bootstrap interval over its rows written out in the order given (pass them one per application, in
    application order, for the same interval every time).

    -> [{"dimension", "n", "rho", "low", "high", "insufficient"}] for each dimension both sides have (sorted),
    n counting applications with both; rho/low/high None when n < min_n or undefined (a constant side)."""
    by_dim = {}
    for name, mean, score, count in rows:
        if score is not None and mean is not None:
            by_dim.setdefault(name, []).append((float(mean), float(score), int(count)))
    out = []
    for name in sorted(by_dim):
        data = np.array(by_dim[name], dtype=float)
        means, scores, counts = data[:, 0], data[:, 1], data[:, 2]
        n = int(counts.sum())
        row = {"dimension": name, "n": n, "rho": None, "low": None, "high": None, "insufficient": n < min_n}
        rho = None if row["insufficient"] else weighted_spearman(scores, means, counts)
        if rho is not None:
            if n <= bootstrap_max_n:
                reps = counts.astype(int)
                low, high = rank_interval(np.repeat(scores, reps), np.repeat(means, reps), resamples=resamples,
                                          seed=seed)
            else:
                low, high = fisher_interval(rho, n)
            row.update(rho=rho, low=None if math.isnan(low) else low, high=None if math.isnan(high) else high)
        out.append(row)
    return out


def recommendation_agreement(table, threshold, min_n=MIN_N):
    """Per scorecard: AI says yes when the application's AI total >= threshold, the interviewer when the
    recommendation is yes / strong_yes. -> {"n", "agree", "share", "low", "high" (Wilson 95 %), "ai_yes",
    "human_yes", "chance" (the agreement expected from the two yes-rates alone), "threshold", "insufficient"}.

    table: [(AI yes, interviewer yes, scorecards)] (a GROUP BY over the scorecards that have an AI total; a
    truthy 1/0 is fine); threshold None (nobody reached the second round) counts nothing."""
    n = agree = ai_yes = human_yes = 0
    for a, h, count in (table if threshold is not None else ()):
        a, h = bool(a), bool(h)
        n += count
        agree += count * (a == h)
        ai_yes += count * a
        human_yes += count * h
    out = {"n": n, "agree": agree, "share": None, "low": None, "high": None, "ai_yes": ai_yes,
           "human_yes": human_yes, "chance": None, "threshold": threshold, "insufficient": n < min_n}
    if n and not out["insufficient"]:
        pa, ph = ai_yes / n, human_yes / n
        low, high = stats.wilson_interval(agree, n)
        out.update(share=agree / n, low=low, high=high, chance=pa * ph + (1 - pa) * (1 - ph))
    return out


def interviewer_calibration(counts, pairs, min_cards=MIN_CARDS):
    """Per interviewer: {"interviewer", "cards", "mean_rating", "recommend_share", "panel_diff", "panel_n", "rho",
    "rho_n", "insufficient"}, sorted by userid (the caller may sort by display name).

    counts: [(interviewer, scorecards, scorecards with a score, sum of their card means, scorecards recommending,
    cards with a same-panel difference, sum of those differences)], a GROUP BY over ScorecardFact; pairs:
    [(interviewer, AI total, card mean, count)] of the cards that have both (grouped or one per card).

    mean_rating: the mean over their scorecards of each card's mean 1-5 rating; panel_diff: the mean over their
    cards that share a round with other scorecards of (their card mean - the mean of the others' card means),
    positive = more lenient than the rest of the panel; rho: Spearman between their card means and the
    application's AI total, over the cards that have both, shown (not None) only with >= min_cards of those."""
    by_who = {}
    for who, total, mean, count in pairs:
        by_who.setdefault(who, []).append((float(total), float(mean), int(count)))
    rows = []
    for who, cards, rated, rating_sum, yes, panel_n, diff_sum in sorted(counts, key=lambda r: r[0]):
        data = np.array(by_who.get(who, []), dtype=float).reshape(-1, 3)
        rho_n = int(data[:, 2].sum())
        enough = rho_n >= min_cards
        rows.append({"interviewer": who, "cards": cards,
                     "mean_rating": rating_sum / rated if rated else None,
                     "recommend_share": yes / cards,
                     "panel_diff": diff_sum / panel_n if panel_n else None, "panel_n": panel_n,
                     "rho": weighted_spearman(data[:, 0], data[:, 1], data[:, 2]) if enough else None,
                     "rho_n": rho_n, "insufficient": not enough})
    return rows


def overall(counts):
    """The whole cohort's scorecards from interviewer_calibration's counts: {"cards", "mean_rating",
    "recommend_share"}, for the reference row."""
    cards = sum(r[1] for r in counts)
    rated = sum(r[2] for r in counts)
    return {"cards": cards, "mean_rating": sum(r[3] or 0 for r in counts) / rated if rated else None,
            "recommend_share": sum(r[4] for r in counts) / cards if cards else None}


# --- queries -------------------------------------------------------------------------------------------------

def _count_if(cond):
    return fn.SUM(Case(None, [(cond, 1)], 0))


def _dimension_rows(cohort):
    """[(dimension, panel mean, AI score, count)] of the cohort: grouped, except for the dimensions with few
    enough applications for the bootstrap, which come one per application in application order."""
    d = ScorecardDimensionFact
    where = cohort.where(d) & d.ai_score.is_null(False)
    grouped = plain_rows(d.select(d.dimension, d.panel_mean, d.ai_score, fn.COUNT(SQL("*")))
                    .where(where).group_by(d.dimension, d.panel_mean, d.ai_score))
    n = {}
    for name, _, _, count in grouped:
        n[name] = n.get(name, 0) + count
    small = sorted(name for name, k in n.items() if MIN_N <= k <= BOOTSTRAP_MAX_N)
    if not small:
        return grouped
    one_by_one = plain_rows(d.select(d.dimension, d.panel_mean, d.ai_score, SQL("1"))
                       .where(where & d.dimension.in_(small)).order_by(d.application_id))
    return [r for r in grouped if r[0] not in small] + one_by_one


def _interviewer_counts(cohort):
    c = ScorecardFact
    diff = c.mean_score - c.others_mean
    return plain_rows(c.select(c.interviewer, fn.COUNT(SQL("*")), fn.COUNT(c.mean_score), fn.SUM(c.mean_score),
                          _count_if(c.recommendation.in_(YES)), fn.COUNT(diff), fn.SUM(diff))
                 .where(cohort.where(c)).group_by(c.interviewer))


def _interviewer_pairs(cohort):
    c = ScorecardFact
    return plain_rows(c.select(c.interviewer, c.ai_total, c.mean_score, fn.COUNT(SQL("*")))
                 .where(cohort.where(c) & c.ai_total.is_null(False) & c.mean_score.is_null(False))
                 .group_by(c.interviewer, c.ai_total, c.mean_score))


def _threshold(cohort):
    """The median AI total of the cohort's applications that reached the second round (None if none did).

    On PostgreSQL the two middle values come from percentile_disc (ascending and descending) and are interpolated
    by numpy exactly as numpy interpolates the whole list (percentile_cont's arithmetic may differ in the last
    bit, and a median of 60.05 is displayed rounded); on SQLite the totals are read."""
    f = ApplicationFact
    where = cohort.where(f) & f.total.is_null(False) & (f.max_step >= SECOND_ROUND)
    if isinstance(database.obj, PostgresqlDatabase):
        middle = [SQL(f'percentile_disc(0.5) WITHIN GROUP (ORDER BY "total"{order})') for order in ("", " DESC")]
        low, high = f.select(*middle).where(where).tuples().get()
        return None if low is None else stats.percentile([low, high], 50)
    return stats.percentile([t for (t,) in plain_rows(f.select(f.total).where(where))], 50)


def _recommendation_table(cohort, threshold):
    c = ScorecardFact
    if threshold is None:
        return []
    return plain_rows(c.select((c.ai_total >= threshold).alias("ai_yes"), c.recommendation.in_(YES).alias("human_yes"),
                          fn.COUNT(SQL("*")))
                 .where(cohort.where(c) & c.ai_total.is_null(False)).group_by(SQL("ai_yes"), SQL("human_yes")))


def _applications(cohort):
    """Applications of the cohort with at least one score on a scorecard."""
    c = ScorecardFact
    return (c.select(fn.COUNT(c.application_id.distinct()))
            .where(cohort.where(c) & c.mean_score.is_null(False)).scalar() or 0)


def _names(userids):
    """Display names in one query (the names staff.display_name keeps from sign-ins); the userid otherwise.
    No WeCom lookups here: a dashboard view should not make one network call per interviewer."""
    if not userids:
        return {}
    named = {u: n for u, n in StaffUser.select(StaffUser.userid, StaffUser.name)
             .where(StaffUser.userid.in_(list(userids))).tuples() if n}
    return {u: named.get(u, u) for u in userids}


_KEPT = {}      # (rollup generation, demo job ids, cohort, resamples) -> compute's figures, names left out
KEEP_AT_MOST = 64


def _figures(cohort, resamples):
    counts = _interviewer_counts(cohort)
    threshold = _threshold(cohort)
    return {"dimensions": dimension_agreement(_dimension_rows(cohort), resamples=resamples),
            "recommendation": recommendation_agreement(_recommendation_table(cohort, threshold), threshold),
            "interviewers": interviewer_calibration(counts, _interviewer_pairs(cohort)), "overall": overall(counts),
            "applications": _applications(cohort), "min_n": MIN_N, "min_cards": MIN_CARDS}


def compute(cohort, resamples=RESAMPLES):
    """Everything the two dashboard sections show, for the cohort.

    The figures come from the scorecard rollup alone, so they are kept (in this process) under the rollup's
    generation, which changes with every rewrite of the facts, and the demo jobs' ids (the demo/real split of the
    cohort); the interviewers' names are looked up on every call."""
    generation = RollupState.generation()
    demo_jobs = tuple(j for (j,) in Job.select(Job.id).where(Job.title.startswith(DEMO_PREFIX)).order_by(Job.id)
                      .tuples()) if cohort.demo is not None else None
    key = (generation, demo_jobs, cohort, resamples)
    kept = _KEPT.get(key) if generation is not None else None
    if kept is None:
        kept = _figures(cohort, resamples)
        if generation is not None:
            while len(_KEPT) >= KEEP_AT_MOST:
                _KEPT.pop(next(iter(_KEPT)))
            _KEPT[key] = kept
    data = copy.deepcopy(kept)
    interviewers = data["interviewers"]
    names = _names({r["interviewer"] for r in interviewers})
    for row in interviewers:
        row["name"] = names.get(row["interviewer"], row["interviewer"])
    interviewers.sort(key=lambda r: (r["name"], r["interviewer"]))
    return data


__all__ = ["card_scores", "compute", "dimension_agreement", "fisher_interval", "interviewer_calibration", "overall",
           "rank_interval", "recommendation_agreement", "weighted_spearman"]

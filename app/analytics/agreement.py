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
"""
import json
import math

import numpy as np

from app.analysis.agreement import _ranks, spearman
from app.analytics import stats
from app.analytics.models import ApplicationFact, ScoreFact
from app.analytics.steps import STEP_KEYS
from app.db import database
from app.process.models import Round, Scorecard

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


def clean_cards(rows):
    """Scorecard rows [(application_id, interviewer, ratings, recommendation)] with ratings as stored (a dict or
    its JSON text) -> the same rows with {dimension: 1-5 score} instead: what the functions below take ("cards")."""
    out = []
    for app_id, who, ratings, recommendation in rows:
        if isinstance(ratings, str):
            ratings = json.loads(ratings)
        out.append((app_id, who, card_scores(ratings), recommendation))
    return out


def card_mean(scores):
    return sum(scores.values()) / len(scores) if scores else None


def interviewer_means(cards):
    """cards (clean_cards) -> {application_id: {dimension: the panel's mean score}}."""
    sums = {}
    for app_id, _, scores, _ in cards:
        for name, score in scores.items():
            entry = sums.setdefault(app_id, {}).setdefault(name, [0.0, 0])
            entry[0] += score
            entry[1] += 1
    return {app_id: {name: s / n for name, (s, n) in dims.items()} for app_id, dims in sums.items()}


def rank_interval(x, y, resamples=RESAMPLES, seed=0, level=0.95):
    """(low, high) of Spearman's rho: a percentile bootstrap of Pearson r on the ranks (stats.bootstrap_correlations)
    up to BOOTSTRAP_MAX_N pairs; above, Fisher's z with the Bonett-Wright variance (1 + rho^2 / 2) / (n - 3)."""
    n = len(x)
    if n < 4:
        return (math.nan, math.nan)
    rx, ry = _ranks(x), _ranks(y)
    if n <= BOOTSTRAP_MAX_N:
        out = stats.bootstrap_correlations({"rho": rx}, ry, resamples=resamples, level=level, seed=seed)["rho"]
        return (out["low"], out["high"])
    rho = float(np.corrcoef(rx, ry)[0, 1])
    if not math.isfinite(rho):
        return (math.nan, math.nan)
    rho = max(-0.999999, min(0.999999, rho))
    half = stats._z(level) * math.sqrt((1 + rho * rho / 2) / (n - 3))
    return (math.tanh(math.atanh(rho) - half), math.tanh(math.atanh(rho) + half))


def dimension_agreement(ai, means, min_n=MIN_N, resamples=RESAMPLES, seed=0):
    """ai: {application_id: {dimension: AI score}}; means: interviewer_means(...).

    -> [{"dimension", "n", "rho", "low", "high", "insufficient"}] for each dimension both sides have (sorted),
    n counting applications with both; rho/low/high None when n < min_n or undefined (a constant side)."""
    pairs = {}
    for app_id, dims in means.items():
        for name, mean in dims.items():
            score = ai.get(app_id, {}).get(name)
            if score is not None:
                pairs.setdefault(name, []).append((float(score), mean))
    rows = []
    for name in sorted(pairs):
        x = [a for a, _ in pairs[name]]
        y = [b for _, b in pairs[name]]
        row = {"dimension": name, "n": len(x), "rho": None, "low": None, "high": None,
               "insufficient": len(x) < min_n}
        rho = None if row["insufficient"] else spearman(x, y)
        if rho is not None:
            low, high = rank_interval(x, y, resamples=resamples, seed=seed)
            row.update(rho=rho, low=None if math.isnan(low) else low, high=None if math.isnan(high) else high)
        rows.append(row)
    return rows


def recommendation_agreement(cards, totals, threshold, min_n=MIN_N):
    """Per scorecard: AI says yes when the application's AI total >= threshold, the interviewer when the
    recommendation is yes / strong_yes. -> {"n", "agree", "share", "low", "high" (Wilson 95 %), "ai_yes",
    "human_yes", "chance" (the agreement expected from the two yes-rates alone), "threshold", "insufficient"}.

    cards: clean_cards(...); totals: {application_id: AI total}."""
    n = agree = ai_yes = human_yes = 0
    for app_id, _, _, recommendation in cards:
        total = totals.get(app_id)
        if total is None or threshold is None:
            continue
        a, h = total >= threshold, recommendation in YES
        n += 1
        agree += a == h
        ai_yes += a
        human_yes += h
    out = {"n": n, "agree": agree, "share": None, "low": None, "high": None, "ai_yes": ai_yes,
           "human_yes": human_yes, "chance": None, "threshold": threshold, "insufficient": n < min_n}
    if n and not out["insufficient"]:
        pa, ph = ai_yes / n, human_yes / n
        low, high = stats.wilson_interval(agree, n)
        out.update(share=agree / n, low=low, high=high, chance=pa * ph + (1 - pa) * (1 - ph))
    return out


def interviewer_calibration(cards, totals, min_cards=MIN_CARDS):
    """cards (clean_cards), totals {application_id: AI total} -> per interviewer: {"interviewer", "cards",
    "mean_rating", "recommend_share", "panel_diff", "panel_n", "rho", "rho_n", "insufficient"}, sorted by userid
    (the caller may sort by display name).

    mean_rating: the mean over their scorecards of each card's mean 1-5 rating; panel_diff: the mean over their
    cards that share a round with other scorecards of (their card mean - the mean of the others' card means),
    positive = more lenient than the rest of the panel; rho: Spearman between their card means and the
    application's AI total, over the cards that have both, shown (not None) only with >= min_cards of those."""
    means = [card_mean(scores) for _, _, scores, _ in cards]
    by_app = {}
    for (app_id, who, _, _), mean in zip(cards, means, strict=True):
        if mean is not None:
            by_app.setdefault(app_id, []).append((who, mean))
    people = {}
    for (app_id, who, _, recommendation), mean in zip(cards, means, strict=True):
        p = people.setdefault(who, {"means": [], "yes": 0, "cards": 0, "diffs": [], "pairs": []})
        p["cards"] += 1
        p["yes"] += recommendation in YES
        if mean is None:
            continue
        p["means"].append(mean)
        others = [m for w, m in by_app.get(app_id, []) if w != who]
        if others:
            p["diffs"].append(mean - sum(others) / len(others))
        if totals.get(app_id) is not None:
            p["pairs"].append((totals[app_id], mean))
    rows = []
    for who in sorted(people):
        p = people[who]
        enough = len(p["pairs"]) >= min_cards
        rows.append({"interviewer": who, "cards": p["cards"],
                     "mean_rating": sum(p["means"]) / len(p["means"]) if p["means"] else None,
                     "recommend_share": p["yes"] / p["cards"],
                     "panel_diff": sum(p["diffs"]) / len(p["diffs"]) if p["diffs"] else None,
                     "panel_n": len(p["diffs"]),
                     "rho": spearman([a for a, _ in p["pairs"]], [b for _, b in p["pairs"]]) if enough else None,
                     "rho_n": len(p["pairs"]), "insufficient": not enough})
    return rows


def overall(cards):
    """The whole cohort's scorecards (clean_cards): {"cards", "mean_rating", "recommend_share"}, for the
    reference row."""
    means = [m for m in (card_mean(s) for _, _, s, _ in cards) if m is not None]
    return {"cards": len(cards), "mean_rating": sum(means) / len(means) if means else None,
            "recommend_share": sum(rec in YES for *_, rec in cards) / len(cards) if cards else None}


# --- queries -------------------------------------------------------------------------------------------------

def _rows(query):
    """Plain DB-API rows: tens of thousands of rows without peewee's per-row conversion (about twice as fast)."""
    return database.execute(query).fetchall()


def _scorecards(cohort):
    f = ApplicationFact
    return clean_cards(_rows(
        Scorecard.select(Round.application, Scorecard.interviewer, Scorecard.ratings, Scorecard.recommendation)
        .join(Round).join(f, on=(f.application_id == Round.application)).where(cohort.where(f))))


def _ai_dimensions(cohort, app_ids):
    """{application_id: {dimension: AI score}} of the cohort's applications that have a round (then kept if in
    app_ids), "总分" left out (it is ApplicationFact.total)."""
    f = ApplicationFact
    query = (ScoreFact.select(ScoreFact.application_id, ScoreFact.dimension, ScoreFact.score)
             .join(f, on=(f.application_id == ScoreFact.application_id))
             .join(Round, on=(Round.application == ScoreFact.application_id))
             .where(cohort.where(f) & (ScoreFact.dimension != TOTAL)))
    out = {}
    for app_id, name, score in _rows(query):
        if app_id in app_ids:
            out.setdefault(app_id, {})[name] = score
    return out


def _second_round_totals(cohort):
    """{application_id: AI total} of the cohort's applications that reached the second round or have a round."""
    f = ApplicationFact
    has_round = f.application_id.in_(Round.select(Round.application))
    query = (f.select(f.application_id, f.total, f.max_step)
             .where(cohort.where(f) & f.total.is_null(False) & ((f.max_step >= SECOND_ROUND) | has_round)))
    totals, reached = {}, []
    for app_id, total, max_step in _rows(query):
        totals[app_id] = total
        if max_step >= SECOND_ROUND:
            reached.append(total)
    return totals, reached


def _names(userids):
    """Display names in one query (the names staff.display_name keeps from sign-ins); the userid otherwise.
    No WeCom lookups here: a dashboard view should not make one network call per interviewer."""
    from app.models import StaffUser
    if not userids:
        return {}
    named = {u: n for u, n in StaffUser.select(StaffUser.userid, StaffUser.name)
             .where(StaffUser.userid.in_(list(userids))).tuples() if n}
    return {u: named.get(u, u) for u in userids}


def compute(cohort, resamples=RESAMPLES):
    """Everything the two dashboard sections show, for the cohort."""
    cards = _scorecards(cohort)
    means = interviewer_means(cards)
    ai = _ai_dimensions(cohort, set(means))
    totals, reached = _second_round_totals(cohort)
    threshold = stats.percentile(reached, 50)
    interviewers = interviewer_calibration(cards, totals)
    names = _names({r["interviewer"] for r in interviewers})
    for row in interviewers:
        row["name"] = names.get(row["interviewer"], row["interviewer"])
    interviewers.sort(key=lambda r: (r["name"], r["interviewer"]))
    return {"dimensions": dimension_agreement(ai, means, resamples=resamples),
            "recommendation": recommendation_agreement(cards, totals, threshold),
            "interviewers": interviewers, "overall": overall(cards), "applications": len(means),
            "min_n": MIN_N, "min_cards": MIN_CARDS}


__all__ = ["clean_cards", "compute", "dimension_agreement", "interviewer_calibration", "interviewer_means",
           "rank_interval", "recommendation_agreement"]

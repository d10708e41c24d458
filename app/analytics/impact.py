"""Adverse impact: selection rates per self-identified group at each funnel step and at AI-score thresholds.

The only reader of the candidates' self-identification (through the rollup's copy in ApplicationFact) besides
their own form. It returns aggregate tables (counts,
rates, impact ratios) and never a person's answers. A group with fewer than stats.MIN_GROUP people is shown as
"insufficient data"; people who did not answer are counted as unknown, not guessed.
"""
import datetime as dt

from peewee import SQL, fn

from app.analytics import stats
from app.analytics.funnel import Cohort, _pg
from app.analytics.models import ApplicationFact, ImpactSnapshot
from app.analytics.steps import HIRED, STEPS
from app.core.db import database

ATTRIBUTES = {"gender": "性别", "age_band": "年龄段"}
THRESHOLDS = (50, 60, 65, 70)


def _attribute_exprs(attributes):
    return [getattr(ApplicationFact, a) for a in attributes]


def _label(values):
    values = [v or "" for v in values]
    return None if any(not v for v in values) else " × ".join(values)


def stage_impact(cohort, attributes=("gender",)):
    """Per funnel step: {"step", "label", "rows" (stats.impact_table), "unknown"}. A candidacy is selected at a
    step when it went on to the next; only finished candidacies count (as in the funnel's pass-through)."""
    f = ApplicationFact
    attrs = _attribute_exprs(attributes)
    query = (f.select(*attrs, f.max_step, f.closed, fn.COUNT(SQL("*")))
             .where(cohort.where()).group_by(*attrs, f.max_step, f.closed).tuples())
    counts = {}
    for *values, step, closed, n in query:
        if not closed and step != HIRED:
            continue  # still in progress: no outcome yet
        counts.setdefault(_label(values), {}).setdefault(step, 0)
        counts[_label(values)][step] += n
    out = []
    for k in range(HIRED):
        groups, unknown = {}, 0
        for label, by_step in counts.items():
            total = sum(n for s, n in by_step.items() if s >= k)
            selected = sum(n for s, n in by_step.items() if s >= k + 1)
            if label is None:
                unknown = total
            elif total:
                groups[label] = (selected, total)
        out.append({"step": STEPS[k][0], "label": f"{STEPS[k][1]} → {STEPS[k + 1][1]}",
                    "rows": stats.impact_table(dict(sorted(groups.items()))), "unknown": unknown})
    return out


def threshold_impact(cohort, attributes=("gender",), thresholds=THRESHOLDS):
    """Per AI-total threshold: who of the scored candidates would pass it, per group."""
    f = ApplicationFact
    attrs = _attribute_exprs(attributes)
    point = fn.FLOOR(f.total) if _pg() else f.total.cast("INTEGER")
    query = (f.select(*attrs, point.alias("p"), fn.COUNT(SQL("*")))
             .where(cohort.where() & f.total.is_null(False)).group_by(*attrs, SQL("p")).tuples())
    counts = {}
    for *values, p, n in query:
        counts.setdefault(_label(values), []).append((int(p), n))
    out = []
    for t in thresholds:
        groups, unknown = {}, 0
        for label, points in counts.items():
            total = sum(n for _, n in points)
            selected = sum(n for p, n in points if p >= t)
            if label is None:
                unknown = total
            else:
                groups[label] = (selected, total)
        out.append({"threshold": t, "label": f"AI总分 ≥ {t}", "rows": stats.impact_table(dict(sorted(groups.items()))),
                    "unknown": unknown})
    return out


def scores_impact(totals_by_group, thresholds=THRESHOLDS):
    """Pure: the threshold tables of given totals {group: [total, ...]} (used for recommended weights)."""
    groups = sorted((g, xs) for g, xs in totals_by_group.items() if xs)
    return [{"threshold": t, "label": f"AI总分 ≥ {t}",
             "rows": stats.impact_table({g: (sum(x >= t for x in xs), len(xs)) for g, xs in groups})}
            for t in thresholds]


def monday(day):
    return day - dt.timedelta(days=day.weekday())


# The "all jobs" rows of the snapshots: the real jobs and the synthetic demo jobs are kept apart (never pooled).
ALL_REAL, ALL_DEMO = 0, -1


def snapshot(as_of, job_ids=(), window_days=365):
    """Store the stage tables (by gender and by age band) of the year up to `as_of`'s week, for all real jobs (0),
    all demo jobs (-1) and each job in job_ids; one row per (week, job), replaced when taken again."""
    week = monday(as_of.date() if isinstance(as_of, dt.datetime) else as_of)
    end = dt.datetime.combine(week + dt.timedelta(days=7), dt.time())
    start = end - dt.timedelta(days=window_days)
    payloads = {}
    for job_id in [ALL_REAL, ALL_DEMO, *job_ids]:
        if job_id in (ALL_REAL, ALL_DEMO):
            cohort = Cohort(start=start, end=end, demo=job_id == ALL_DEMO)
        else:
            cohort = Cohort(job_ids=(job_id,), start=start, end=end)
        payloads[job_id] = {a: _compact(stage_impact(cohort, (a,))) for a in ATTRIBUTES}
    # Read first, then write in a short transaction: on SQLite (WAL) a transaction that reads and then writes
    # fails at once with "database is locked" when another process wrote in between (seen with two models workers).
    with database.atomic():
        for job_id, payload in payloads.items():
            ImpactSnapshot.delete().where((ImpactSnapshot.week == week) & (ImpactSnapshot.job_id == job_id)).execute()
            ImpactSnapshot.create(week=week, job_id=job_id, payload=payload)
    return week


def _compact(tables):
    return [{"step": t["step"], "unknown": t["unknown"],
             "rows": [{k: r[k] for k in ("group", "selected", "total", "ratio", "four_fifths", "significant",
                                         "insufficient")} for r in t["rows"]]} for t in tables]


def trend(job_id=0, attribute="gender", step="second_round"):
    """[(week, {group: impact ratio or None})] of the stored snapshots, oldest first."""
    out = []
    for snap in (ImpactSnapshot.select().where(ImpactSnapshot.job_id == job_id).order_by(ImpactSnapshot.week)):
        table = next((t for t in snap.payload.get(attribute, []) if t["step"] == step), None)
        if table is not None:
            out.append((snap.week, {r["group"]: r["ratio"] for r in table["rows"]}))
    return out


def group_of(application_ids, attribute="gender"):
    """{application id: group} of the given applications that answered `attribute` (unknowns left out)."""
    column = getattr(ApplicationFact, attribute)
    ids = list(application_ids)
    out = {}
    for i in range(0, len(ids), 5000):
        out.update({a: v for a, v in ApplicationFact.select(ApplicationFact.application_id, column)
                    .where(ApplicationFact.application_id.in_(ids[i:i + 5000])).tuples() if v})
    return out

"""The cohort funnel and its timings, computed from the rollup (app/analytics/rollup.py) with a few GROUP BYs.

A cohort is the applications of a job (or every job) that applied within a period, through a channel (or any).
Counts of "reached" include candidacies still in progress; pass-through per step is counted on finished
candidacies only (hired, or closed: rejected, withdrawn, expired), so a step is not punished for candidates still
waiting in it.
"""
import datetime as dt
from dataclasses import dataclass

from peewee import SQL, Case, PostgresqlDatabase, fn

from app.analytics import stats
from app.analytics.models import ApplicationFact, ScoreFact
from app.analytics.steps import HIRED, OFFER, SCORED, STEP_KEYS, STEP_LABELS, STEPS
from app.core import synthetic
from app.core.db import database
from app.core.models import Job

DEMO_PREFIX = synthetic.PREFIX  # the title of every demo job (app/core/synthetic.py: nothing is sent about them)

DAY = 86400


@dataclass(frozen=True)
class Cohort:
    job_ids: tuple | None = None     # None: every job
    start: dt.datetime | None = None  # applied at or after
    end: dt.datetime | None = None    # applied before
    channels: tuple | None = None     # None: every channel (app/screening/intake.CHANNELS keys)
    # The synthetic demo jobs ("[演示数据] …", app/analytics/demo.py) are never pooled with real ones on a page:
    # True only them, False only real jobs, None both (internal callers that choose jobs themselves).
    demo: bool | None = None

    def where(self, model=ApplicationFact):
        cond = SQL("1 = 1")
        if self.job_ids is not None:
            cond &= model.job_id.in_(list(self.job_ids))
        if self.demo is not None:
            demo_jobs = Job.select(Job.id).where(Job.title.startswith(DEMO_PREFIX))
            cond &= model.job_id.in_(demo_jobs) if self.demo else model.job_id.not_in(demo_jobs)
        if self.channels is not None:
            cond &= model.channel.in_(list(self.channels))
        if self.start is not None:
            cond &= model.applied_at >= self.start
        if self.end is not None:
            cond &= model.applied_at < self.end
        return cond


def step_counts(cohort):
    """{(max_step, closed): count} for the cohort: everything the funnel needs, in one GROUP BY."""
    query = (ApplicationFact.select(ApplicationFact.max_step, ApplicationFact.closed, fn.COUNT(SQL("*")))
             .where(cohort.where()).group_by(ApplicationFact.max_step, ApplicationFact.closed).tuples())
    return {(step, bool(closed)): n for step, closed, n in query}


def funnel_from_counts(counts):
    """Pure: the funnel rows from {(max_step, closed): count}.

    reached: candidacies that got to the step (any state); finished_reached: of those, the finished ones;
    passed: finished ones that went on to the next step; pass_rate = passed / finished_reached.
    """
    rows = []
    for k, (key, label, _) in enumerate(STEPS):
        reached = sum(n for (s, _), n in counts.items() if s >= k)
        fin = sum(n for (s, closed), n in counts.items() if s >= k and (closed or s == HIRED))
        passed = sum(n for (s, closed), n in counts.items() if s >= k + 1 and (closed or s == HIRED))
        in_progress = sum(n for (s, closed), n in counts.items() if s == k and not closed and s != HIRED)
        rows.append({"step": key, "label": label, "reached": reached, "in_progress": in_progress,
                     "finished": fin, "passed": passed if k < HIRED else None,
                     "pass_rate": (passed / fin if fin else None) if k < HIRED else None})
    return rows


def funnel(cohort):
    return funnel_from_counts(step_counts(cohort))


def funnel_by_channel(cohort):
    """{channel: funnel rows} for the cohort, from one GROUP BY."""
    f = ApplicationFact
    counts = {}
    for channel, step, closed, n in (f.select(f.channel, f.max_step, f.closed, fn.COUNT(SQL("*")))
                                     .where(cohort.where()).group_by(f.channel, f.max_step, f.closed).tuples()):
        counts.setdefault(channel, {})[(step, bool(closed))] = n
    return {channel: funnel_from_counts(c) for channel, c in counts.items()}


def _count_if(cond):
    return fn.SUM(Case(None, [(cond, 1)], 0))


def participation(cohort, days=7):
    """AI interview participation: started / invited, and completed within `days` of the invitation / invited."""
    f = ApplicationFact
    row = (f.select(_count_if(f.max_step >= 2), _count_if(f.max_step >= 3), _count_if(f.max_step >= 4),
                    _count_if((f.at_4 - f.at_2) <= days * DAY))
           .where(cohort.where()).tuples().get())
    invited, started, completed, completed_in = (int(v or 0) for v in row)
    return {"invited": invited, "started": started, "completed": completed, "completed_within": completed_in,
            "days": days, "start_rate": started / invited if invited else None,
            "complete_rate": completed_in / invited if invited else None}


def _pg():
    return isinstance(database.obj, PostgresqlDatabase)


def _durations_pg(cohort, exprs, by_job):
    """p50, p90 and n of each SQL expression (seconds), in one query: one sort per expression
    (percentile_cont over an array of fractions), NULLs ignored."""
    parts = [ApplicationFact.job_id] if by_job else []
    for e in exprs:
        parts += [SQL(f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {e})"), SQL(f"COUNT({e})")]
    query = ApplicationFact.select(*parts).where(cohort.where())
    if by_job:
        query = query.group_by(ApplicationFact.job_id)
    out = {}
    for row in query.tuples():
        key, row = (row[0], row[1:]) if by_job else (None, row)
        out[key] = [((row[2 * i] or [None, None])[0], (row[2 * i] or [None, None])[1], row[2 * i + 1])
                    for i in range(len(exprs))]
    return out


def _durations_py(cohort, pairs, by_job):
    cols = sorted({c for pair in pairs for c in pair if c})
    fields = [ApplicationFact.job_id] + [getattr(ApplicationFact, c) for c in cols]
    groups = {}
    for row in ApplicationFact.select(*fields).where(cohort.where()).tuples():
        groups.setdefault(row[0] if by_job else None, []).append(row[1:])
    out = {}
    for key, data in groups.items():
        out[key] = []
        for a, b in pairs:
            ib, ia = cols.index(b), (cols.index(a) if a else None)
            values = [r[ib] - (r[ia] if ia is not None else 0) for r in data
                      if r[ib] is not None and (ia is None or r[ia] is not None)]
            out[key].append((stats.percentile(values, 50), stats.percentile(values, 90), len(values)))
    return out


def durations(cohort, pairs, by_job=False):
    """[(p50, p90, n)] of (at_b - at_a) in seconds for each (a, b) column pair (a None: since applying);
    by_job: {job_id: [...]} instead."""
    if _pg():
        exprs = [f'("{b}" - "{a}")' if a else f'"{b}"' for a, b in pairs]
        out = _durations_pg(cohort, exprs, by_job)
    else:
        out = _durations_py(cohort, pairs, by_job)
    if by_job:
        return out
    return out.get(None) or [(None, None, 0)] * len(pairs)


def _col(k):
    return f"at_{k}" if k else None


STAGE_PAIRS = [(_col(k), _col(k + 1)) for k in range(HIRED)]


HIRE_PAIR = (None, "at_9")


def time_in_stage(cohort, measured=None):
    """Median and p90 days spent at each step before reaching the next (only those that moved on).

    measured: durations(cohort, STAGE_PAIRS + [HIRE_PAIR]) when the caller already has them."""
    measured = measured or durations(cohort, [*STAGE_PAIRS, HIRE_PAIR])
    rows = []
    for k, (p50, p90, n) in enumerate(measured[:len(STAGE_PAIRS)]):
        rows.append({"step": STEP_KEYS[k], "label": f"{STEP_LABELS[k]} → {STEP_LABELS[k + 1]}",
                     "median_days": _days(p50), "p90_days": _days(p90), "n": n})
    return rows


def time_to_hire(cohort, measured=None):
    p50, p90, n = (measured or durations(cohort, [*STAGE_PAIRS, HIRE_PAIR]))[len(STAGE_PAIRS)]
    return {"median_days": _days(p50), "p90_days": _days(p90), "n": n}


def offer_acceptance(funnel_rows):
    offer = funnel_rows[OFFER]
    return {"offers": offer["finished"], "accepted": offer["passed"], "rate": offer["pass_rate"]}


def _days(seconds):
    return None if seconds is None else round(float(seconds) / DAY, 1)


BUCKET = 10


def score_distribution(cohort):
    """{dimension: [count per 10-point bucket 0-9, 10-19, ... 90-100]} plus n and mean per dimension."""
    bucket = fn.FLOOR(ScoreFact.score / BUCKET) if _pg() else (ScoreFact.score / BUCKET).cast("INTEGER")
    query = (ScoreFact.select(ScoreFact.dimension, bucket.alias("b"), fn.COUNT(SQL("*")), fn.AVG(ScoreFact.score))
             .where(cohort.where(ScoreFact)).group_by(ScoreFact.dimension, SQL("b")).tuples())
    out = {}
    for dim, b, n, mean in query:
        entry = out.setdefault(dim, {"buckets": [0] * 10, "n": 0, "sum": 0.0})
        entry["buckets"][min(9, max(0, int(b)))] += n
        entry["n"] += n
        entry["sum"] += float(mean) * n
    return {dim: {"buckets": e["buckets"], "n": e["n"], "mean": round(e["sum"] / e["n"], 1)}
            for dim, e in out.items()}


__all__ = ["Cohort", "funnel", "funnel_from_counts", "participation", "time_in_stage", "time_to_hire",
           "offer_acceptance", "score_distribution", "SCORED"]

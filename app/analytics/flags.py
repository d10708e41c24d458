"""Bottleneck flags that are statistics, not league tables.

A job's reject rate at a step is flagged when it rises above the funnel-plot control limits of the baseline
for the job's own number of finished candidacies, and only with at least MIN_N of them. The baseline is the
pooled rate of the *other* jobs of its family (Job.family, 岗位类别) at that step when they have MIN_N finished
candidacies there, else of every other job (the company). A small baseline is itself uncertain, so the
difference must also be significant at the same level by Fisher's exact test of the job against it. The
limits are exact binomial ones at LEVEL (99.8 %, "three sigma"): with a few dozen job x step cells, 95 % limits
would flag one or two cells by chance alone. A stage-duration alert fires when a job's median time at a step is
more than DURATION_FACTOR times the company's and the job has MIN_N candidacies that moved on.

Each flag has a key; `sync` stores them and `push_new` tells HR in WeCom once per key.
"""
import logging

from peewee import SQL, fn

from app.analytics import stats
from app.analytics.funnel import DAY, STAGE_PAIRS, Cohort, durations, funnel_from_counts
from app.analytics.models import AnalyticsFlag, ApplicationFact
from app.analytics.steps import HIRED, STEP_LABELS, STEPS
from app.core import links, staff, synthetic
from app.core.base import utcnow
from app.core.db import database
from app.core.job_labels import all_job_labels
from app.core.models import Job

log = logging.getLogger(__name__)

MIN_N = 30
LEVEL = 0.998
DURATION_FACTOR = 2.0


def _pct(x):
    return f"{round(100 * x)}%"


def _level(level):
    return f"{level * 100:g}%"


def rate_flags(cohort, min_n=MIN_N, level=LEVEL):
    """Reject-rate flags per job and step for the cohort's period (cohort.job_ids limits the jobs flagged)."""
    f = ApplicationFact
    period = Cohort(start=cohort.start, end=cohort.end, demo=cohort.demo)  # peers of the same kind
    counts = {}
    for job_id, step, closed, n in (f.select(f.job_id, f.max_step, f.closed, fn.COUNT(SQL("*")))
                                    .where(period.where()).group_by(f.job_id, f.max_step, f.closed).tuples()):
        counts.setdefault(job_id, {})[(step, bool(closed))] = n
    rows = {job_id: funnel_from_counts(c) for job_id, c in counts.items()}
    titles, families = _titles(rows), _families(rows)
    flags = []
    for job_id, funnel in rows.items():
        if cohort.job_ids is not None and job_id not in cohort.job_ids:
            continue
        for k in range(HIRED):
            fin = funnel[k]["finished"]
            if fin < min_n:
                continue
            rejected = fin - funnel[k]["passed"]
            baseline = _baseline(rows, job_id, k, families, min_n)
            if baseline is None:
                continue
            base_fin, base_rej, base_name = baseline
            p0 = base_rej / base_fin
            side = stats.outside_limits(rejected, fin, p0, level)
            if side != "high":  # a bottleneck rejects more than its peers; rejecting fewer is no bottleneck
                continue
            # the limits take the baseline rate as known; a family of one or two jobs knows it only roughly, so
            # the difference must also hold against the baseline's own sampling error (Fisher's exact test)
            p_value = stats.fisher_exact(rejected, fin - rejected, base_rej, base_fin - base_rej)
            if p_value >= 1 - level:
                continue
            lo, hi = stats.funnel_limits(p0, fin, level)
            what = STEPS[k][2]
            limit = hi if side == "high" else lo
            message = (f"{titles.get(job_id, job_id)} 的{what} {_pct(rejected / fin)}，"
                       f"{'高于' if side == 'high' else '低于'}{base_name} {_level(level)} 控制"
                       f"{'上限' if side == 'high' else '下限'} {_pct(limit)}（n={fin}）")
            flags.append({"key": f"rate:{job_id}:{STEPS[k][0]}:{side}", "kind": "rate", "job_id": job_id,
                          "step": STEPS[k][0], "side": side, "rate": rejected / fin, "n": fin, "baseline": p0,
                          "low": lo, "high": hi, "baseline_of": base_name, "baseline_n": base_fin, "p": p_value,
                          "message": message})
    return flags


def _baseline(rows, job_id, k, families, min_n):
    """(finished, rejected, name) pooled over the other jobs of the job's family at step k, or over every other
    job when the family has fewer than min_n finished there; None when neither has."""
    family = families.get(job_id) or ""
    candidates = ([(f"同类岗位（{family}）", [j for j in rows if j != job_id and families.get(j) == family])]
                  if family else [])
    candidates.append(("全公司其他岗位", [j for j in rows if j != job_id]))
    for name, others in candidates:
        fin = sum(rows[j][k]["finished"] for j in others)
        if fin >= min_n:
            return fin, sum(rows[j][k]["finished"] - rows[j][k]["passed"] for j in others), name
    return None


def duration_flags(cohort, min_n=MIN_N, factor=DURATION_FACTOR):
    period = Cohort(start=cohort.start, end=cohort.end, demo=cohort.demo)  # peers of the same kind
    per_job = durations(period, STAGE_PAIRS, by_job=True)
    company = durations(period, STAGE_PAIRS)
    titles = _titles(per_job)
    flags = []
    for job_id, rows in per_job.items():
        if cohort.job_ids is not None and job_id not in cohort.job_ids:
            continue
        for k, (p50, _, n) in enumerate(rows):
            base = company[k][0]
            if n < min_n or not base or p50 is None or p50 <= factor * base:
                continue
            message = (f"{titles.get(job_id, job_id)} 在「{STEP_LABELS[k]}」阶段的中位停留 {p50 / DAY:.1f} 天，"
                       f"是全公司同阶段中位数 {base / DAY:.1f} 天的 {p50 / base:.1f} 倍（n={n}）")
            flags.append({"key": f"duration:{job_id}:{STEPS[k][0]}", "kind": "duration", "job_id": job_id,
                          "step": STEPS[k][0], "median_days": p50 / DAY, "baseline_days": base / DAY, "n": n,
                          "message": message})
    return flags


def compute(cohort, min_n=MIN_N):
    return rate_flags(cohort, min_n) + duration_flags(cohort, min_n)


def _titles(job_ids):
    """{job id: how staff pages name it} (core/job_labels: title · department · city, #id where two read alike),
    so a flag on one of two 「后端工程师」 says which."""
    return all_job_labels() if job_ids else {}


def _families(job_ids):
    return ({j.id: j.family for j in Job.select(Job.id, Job.family).where(Job.id.in_(list(job_ids)))}
            if job_ids else {})


def sync(flags):
    """Store the flags found now (new keys are inserted, known ones refreshed); others become inactive."""
    now = utcnow()
    keys = [f["key"] for f in flags]
    with database.atomic():
        for f in flags:
            details = {k: v for k, v in f.items() if k not in ("key", "kind", "job_id", "message")}
            (AnalyticsFlag.insert(key=f["key"], job_id=f["job_id"], kind=f["kind"], message=f["message"],
                                  details=details, first_seen=now, last_seen=now, active=True)
             .on_conflict(conflict_target=[AnalyticsFlag.key],
                          update={AnalyticsFlag.message: f["message"], AnalyticsFlag.last_seen: now,
                                  AnalyticsFlag.active: True, AnalyticsFlag.details: details}).execute())
        (AnalyticsFlag.update(active=False)
         .where(AnalyticsFlag.key.not_in(keys) if keys else SQL("1 = 1")).execute())


def push_new(send=None):
    """Tell HR in WeCom about each active flag not yet pushed (once per key); return how many were sent. The
    synthetic demo jobs' flags are shown on the dashboard but never pushed (app/core/synthetic.py)."""
    hr = staff.hr_userids()
    if not hr:
        return 0
    if send is None:
        from app.wecom.messages import send_markdown as send
    sent = 0
    for flag in AnalyticsFlag.select().where(AnalyticsFlag.active & AnalyticsFlag.pushed_at.is_null()
                                             & AnalyticsFlag.job_id.not_in(synthetic.synthetic_jobs())):
        # claim it first: a second pusher running at the same time finds nothing to claim
        claimed = (AnalyticsFlag.update(pushed_at=utcnow())
                   .where((AnalyticsFlag.id == flag.id) & AnalyticsFlag.pushed_at.is_null()).execute())
        if not claimed:
            continue
        try:
            send(hr, f"**招聘数据提醒**\n> {flag.message}\n[查看招聘数据]({links.analytics_url()})")
        except Exception:
            AnalyticsFlag.update(pushed_at=None).where(AnalyticsFlag.id == flag.id).execute()
            raise
        sent += 1
    return sent


def pushed_times():
    """{key: pushed_at} of every stored flag, for the dashboard."""
    return {f.key: f.pushed_at for f in AnalyticsFlag.select(AnalyticsFlag.key, AnalyticsFlag.pushed_at)}

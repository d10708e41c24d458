"""Closing the data loop: how each dimension of a job's competency model relates to post-hire performance, and
a recommended re-weighting HR may approve.

Guardrails: no recommendation below MIN_HIRES hires with a rating; every figure carries its N and a bootstrap
interval; and the page always says that performance exists only for people who were hired (range restriction),
so these correlations understate how well the scores predict in the whole applicant pool.
"""
import numpy as np
from peewee import Case, fn

from app.analytics import stats
from app.analytics.impact import scores_impact
from app.analytics.models import ApplicationFact, PerformanceRecord, ScoreFact, WeightChange
from app.analytics.steps import STEP_KEYS
from app.core.db import plain_rows
from app.core.errors import BadRequest, found
from app.core.job_labels import LABEL_COLUMNS, job_labels
from app.core.models import Application, Dimension, Job
from app.core.tx import transaction
from app.screening import job_versions

MIN_HIRES = 30
SHRINK_K = 100   # the recommendation moves n / (n + 100) of the way to the target
CAP = 10         # no weight changes by more than 10 points in one version
SECOND_ROUND = STEP_KEYS.index("second_round")
RANGE_RESTRICTION = ("绩效只存在于被录用的人身上（范围受限），被淘汰的人没有绩效，"
                     "所以这里的相关系数会低估评分的真实预测力。"
                     "Performance exists only for people who were hired (range restriction), so these figures "
                     "understate validity.")


def _job(job_id):
    job = found(Job.get_or_none(Job.id == job_id), "找不到该岗位 Job not found", code="job_not_found")
    return job


def hire_data(job_id):
    """(dimension names, {application id: {dimension: score}}, {application id: mean rating}) of the job's hires
    that have both an AI report and at least one performance rating."""
    hires = (PerformanceRecord.select(PerformanceRecord.application).join(Application)
             .where(Application.job == job_id))
    ratings = dict(plain_rows(hires.select(PerformanceRecord.application, fn.AVG(PerformanceRecord.rating))
                         .group_by(PerformanceRecord.application)))
    scores = {}
    if ratings:
        for app_id, dim, score in plain_rows(ScoreFact.select(ScoreFact.application_id, ScoreFact.dimension,
                                                         ScoreFact.score)
                                        .where((ScoreFact.job_id == job_id) & ScoreFact.application_id.in_(hires))):
            scores.setdefault(app_id, {})[dim] = score
    dims = [d.name for d in _job(job_id).ordered_dimensions()]
    return dims, {a: s for a, s in scores.items() if all(d in s for d in dims)}, ratings


def overview():
    """[(job id, title, hires with a performance rating)] of every job that has any, most first: what the page
    offers before a job is chosen."""
    counts = plain_rows(PerformanceRecord.select(Application.job, fn.COUNT(fn.DISTINCT(PerformanceRecord.application)))
                   .join(Application).group_by(Application.job))
    ids = [j for j, _ in counts]
    titles = job_labels(Job.select(*LABEL_COLUMNS).where(Job.id.in_(ids)).order_by(Job.id)) if ids else {}
    return sorted(((job_id, titles.get(job_id, job_id), n) for job_id, n in counts), key=lambda r: (-r[2], r[0]))


def correlations(job_id, seed=0):
    dims, scores, ratings = hire_data(job_id)
    ids = sorted(scores)
    y = [ratings[a] for a in ids]
    return stats.bootstrap_correlations({d: [scores[a][d] for a in ids] for d in dims}, y, seed=seed), len(ids)


def recommendation(job_id, min_hires=MIN_HIRES):
    """The evidence and the recommended weights for one job; {"needed": k} when fewer than min_hires hires."""
    job = _job(job_id)
    current = {d.name: d.weight for d in job.ordered_dimensions()}
    corr, n = correlations(job_id)
    out = {"job_id": job.id, "title": job.title, "n": n, "min_hires": min_hires, "current": current,
           "correlations": corr, "warning": RANGE_RESTRICTION}
    if n < min_hires:
        out["needed"] = min_hires - n
        return out
    recommended = stats.recommend_weights(current, {d: c["r"] for d, c in corr.items()}, n, shrink_k=SHRINK_K,
                                          cap=CAP)
    out["recommended"] = recommended
    out["past"] = past_cohorts(job_id, current, recommended)
    return out


def _weighted(weights):
    """SUM over an application's score facts of score x weight / total weight (the AI total under `weights`)."""
    total = sum(weights.values()) or 1
    return fn.SUM(Case(ScoreFact.dimension, [(d, ScoreFact.score * (w / total)) for d, w in weights.items()], 0))


def past_cohorts(job_id, current, recommended):
    """What the new weights would have changed for the job's scored candidates so far: who moves across the
    bar that took the same share to the second round, and the adverse-impact tables at that bar, old vs new.
    Totals are summed in the database (one row per candidate comes back, not one per dimension)."""
    f = ApplicationFact
    rows = plain_rows(ScoreFact.select(ScoreFact.application_id, _weighted(current), _weighted(recommended),
                                  f.max_step, f.gender)
                 .join(f, on=(f.application_id == ScoreFact.application_id))
                 .where((ScoreFact.job_id == job_id) & (ScoreFact.dimension != "总分"))
                 .group_by(ScoreFact.application_id, f.max_step, f.gender))
    if not rows:
        return {"scored": 0}
    ids = [r[0] for r in rows]
    old = np.array([r[1] for r in rows], dtype=float)
    new = np.array([r[2] for r in rows], dtype=float)
    share = float(np.mean([r[3] >= SECOND_ROUND for r in rows])) or 0.5
    cut_old, cut_new = float(np.quantile(old, 1 - share)), float(np.quantile(new, 1 - share))
    above_old, above_new = set(np.flatnonzero(old >= cut_old)), set(np.flatnonzero(new >= cut_new))
    groups = {}
    for i, r in enumerate(rows):
        if r[4]:
            groups.setdefault(r[4], []).append(i)
    impact_old = scores_impact({g: [old[i] - cut_old for i in members] for g, members in groups.items()}, (0,))
    impact_new = scores_impact({g: [new[i] - cut_new for i in members] for g, members in groups.items()}, (0,))
    return {"scored": len(ids), "share": share, "moved_in": len(above_new - above_old),
            "moved_out": len(above_old - above_new), "impact_old": impact_old[0]["rows"],
            "impact_new": impact_new[0]["rows"]}


def apply(job_id, weights, actor, evidence=None):
    """Set the job's dimension weights to `weights` ({name: int}, non-negative, summing to 100), record the
    result as the job's next version (a new competency model, app/screening/job_versions) and audit it.

    Reports keep the version and the weights that scored them (Report.job_version, Report.dimensions).
    """
    job = _job(job_id)
    dims = {d.name: d for d in job.ordered_dimensions()}
    try:
        weights = {name: int(weights[name]) for name in dims}
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequest("权重必须覆盖岗位的每个维度且为整数 Weights must be integers for every dimension",
                         code="invalid_weights") from exc
    if any(w < 0 for w in weights.values()) or sum(weights.values()) != 100:
        raise BadRequest("权重必须非负且合计为 100 Weights must be non-negative and sum to 100", code="invalid_weights")
    old = {name: d.weight for name, d in dims.items()}
    with transaction():
        if job_versions.latest(job.id) is None:  # a job made before versions: keep its old model as version 1
            job_versions.record_current(job, actor, "校准前的胜任力模型 model before calibration")
        for name, d in dims.items():
            Dimension.update(weight=weights[name]).where(Dimension.id == d.id).execute()
        changes = "，".join(f"{name} {old[name]}→{weights[name]}" for name in dims if old[name] != weights[name])
        version = job_versions.record_current(job, actor,
                                              f"按绩效校准调整权重 weights from performance: {changes or '不变'}")
        return WeightChange.create(job=job, old_weights=old, new_weights=weights, evidence=evidence or {},
                                   actor=actor, version=version.number)


def history(job_id):
    return list(WeightChange.select().where(WeightChange.job == job_id).order_by(WeightChange.id.desc()))

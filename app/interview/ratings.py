"""Raters (HR and the job's managers) rate answers 1-5 per dimension; calibration fits a job's scoring profile.

A rater sees the other raters' ratings of a dimension of an answer only after submitting their own. Calibration
(`flask --app wsgi scoring calibrate --job ID`) refits the weights on held-out folds and saves a new versioned
ScoringProfile only when held-out agreement improves; answers scored later use the job's newest profile, and
every score keeps the profile version that made it.
"""
from app.core import staff as staff_service
from app.core.base import utcnow
from app.core.errors import BadRequest, NotFound, found
from app.core.models import Job, Question
from app.core.tx import transaction
from app.interview import answer_analysis
from app.interview.models import Answer, Rating, ScoringProfile
from app.wecom import users

MIN_RATINGS = 30  # per job, before calibration is attempted


def _rateable(staff, answer_id, dimension):
    answer = Answer.get_or_none(Answer.id == answer_id)
    if answer is None or not staff_service.can_view_application(staff, answer.interview.application):
        raise NotFound("回答不存在 Answer not found", code="answer_not_found")
    dims = (answer.scores or {}).get("dimensions") or {}
    if dimension not in dims:
        raise BadRequest("该回答没有这个维度的评分 this answer has no score for that dimension",
                         code="unknown_dimension")
    return answer, dims[dimension]


def submit_rating(staff, answer_id, dimension, score):
    """Store (or replace) this rater's 1-5 rating, with the AI score and versions they were shown."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise BadRequest("评分应为 1-5 rating must be 1-5", code="invalid_rating")
    answer, shown = _rateable(staff, answer_id, dimension)
    fields = {"score": score, "shown_score": shown.get("score"), "created_at": utcnow(),
              "model_version": (answer.scores or {}).get("model_version", ""),
              "profile_version": (answer.scores or {}).get("profile_version", "")}
    with transaction():
        existing = Rating.get_or_none(Rating.answer == answer.id, Rating.dimension == dimension,
                                      Rating.rater_userid == staff.userid)
        if existing:
            Rating.update(**fields).where(Rating.id == existing.id).execute()
        else:
            Rating.create(answer=answer, dimension=dimension, rater_userid=staff.userid, **fields)


def ratings_for_page(staff, answer_ids):
    """{answer_id: {dimension: {"mine": score | None, "others": [(rater, score)] once mine is in}}}."""
    out = {}
    for rating in Rating.select().where(Rating.answer.in_(list(answer_ids))):
        out.setdefault(rating.answer_id, {}).setdefault(rating.dimension, []).append(rating)
    view = {}
    for answer_id, dims in out.items():
        for dim, rows in dims.items():
            mine = next((r.score for r in rows if r.rater_userid == staff.userid), None)
            others = [(users.display_name(r.rater_userid), r.score) for r in rows
                      if r.rater_userid != staff.userid] if mine is not None else []
            view.setdefault(answer_id, {})[dim] = {"mine": mine, "others": others,
                                                   "hidden": 0 if mine is not None else len(rows)}
    return view


def _samples(job):
    """Calibration samples: each rating with the features the current scorer computes for its answer."""
    from app.analysis.scoring import score_answer

    ratings = (Rating.select(Rating, Answer).join(Answer).join(Question)
               .where(Question.job == job.id).order_by(Rating.id))
    results, samples = {}, []
    for rating in ratings:
        answer = rating.answer
        if answer.id not in results:
            question, dims, job_dict = answer_analysis.scoring_inputs(answer)
            results[answer.id] = score_answer((answer.transcript or {}).get("text", ""), answer.features or {},
                                              question, dims, job_dict, transcript=answer.transcript)
        dim = results[answer.id]["dimensions"].get(rating.dimension)
        if dim is None or dim.get("score") is None:
            continue  # not scored (the transcript was unreliable): nothing to calibrate against
        samples.append({"dimension": rating.dimension, "features": dim["features"], "rating": rating.score,
                        "group": answer.id})
    return samples


def calibrate_job(job_id, min_ratings=MIN_RATINGS, folds=5, alpha=0.05):
    """Refit the learned scorer's level weights to the job's ratings (pulled toward the shipped weights); save a
    new profile only if held-out agreement improved.

    Returns {"job", "ratings", "needed", "fit": calibration result, "saved": version | None, "prior"}.
    """
    from app.analysis import calibration
    from app.analysis.scoring import MODEL_VERSION

    job = found(Job.get_or_none(Job.id == job_id), f"岗位 {job_id} 不存在 job {job_id} not found", code="job_not_found")
    count = (Rating.select().join(Answer).join(Question).where(Question.job == job.id).count())
    result = {"job": job.id, "ratings": count, "needed": max(0, min_ratings - count), "fit": {}, "saved": None,
              "prior": "shipped"}
    if count < min_ratings:
        return result
    fitted = calibration.calibrate(_samples(job), k=folds, alpha=alpha)
    result["fit"] = fitted
    if fitted.get("improved"):
        number = ScoringProfile.select().where(ScoringProfile.job == job.id).count() + 1
        version = f"job{job.id}-v{number}-{utcnow():%Y%m%d%H%M}-n{count}"
        with transaction():
            ScoringProfile.create(job=job, version=version, ratings_used=count, model_version=MODEL_VERSION,
                                  weights={"terms": fitted["terms"], "thresholds": fitted["thresholds"]},
                                  metrics={"before": fitted["before"], "after": fitted["after"], "n": fitted["n"]})
        result["saved"] = version
    return result

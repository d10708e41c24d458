"""Fit and judge the learned scorer on the labelled jobs: the feature table, one fit, leave-one-job-out.

Used by bench/scoring.py (the figures) and bench/fit_scorer.py (the shipped weights). Everything chosen (weights,
thresholds, relevance model, hyper-parameters) is chosen from the training jobs of a fold only.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.analysis import encoders, fitting, model  # noqa: E402
from app.analysis import features as F  # noqa: E402
from bench import scoring_data as D  # noqa: E402
from bench import scoring_metrics as M  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
GENERAL = ("语言表达", "逻辑思维", "岗位匹配度")
NOT_ANSWERS = ("off_topic", D.RECYCLED)  # the relevance model's negatives: not an answer to this question

# The level model's terms: (feature, kind). Content counts as far as the answer is on topic (r x feature).
TERMS = ([("relevance", "relevance")]
         + [(n, "content") for n in ("length", "figures", "specifics", "actions", "outcomes", "episode", "coverage")]
         + [(n, "concern") for n in ("negated", "readback", "listing", "empty_terms", "fillers", "hedges",
                                      "abstract")]
         + [("sim_question", "main"), ("anchor_position", "main"), ("sim_job", "main")])
# Signs: +1 may only raise a score, -1 only lower it (fitting.fit clips a weight of the wrong sign to 0). sim_job is
# the one main effect that lowers: with relevance accounted for, an answer that keeps close to the job
# description's wording is echoing it (templates, read-back) rather than telling what the candidate did.
SIGNS = {"relevance": 1, "content": 1, "concern": -1, "sim_question": 1, "anchor_position": 1, "sim_job": -1}
# Answer-level signals only: whether an answer answers its question does not depend on the dimension.
RELEVANCE = ("sim_question", "sim_job", "own_vs_other", "lex_question", "lex_margin", "anchor_top",
             "anchor_vs_other", "mode_fit", model.AGREEMENT)
# gate: content counts as r ** gate (2: an answer judged half on its question keeps a quarter of its content).
GRID = [{"l2": l2, "pairwise": pw, "gate": g} for g in (1.0, 2.0) for l2 in (0.01, 0.03) for pw in (0.3, 1.0)]


def scored_dimensions(question: dict, dims: list[dict]) -> list[str]:
    """The question's own dimensions, then the job's general ones (as app/analysis/scoring.py scores them)."""
    names = {d["name"] for d in dims}
    wanted = [n for n in question["dimensions"] if n in names]
    return wanted + [n for n in GENERAL if n in names and n not in wanted]


def _embedding_cache(name: str) -> Path:
    return CACHE / f"embeddings-{name}.pkl"


def table(encoder_name: str = "e5", include_holdout: bool = True, verbose: bool = True,
          discount: float = 0.0) -> list[dict]:
    """One sample per (labelled row, scored dimension): the features, label, weights. Embeddings cached on disk
    (bench/.cache/, not committed): a cosine never depends on the cache, only the run time does."""
    from app.analysis import text as T

    T.load_models()
    encoder = encoders.get(encoder_name)
    cache = _embedding_cache(encoder_name)
    if cache.exists():
        encoder._cache.update(pickle.loads(cache.read_bytes()))
    out = []
    for r in D.rows(include_holdout=include_holdout):
        question, dims, job = D.scoring_inputs(r["job"], r["question"])
        names = scored_dimensions(question, dims)
        f = F.compute(r["text"], {}, question, dims, job, encoder, names, discount)
        weight = {d["name"]: d["weight"] for d in dims}
        for name in names:
            out.append({**{k: r[k] for k in ("id", "job", "question", "label", "category")}, "dim": name,
                        "dim_weight": weight[name], "per_answer": len(names), "x": f.row(name)})
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(dict(encoder._cache)))
    if verbose:
        print(f"features: {len(out)} samples ({encoder_name})", file=sys.stderr)
    return out


def _column(samples: list[dict], name: str) -> np.ndarray:
    return np.array([np.nan if s["x"].get(name) is None else s["x"][name] for s in samples], dtype=float)


def _logistic(Z: np.ndarray, t: np.ndarray, l2: float = 0.01, steps: int = 800) -> tuple[np.ndarray, float]:
    """Logistic regression whose terms are each clipped to +-model.SIGNAL_CAP (as Model.relevance applies them):
    no single signal can make an answer off topic; a clipped term gets no gradient."""
    w, b = np.zeros(Z.shape[1]), 0.0
    for _ in range(steps):
        terms = Z * w
        inside = np.abs(terms) < model.SIGNAL_CAP
        p = 1 / (1 + np.exp(-(np.clip(terms, -model.SIGNAL_CAP, model.SIGNAL_CAP).sum(1) + b)))
        g = p - t
        w -= 0.5 * ((Z * inside).T @ g / len(t) + 2 * l2 * w)
        b -= 0.5 * g.mean()
    return w, b


def fit(samples: list[dict], l2: float, pairwise: float, gate: float = 1.0, version: str = "fold",
        discount: float = 0.0) -> model.Model:
    """Fit the relevance model, then the level model, on `samples`; return a scorer. `discount`: the setting the
    samples' features were computed with (features.rival_weight), recorded in the scorer."""
    # The agreement of the "other question" margins (model.agreement), each in units of its spread on `samples`.
    scales = {k: float(np.nanstd(_column(samples, k))) for k in model.MARGINS}
    scales = {k: v for k, v in scales.items() if np.isfinite(v) and v > 0}
    derived = [{"x": {**s["x"], model.AGREEMENT: model.agreement(s["x"], scales)}} for s in samples]
    R = np.stack([_column(derived, n) for n in RELEVANCE], 1)
    r_mean, r_std = fitting.standardise(R)
    target = np.array([0.0 if s["category"] in NOT_ANSWERS else 1.0 for s in samples])
    r_w, r_b = _logistic(fitting.zscore(R, r_mean, r_std), target)
    relevance = {"features": list(RELEVANCE), "mean": r_mean.tolist(), "std": r_std.tolist(),
                 "weights": r_w.tolist(), "bias": float(r_b), "agreement_scales": scales}
    shell = model.Model({"version": version, "relevance": relevance, "thresholds": [-1.5, -0.5, 0.5, 1.5],
                         "gate": gate, "discount": discount,
                         "terms": [{"name": n, "kind": k, "mean": 0.0, "std": 1.0, "weight": 0.0}
                                   for n, k in TERMS]})
    X = np.array([[np.nan if v is None else v for v in shell.term_values(s["x"]).values()] for s in samples])
    mean, std = fitting.standardise(X)
    Z = fitting.zscore(X, mean, std)
    y = np.array([s["label"] for s in samples])
    groups = [(s["job"], s["question"], s["dim"]) for s in samples]
    weights = np.array([1.0 / s["per_answer"] for s in samples])
    signs = np.array([SIGNS.get(n, SIGNS.get(k, 0)) for n, k in TERMS], dtype=float)
    w, theta = fitting.fit(Z, y, groups, l2, pairwise, sample_w=weights, monotone=signs)
    terms = [{"name": n, "kind": k, "mean": float(m), "std": float(s), "weight": float(v)}
             for (n, k), m, s, v in zip(TERMS, mean, std, w, strict=True)]
    return model.Model({"version": version, "relevance": relevance, "terms": terms, "gate": gate,
                        "discount": discount, "thresholds": [float(t) for t in theta]})


def score_rows(scorer: model.Model | None, samples: list[dict], scorers: list[model.Model] | None = None
               ) -> list[dict]:
    """Per answer: each dimension's score (an int, as stored) and the weighted total (as the report computes).
    `scorers`: one scorer per sample instead of one for all."""
    from app.analysis.scoring import weighted_total

    by_id: dict[str, dict] = {}
    for i, s in enumerate(samples):
        row = by_id.setdefault(s["id"], {**{k: s[k] for k in ("id", "job", "question", "label", "category")},
                                         "dims": {}, "weights": {}})
        row["dims"][s["dim"]] = int(round((scorers[i] if scorers else scorer).predict(s["x"])["score"]))
        row["weights"][s["dim"]] = s["dim_weight"]
    for row in by_id.values():
        row["score"] = weighted_total(row["dims"], row.pop("weights"))
    return list(by_id.values())


def lojo(samples: list[dict], hyper: dict, jobs: list[str] | None = None, folds: int | None = None,
         tail: float = 1.0) -> list[dict]:
    """Leave one job out: each job scored by a scorer fitted on the other jobs' samples. With `folds`, the jobs are
    dealt round-robin (sorted by name) into that many groups and each group is left out instead (cheaper)."""
    names = jobs or sorted({s["job"] for s in samples})
    groups = [[j] for j in names] if not folds else [names[i::folds] for i in range(folds)]
    rows = []
    for group in groups:
        train = [s for s in samples if s["job"] not in group]
        rows += score_rows(fit(train, **hyper).with_tail(tail), [s for s in samples if s["job"] in group])
    return rows


HONEST_COST = 0.002  # an honest answer (label >= 2) under 10 costs as much as 0.2 % of the pairs


def objective(rows: list[dict]) -> float:
    """What hyper-parameters are chosen by: pair accuracy, less HONEST_COST per honest answer under 10."""
    m = M.evaluate(rows, set())
    return m["overall"]["accuracy"] - HONEST_COST * len(m["honest_under_10"])


def choose(samples: list[dict], grid=GRID, folds: int | None = None) -> tuple[dict, list[tuple[dict, float]]]:
    """The hyper-parameters with the best leave-one-job-out objective on `samples` (ties: first in GRID); with
    `folds`, leave-a-group-of-jobs-out."""
    tried = [(h, objective(lojo(samples, h, folds=folds))) for h in grid]
    best = max(tried, key=lambda x: x[1])
    return best[0], tried


INNER_FOLDS = 4  # the inner loop leaves out groups of jobs: 4 fits per setting instead of 11-13 (same idea, cheaper)
# How far level 1's band spreads below the first threshold (fitting.to_score): 1 = the model's own probability.
TAILS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)


def _fold_scorers(samples: list[dict], hyper: dict, folds: int | None) -> list[tuple[dict, model.Model]]:
    """Each sample with the scorer fitted without its job (or its group of jobs)."""
    names = sorted({s["job"] for s in samples})
    groups = [[j] for j in names] if not folds else [names[i::folds] for i in range(folds)]
    out = []
    for group in groups:
        scorer = fit([s for s in samples if s["job"] not in group], **hyper)
        out += [(s, scorer) for s in samples if s["job"] in group]
    return out


def choose_tail(samples: list[dict], hyper: dict, folds: int | None = INNER_FOLDS) -> tuple[float, list]:
    """The smallest tail (TAILS) under which no honest answer (label >= 2) of `samples` scores under 10 when each
    job is scored by a scorer fitted without it (with `folds`, without its group of jobs); if none does, the one
    with the fewest. A calibration of level 1's band chosen on training jobs only: the cost of telling a manager
    that an honest answer is worth 0-9 is higher than that of leaving a gamed one at 10-19. Orders and levels stay.
    """
    scored = _fold_scorers(samples, hyper, folds)
    tried = []
    for tail in TAILS:
        tailed = {}
        rows = score_rows(None, [s for s, _ in scored],
                          [tailed.setdefault(id(m), m.with_tail(tail)) for _, m in scored])
        tried.append((tail, sum(1 for r in rows if r["label"] >= 2 and r["score"] < M.HONEST_FLOOR)))
        if tried[-1][1] == 0:
            break
    return min(tried, key=lambda x: (x[1], x[0]))[0], tried


# How steeply comparisons with a same-topic question of the interview are discounted (features.rival_weight):
# 0 = not at all; w = (distance / typical distance) ** discount. Each value needs its own feature table.
DISCOUNTS = (0.0, 1.0, 2.0, 4.0)


def tables(encoder_name: str = "e5", discounts=DISCOUNTS) -> dict[float, list[dict]]:
    """{discount: the feature table computed with it}: the same samples in the same order."""
    return {d: table(encoder_name, verbose=d == discounts[0], discount=d) for d in discounts}


def choose_discount(by_discount: dict[float, list[dict]], jobs: set[str], hyper: dict,
                    folds: int | None = INNER_FOLDS) -> tuple[float, list[tuple[float, float]]]:
    """The discount with the best objective when the training `jobs` are scored leave-a-group-of-jobs-out with
    `hyper` (ties: the smallest discount)."""
    tried = [(d, objective(lojo([s for s in samples if s["job"] in jobs], {**hyper, "discount": d}, folds=folds)))
             for d, samples in sorted(by_discount.items())]
    return max(tried, key=lambda x: (x[1], -x[0]))[0], tried


def choose_all(by_discount: dict[float, list[dict]], jobs: set[str], folds: int | None = INNER_FOLDS,
               log=None) -> dict:
    """Every setting, on the training `jobs` only: hyper-parameters (on the undiscounted features), then the
    discount with them, then level 1's tail."""
    plain = [s for s in by_discount[min(by_discount)] if s["job"] in jobs]
    hyper, _ = choose(plain, folds=folds)
    discount, tried = choose_discount(by_discount, jobs, hyper, folds=folds)
    if log:
        log(f"    discount objective {[(d, round(v, 4)) for d, v in tried]}")
    train = [s for s in by_discount[discount] if s["job"] in jobs]
    tail, _ = choose_tail(train, {**hyper, "discount": discount}, folds=folds)
    return {**hyper, "discount": discount, "tail": tail}


def fit_chosen(samples: list[dict], chosen: dict, version: str = "fold") -> model.Model:
    """A scorer fitted on `samples` (computed with chosen["discount"]) with every chosen setting."""
    return fit(samples, **{k: v for k, v in chosen.items() if k != "tail"}, version=version).with_tail(
        chosen.get("tail", 1.0))


def outer_fold(by_discount: dict[float, list[dict]], jobs: list[str], job: str) -> tuple[dict, list[dict]]:
    """One fold of the nested leave-one-job-out: every setting chosen on the other `jobs` (choose_all), a scorer
    fitted on them, `job` scored by it."""
    train = set(jobs) - {job}
    chosen = choose_all(by_discount, train)
    samples = by_discount[chosen["discount"]]
    return chosen, score_rows(fit_chosen([s for s in samples if s["job"] in train], chosen),
                              [s for s in samples if s["job"] == job])


def nested_lojo(by_discount: dict[float, list[dict]], jobs: list[str], log=print, folds=None
                ) -> tuple[list[dict], dict]:
    """Leave one job out, with every setting chosen by an inner cross-validation over the other jobs only
    (INNER_FOLDS groups of whole jobs, choose_all): the left-out job never takes part in the choice. `folds`: the
    outer folds' results when computed elsewhere (bench/scoring.py runs them in parallel), by job."""
    rows, chosen = [], {}
    for job in jobs:
        chosen[job], scored = folds[job] if folds else outer_fold(by_discount, jobs, job)
        log(f"  {job}: {chosen[job]}")
        rows += scored
    return rows, chosen


def fingerprint(samples: list[dict]) -> str:
    """A hash of the training data, recorded in the shipped scorer."""
    blob = repr([(s["id"], s["dim"], s["label"], sorted(s["x"].items())) for s in samples])
    return hashlib.sha256(blob.encode()).hexdigest()[:12]

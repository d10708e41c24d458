"""The learned scorer: two small fitted models over the interpretable features (app/analysis/features.py).

1. Relevance (切题程度), r in (0, 1): a logistic regression on the topic signals (similarity of the answer to its
   question, to the job, to the dimension's rubric and to the question's anchors; how much closer it is to this
   question than to the interview's other questions, in meaning and in wording). Several signals have to agree
   before r is low; none of them decides alone.
2. The level: an ordinal logistic regression on standardised terms, each with a fixed sign:
   - relevance itself (+),
   - content counted as far as the answer is on topic: r x figures, names, actions, outcomes, episode, length,
     dimension keywords (+),
   - concerns: negation, read-back, listed words, job terms in empty sentences, fillers, hedges, abstract words (-),
   - a few main effects (similarity to the question and to the anchors' top level (+); echoing the job text (-)).
   eta = sum(weight x z); the fitted thresholds cut eta into the BARS levels 1-5, mapped onto 0-100 in bands
   (fitting.to_score). Each term's weight x z is its contribution: the reasons a manager reads come from them.

The weights live in app/analysis/data/scorer.json, written by bench/fit_scorer.py (rerun it to refit; it is
deterministic). A company's own ratings refit the level weights toward the shipped ones (app/analysis/calibration.py,
`flask --app wsgi scoring calibrate --job ID`); the result is a scoring profile with its own version.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from app.analysis import fitting

SHIPPED = Path(__file__).resolve().parent / "data" / "scorer.json"
KINDS = ("relevance", "content", "concern", "main")
# One topic signal moves the odds that an answer is on its question by at most e^2 = 7.4x (from r = 0.9 to 0.55 at
# most): an answer is off its question only when several signals agree (meaning, wording, anchors, other questions).
# Measured leave-one-job-out on the 12 development jobs: cap 1.0 90.6 %, 1.5 91.0 %, 2.0 91.1 %, none 91.0 %.
SIGNAL_CAP = 2.0


# The "other question" signals: how much closer the answer is to its own question than to the interview's others,
# in meaning, in wording and by the anchors. Each is a term of the relevance model; `agreement` adds one more.
MARGINS = ("own_vs_other", "lex_margin", "anchor_vs_other")
AGREEMENT = "other_agree"


class ModelError(ValueError):
    pass


def agreement(row: dict, scales: dict[str, float]) -> float | None:
    """How far the signal most in favour of the answer's own question places it there: the largest margin, each
    in units of its spread (`scales`, fitted). Below zero only when every signal (meaning, wording, anchors) finds
    the answer closer to another question: a recycled answer needs them to agree, and one signal that confuses two
    questions on one topic is outvoted by another that tells them apart."""
    values = [float(row[k]) / scales[k] for k in MARGINS if k in scales and row.get(k) is not None]
    return round(max(values), 4) if values else None


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-60.0, min(60.0, x))))


def _z(value, mean: float, std: float) -> float:
    """Standardised and clipped like fitting.zscore: no single feature can zero an answer."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0.0  # a missing feature (no anchors) sits at the mean: it neither helps nor hurts
    return max(-fitting.Z_CAP, min(fitting.Z_CAP, (float(value) - mean) / std))


def validate(data: dict) -> dict:
    """Raise ModelError (Chinese first) unless `data` is a well-formed scorer."""
    try:
        rel, terms = data["relevance"], data["terms"]
        if not isinstance(data["version"], str) or not data["version"]:
            raise ModelError("评分模型缺少版本号 scorer needs a version")
        if len(rel["features"]) != len(rel["weights"]) or len(rel["mean"]) != len(rel["features"]):
            raise ModelError("切题模型的参数长度不一致 relevance parameters disagree in length")
        if any(float(v) <= 0 for v in (rel.get("agreement_scales") or {}).values()):
            raise ModelError("一致性尺度须为正数 agreement scales must be positive")
        for term in terms:
            if term["kind"] not in KINDS or not {"name", "mean", "std", "weight"} <= set(term):
                raise ModelError(f"评分项无效 invalid term {term.get('name')}")
        theta = data["thresholds"]
        if len(theta) != 4 or any(b <= a for a, b in zip(theta, theta[1:], strict=False)):
            raise ModelError("等级阈值须为 4 个递增的数 thresholds must be 4 increasing numbers")
        if not 1.0 <= float(data.get("gate", 1.0)) <= 4.0:
            raise ModelError("切题门控指数须在 1 到 4 之间 gate must lie in [1, 4]")
        if not 0.0 <= float(data.get("discount", 0.0)) <= 16.0:
            raise ModelError("同题材折扣须在 0 到 16 之间 discount must lie in [0, 16]")
        if not 1.0 <= float(data.get("tail", 1.0)) <= 10.0:
            raise ModelError("低分段系数须在 1 到 10 之间 tail must lie in [1, 10]")
    except (KeyError, TypeError) as exc:
        raise ModelError(f"评分模型格式不对 malformed scorer: {exc}") from exc
    return data


class Model:
    def __init__(self, data: dict):
        self.data = validate(data)
        self.version = data["version"]
        self.encoder = data.get("encoder", "e5")
        self.terms = data["terms"]
        self.thresholds = np.array(data["thresholds"], dtype=float)
        self.tail = float(data.get("tail", 1.0))  # how level 1's band spreads below theta_1 (fitting.to_score)
        self.gate = float(data.get("gate", 1.0))  # content counts as r ** gate (bench/scoring_fit.GRID)
        # How steeply a comparison with a same-topic question is discounted (features.rival_weight): a setting of
        # the features this scorer was fitted on, so they are computed with it (scoring.score_answer).
        self.discount = float(data.get("discount", 0.0))

    def relevance(self, row: dict) -> float:
        """r = sigmoid(bias + sum of the signals' terms), each term clipped to +-SIGNAL_CAP."""
        rel = self.data["relevance"]
        if "agreement_scales" in rel:
            row = {**row, AGREEMENT: agreement(row, rel["agreement_scales"])}
        eta = rel["bias"] + sum(max(-SIGNAL_CAP, min(SIGNAL_CAP, w * _z(row.get(f), m, s))) for f, w, m, s in
                                zip(rel["features"], rel["weights"], rel["mean"], rel["std"], strict=True))
        return _sigmoid(eta)

    def term_values(self, row: dict) -> dict[str, float | None]:
        """The value of each term: relevance, r ** gate x content, or the raw feature."""
        r = self.relevance(row)
        on_topic = r ** self.gate
        out = {}
        for term in self.terms:
            name = term["name"]
            if term["kind"] == "relevance":
                out[name] = r
            elif term["kind"] == "content":
                out[name] = None if row.get(name) is None else on_topic * float(row[name])
            else:
                out[name] = row.get(name)
        return out

    def predict(self, row: dict) -> dict:
        """{"relevance", "eta", "score" (0-100, float), "level" (1-5), "contributions": {term: weight x z}}."""
        values = self.term_values(row)
        contributions = {t["name"]: t["weight"] * _z(values[t["name"]], t["mean"], t["std"]) for t in self.terms}
        eta = sum(contributions.values())
        score = float(fitting.to_score(eta, self.thresholds, self.tail)[0])
        return {"relevance": round(values.get("relevance", self.relevance(row)), 4), "eta": round(eta, 4),
                "score": score, "level": fitting.level_of(round(score)),
                "contributions": {k: round(v, 4) for k, v in contributions.items()}}

    def with_tail(self, tail: float) -> Model:
        """A copy whose level-1 band spreads with `tail` (fitting.to_score); weights and thresholds stay."""
        data = json.loads(json.dumps(self.data))
        data["tail"] = float(tail)
        return Model(data)

    def with_weights(self, weights: dict[str, float], thresholds, version: str) -> Model:
        """A copy with other level weights (calibration); relevance and standardisation stay."""
        data = json.loads(json.dumps(self.data))
        for term in data["terms"]:
            term["weight"] = float(weights.get(term["name"], term["weight"]))
        data["thresholds"] = [float(t) for t in thresholds]
        data["version"] = version
        return Model(data)


@lru_cache(maxsize=8)
def _load_file(path: str) -> Model:
    try:
        return Model(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"无法读取评分模型 cannot read scorer {path}: {exc}") from exc


def load(source=None) -> Model:
    """The shipped scorer, or one from a dict / a JSON file path."""
    if source is None:
        return _load_file(str(SHIPPED))
    if isinstance(source, Model):
        return source
    if isinstance(source, dict):
        return Model(source)
    return _load_file(str(source))

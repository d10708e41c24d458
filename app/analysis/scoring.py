"""Score one answer per competency dimension with the learned, interpretable scorer (docs/analysis.md).

1. `features.compute`: the answer's meaning-carrying features (credited clauses, negation, read-back, concrete
   content, hesitation, similarity to the question, the job, the rubric, the anchors and the other questions).
2. `model.Model.predict` per dimension: relevance (切题程度), then a fitted ordinal model -> a 0-100 score in BARS
   bands (level 1: 0-19 ... 5: 80-100) and each term's contribution.
3. `reasons.explain`: plain-Chinese strengths and concerns from the contributions, quoting only spans the
   transcript stands behind.
An unreliable transcript (too little speech, Whisper unsure, mostly no speech: `reliability.check`) is not scored:
every dimension says "无法可靠评分" and why. Deterministic: same input, model and profile give the same output.
"""

from __future__ import annotations

from app.analysis import claims as C
from app.analysis import encoders, fitting, profiles, reasons, reliability
from app.analysis import features as F
from app.analysis import model as M
from app.analysis import text as T
from app.analysis import vocabulary as V

EXPRESSION, LOGIC, FIT = "语言表达", "逻辑思维", "岗位匹配度"
GENERAL = (EXPRESSION, LOGIC, FIT)
load_profile = profiles.load_profile
# A question is "more like another question's" only when meaning and wording agree (features own_vs_other and
# lex_margin both below zero) and the relevance model finds the answer off its own question.
MISMATCH_RELEVANCE = 0.5


def _version(scorer: M.Model) -> str:
    encoder = encoders.KINDS[scorer.encoder]
    return f"{scorer.version}+{encoder.version}+jieba-0.42"


MODEL_VERSION = _version(M.load())


def load_models() -> None:
    """Load jieba, the scorer and its sentence encoder once per process (call before forking)."""
    T.load_models()
    encoders.get(M.load().encoder)


def scored_dimensions(question: dict, dimensions: list[dict]) -> list[str]:
    """The question's own dimensions, then the job's general ones (语言表达/逻辑思维/岗位匹配度) it defines."""
    names = {d["name"] for d in dimensions}
    wanted = [n for n in question.get("dimensions", []) if n in names]
    return wanted + [n for n in GENERAL if n in names and n not in wanted]


def mismatch(scorer: M.Model, row: dict, relevance: float, question: dict, dimension: dict, job: dict,
             encoder: encoders.Encoder, text: str) -> dict | None:
    """{"question": index, "message"} when the answer reads like an answer to another question of the interview:
    closer in meaning and in wording to that question (own_vs_other and lex_margin both below zero), off its own
    question for the relevance model, and on that other question for the same model. Off-topic answers (about no
    question) are not "another question's"."""
    own = question.get("position")
    if own is None or relevance >= MISMATCH_RELEVANCE or row.get("own_vs_other", 0) >= 0 \
            or row.get("lex_margin", 0) > 0:
        return None
    best, best_r = None, MISMATCH_RELEVANCE
    for index, other in enumerate(job.get("questions") or []):
        other = other if isinstance(other, dict) else {"text": other}
        if index == own or not other.get("text"):
            continue
        as_other = {**other, "position": index}
        values, per_dim = F.topic(encoder, text, as_other, job, [dimension], [dimension["name"]], scorer.discount)
        values["mode_fit"] = C.mode_fit(text, other["text"])
        r = scorer.relevance({**row, **values, **per_dim[dimension["name"]]})
        if r >= best_r:
            best, best_r = index, r
    if best is None:
        return None
    return {"question": best, "relevance_there": round(best_r, 3),
            "message": f"第{own + 1}题的回答更像在回答第{best + 1}题"}


def _evidence(f: F.Features, prediction: dict, row: dict) -> list[dict]:
    """Detail for the report's 详情 toggle: feature values and the answer's figures, with offsets."""
    evidence = [{"type": "quote", "text": s["quote"], "start": s["start"], "end": s["end"], "why": "具体数字"}
                for s in f.spans.get("figures", [])[:3]]
    evidence.append({"type": "feature", "name": "on_topic", "value": prediction["relevance"], "detail": True})
    evidence.append({"type": "feature", "name": "features", "value": row, "detail": True})
    return evidence


def score_answer(transcript_text: str, features: dict, question: dict, dimensions: list[dict], job: dict,
                 video: dict | None = None, use_expressions: bool = False, profile: dict | None = None,
                 transcript: dict | None = None, scorer: M.Model | None = None) -> dict:
    """Score the question's dimensions plus the job's general ones.

    `question` may carry "anchors" and its "position" in the job; `job` may carry "questions" (the interview's
    questions, for recycled-answer checks). `transcript` (the stored dict) lets the scorer abstain on unreliable
    speech and keep strength quotes off corrected spans. Video emotions count only with use_expressions (job
    setting and the candidate's biometric consent); integrity flags never change a score. `scorer` replaces the
    shipped model (benchmarks pass the one fitted without the job they score).
    """
    load_models()
    chosen = profiles.load_profile(profile)
    scorer = profiles.apply(scorer or M.load(), chosen)
    encoder = encoders.get(scorer.encoder)
    answer = (transcript_text or "").strip()
    wanted = scored_dimensions(question, dimensions)
    check = reliability.check(answer, transcript)
    out = {}
    result = {"dimensions": out, "model_version": MODEL_VERSION, "profile_version": chosen["version"],
              "vocabulary_version": V.version(), "family": V.family_of(job, dimensions) or "",
              "reliability": check, "mismatch": None}
    if not check["reliable"]:
        for name in wanted:
            out[name] = {"score": None, "level": None, "abstained": check["reason"],
                         "source": "question" if name in question.get("dimensions", []) else "general",
                         "reasons": [{"text": check["reason"], "kind": "concern", "term": "reliability"}],
                         "evidence": []}
        return result
    f = F.compute(answer, features or {}, question, dimensions, job, encoder, wanted, scorer.discount)
    by_name = {d["name"]: d for d in dimensions}
    hits = [h for c in f.analysis["clauses"] for h in c["terms"]]
    unsafe = reliability.unsafe_spans(answer, transcript, hits)
    for name in wanted:
        row = f.row(name)
        prediction = scorer.predict(row)
        score = prediction["score"]
        emotions = (video or {}).get("emotions")
        if name == EXPRESSION and use_expressions and emotions:
            # Only where the job turned it on and the candidate consented (PIPL art. 28-29); small weight.
            score = 0.9 * score + 10 * (emotions.get("happy", 0) + emotions.get("neutral", 0))
        if name == wanted[0]:
            result["mismatch"] = mismatch(scorer, row, prediction["relevance"], question, by_name[name], job,
                                          encoder, answer)
        why = reasons.explain(prediction, row, scorer.terms, f.spans, unsafe,
                              (result["mismatch"] or {}).get("message", ""))
        score = int(round(min(100.0, max(0.0, score))))
        out[name] = {"score": score, "level": fitting.level_of(score),
                     "source": "question" if name in question.get("dimensions", []) else "general",
                     "reasons": why, "evidence": _evidence(f, prediction, row),
                     "relevance": prediction["relevance"], "contributions": prediction["contributions"],
                     "features": row}
    return result


def weighted_total(dimension_scores: dict[str, float | None], weights: dict[str, float]) -> float:
    """Weighted mean on 0-100; dimensions without a score are left out and the other weights renormalised."""
    scored = {n: s for n, s in dimension_scores.items() if s is not None and weights.get(n, 0) > 0}
    total_weight = sum(weights[n] for n in scored)
    if not total_weight:
        return 0.0
    return round(sum(s * weights[n] for n, s in scored.items()) / total_weight, 1)

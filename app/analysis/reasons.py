"""Plain-Chinese reasons from the learned scorer's contributions: what lifted a score, what held it down.

Each term of the model (app/analysis/model.py) has a strength and a concern sentence. A term whose contribution
(weight x standardised value) is at least SHOWN lifts the score and is a strength; at most -SHOWN it is a concern.
A strength quotes the clause it comes from, but never a span the transcript cannot stand behind (a word the
homophone correction changed, a term heard only by its sound, a word Whisper was unsure of: reliability.unsafe_spans).
Internal names never reach the page.
"""

from __future__ import annotations

SHOWN = 0.2
MAX_STRENGTHS, MAX_CONCERNS = 2, 3

# term: (strength, concern); None: the term never speaks in that direction.
TEXTS = {
    "relevance": ("回答切合本题", "内容与本题关系不大"),
    "length": ("回答充分", "回答过短"),
    "figures": ("给出了具体数字", "没有给出数字或可衡量的结果"),
    "specifics": ("提到了具体的人、事、物", "缺少具体的对象和细节"),
    "actions": ("讲清了自己具体做了什么", "没有讲清自己具体做了什么"),
    "outcomes": ("讲了做法带来的变化或结果", "没有讲结果或前后的变化"),
    "episode": ("讲的是一次具体的经历", None),
    "coverage": ("涉及该维度的要点", None),
    "negated": (None, "说自己没有做过或不了解"),
    "readback": (None, "大段复述题目或岗位描述"),
    "listing": (None, "罗列词语，不成句子"),
    "empty_terms": (None, "套用岗位关键词，没有具体的做法或结果"),
    "fillers": (None, "口头禅和停顿词较多（嗯、就是、然后）"),
    "hedges": (None, "用词含糊（大概、可能、一些）"),
    "abstract": (None, "多是态度和品质的空话，没有事例"),
    "sim_question": ("紧扣题目在回答", "没有正面回答题目"),
    "anchor_position": ("接近本题高分示例答案的水平", "接近本题低分示例答案的水平"),
    "sim_job": (None, "说法和岗位描述很像，自己的内容不多"),
}
# Where a term's quote comes from (features.Features.spans).
QUOTED = {"figures", "specifics", "actions", "outcomes", "episode"}
SAID = {"negated", "readback", "listing"}  # concerns about something the candidate said: quoted
TOPIC = {"relevance", "sim_question"}
LEVELS = {1: "不足", 2: "较弱", 3: "合格", 4: "良好", 5: "优秀"}


def _overlaps(start: int, end: int, unsafe: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in unsafe)


def _quote(spans: list[dict], unsafe: list[tuple[int, int]], strength: bool, used: set) -> dict:
    for span in spans:
        if strength and _overlaps(span["start"], span["end"], unsafe):
            continue  # a strength is never quoted from a corrected or garbled span
        if span["start"] in used:
            continue  # two reasons, two different quotes
        used.add(span["start"])
        return {"quote": span["quote"], "start": span["start"], "end": span["end"]}
    return {}


def explain(prediction: dict, row: dict, terms: list[dict], spans: dict[str, list[dict]],
            unsafe: list[tuple[int, int]], mismatch: str = "") -> list[dict]:
    """[{"text", "kind": "strength" | "concern", "term", "quote"?, "start"?, "end"?}], strongest first.

    A level-1 answer gets no strengths (an on-topic keyword list is not a strength worth listing); a concern about
    something missing has no quote (there is nothing to quote), one about something said quotes it."""
    means = {t["name"]: t["mean"] for t in terms}
    items = sorted(prediction["contributions"].items(), key=lambda kv: -abs(kv[1]))
    strengths, concerns, used = [], [], set()
    for term, value in items:
        strength, concern = TEXTS.get(term, (None, None))
        if value >= SHOWN and strength and len(strengths) < MAX_STRENGTHS and prediction["level"] >= 2:
            strengths.append({"text": strength, "kind": "strength", "term": term,
                              **(_quote(spans.get(term, []), unsafe, True, used) if term in QUOTED else {})})
        elif value <= -SHOWN and concern and len(concerns) < MAX_CONCERNS:
            if term in TEXTS and term not in ("relevance",) and _discounted(term, row, means):
                continue  # the content is there; it counted little because the answer is off this question
            if term in TOPIC and prediction["relevance"] >= 0.5:
                continue  # below-average similarity of an answer the relevance model finds on topic: not a concern
            text = concern
            if term == "relevance" and mismatch:
                text = mismatch
            concerns.append({"text": text, "kind": "concern", "term": term,
                             **(_quote(spans.get(term, []), unsafe, False, used) if term in SAID else {})})
    return strengths + concerns


def _discounted(term: str, row: dict, means: dict) -> bool:
    """A content term below average only because relevance scaled it down (its raw value is above average)."""
    value = row.get(term)
    return value is not None and term in means and means[term] is not None and value >= means[term] \
        and term in ("length", "figures", "specifics", "actions", "outcomes", "episode", "coverage")

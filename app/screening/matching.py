"""Judge a parsed resume against a job's criteria: matched / missing / uncertain, each with its evidence.

Skills match through the synonym dictionary (skills.py), so "PG" satisfies "PostgreSQL" and "Kafka" satisfies
"消息队列"; a mention inside a negated clause ("没有使用过 Kafka") does not count. A skill the dictionary cannot
find is looked for by meaning: resume sentences sharing a word with the criterion (jieba tokens) are compared by
sentence similarity, and a close one makes the verdict "uncertain" with that sentence as evidence, never a silent
"missing". The score weighs must-haves 3, nice-to-haves 1 (matched 1, uncertain 0.5); knockout criteria do not add
to it, they only flag. The screening score never rejects anyone by itself.
"""
import re

from app.screening import skills
from app.screening.criteria import DEGREES, label

SCREENER_VERSION = f"screen-1+{skills.DICTIONARY_VERSION}"
WEIGHTS = {"must": 3, "nice": 1, "knockout": 0}
VALUE = {"matched": 1.0, "uncertain": 0.5, "missing": 0.0}
SIMILAR = 0.55          # sentence similarity above which a sentence is offered as evidence ("uncertain")
RELEVANCE_SHARE = 0.15  # share of the BM25 relevance of the whole resume in the final score

CLAUSE = re.compile(r"[^,，。;；!！?？\n]+")
NEGATION_BEFORE = re.compile(r"(没有|没|未曾|从未|未|不会|不懂|不熟悉|不了解|缺乏|无(?!锡))[^,，。;；]{0,12}$")
NEGATION_AFTER = re.compile(r"^[^,，。;；]{0,6}(不熟|不了解|不会|没用过|没有用过|未使用)")


def negated(text, start, end):
    """Whether the mention text[start:end] sits in a negated clause ("没有使用过 Kafka", "Kafka 不熟")."""
    clause_start = max(text.rfind(ch, 0, start) for ch in ",，。;；!！?？\n") + 1
    ends = [i for i in (text.find(ch, end) for ch in ",，。;；!！?？\n") if i >= 0]
    clause_end = min(ends) if ends else len(text)
    return bool(NEGATION_BEFORE.search(text[clause_start:start]) or NEGATION_AFTER.search(text[end:clause_end]))


def _span(text, start, end, pad=18):
    """The evidence: the mention with a little context, and its offsets in the raw text."""
    s, e = max(0, start - pad), min(len(text), end + pad)
    return {"text": text[s:e].replace("\n", " "), "start": start, "end": end}


def judge_skill(text, concepts, semantic=None):
    for concept in concepts:
        for term_concept in skills.narrower(concept):
            hits = skills.find(text, term_concept)
            live = [h for h in hits if not negated(text, h[0], h[1])]
            if live:
                start, end, term = live[0]
                why = f"简历提到「{term}」" + ("" if term_concept == concept else f"(属于{concept})")
                return "matched", _span(text, start, end), why
    for concept in concepts:
        for term_concept in skills.narrower(concept):
            hits = skills.find(text, term_concept)
            if hits:
                start, end, term = hits[0]
                return "missing", _span(text, start, end), f"简历说没有「{term}」经验 (否定)"
    for concept in concepts:
        for sibling in skills.siblings(concept):
            live = [h for h in skills.find(text, sibling) if not negated(text, h[0], h[1])]
            if live:
                start, end, term = live[0]
                return "uncertain", _span(text, start, end), f"有相近技能「{term}」,请人工判断"
    if semantic:
        found = semantic(" ".join(concepts))
        if found:
            score, start, end = found
            return "uncertain", _span(text, start, end, pad=0), f"语义相近 (相似度 {score:.2f}),请人工判断"
    return "missing", None, "简历未提到"


def judge(criterion, text, fields, answers=None, semantic=None):
    """One verdict: {"id", "kind", "type", "label", "verdict", "evidence", "why"}."""
    kind_type, value = criterion["type"], criterion["value"]
    evidence = None
    if kind_type == "skill":
        verdict, evidence, why = judge_skill(text, value, semantic)
    elif kind_type == "years":
        years, work = fields.get("total_years") or 0, fields.get("work") or []
        if not work:
            verdict, why = "uncertain", "未读到带日期的工作经历"
        else:
            verdict = "matched" if years >= value else "missing"
            why = f"工作约 {years} 年 (要求 {value} 年以上)"
            evidence = _line_evidence(text, work[0]["text"])
    elif kind_type == "degree":
        have = fields.get("highest_degree") or ""
        if not have:
            verdict, why = "uncertain", "未读到学历"
        else:
            verdict = "matched" if DEGREES.index(have) >= DEGREES.index(value) else "missing"
            why = f"最高学历 {have}"
            edu = next((e for e in fields.get("education") or [] if e["degree"] == have), None)
            evidence = _line_evidence(text, edu["text"]) if edu else None
    elif kind_type == "city":
        city = fields.get("city") or ""
        if city == value or (not city and value in text):
            verdict, why = "matched", f"所在城市 {value}"
        elif city:
            verdict, why = "missing", f"所在城市 {city}"
        else:
            verdict, why = "uncertain", "未读到所在城市"
    elif kind_type == "answer":
        answer = (answers or {}).get(value["question"] if isinstance(value, dict) else value)
        accept = criterion.get("accept") or []
        if answer is None:
            verdict, why = "uncertain", "未回答"
        else:
            verdict = "matched" if answer in accept else "missing"
            why = f"回答「{answer}」"
    else:  # free text
        found = semantic(value) if semantic else None
        if found:
            score, start, end = found
            verdict, evidence, why = "uncertain", _span(text, start, end, pad=0), f"语义相近 (相似度 {score:.2f})"
        else:
            verdict, why = "missing", "简历未找到相关内容"
    return {"id": criterion["id"], "kind": criterion["kind"], "type": kind_type, "label": criterion.get("label")
            or label(criterion), "verdict": verdict, "evidence": evidence, "why": why}


def _line_evidence(text, line):
    start = text.find(line)
    return {"text": line, "start": start, "end": start + len(line)} if start >= 0 else {"text": line}


def score(verdicts, relevance=None):
    """0-100: weighted verdicts, with a small share of whole-resume relevance (0-1) when given."""
    weighted = [(WEIGHTS[v["kind"]], VALUE[v["verdict"]]) for v in verdicts if WEIGHTS[v["kind"]]]
    total = sum(w for w, _ in weighted)
    base = 100 * sum(w * x for w, x in weighted) / total if total else None
    if relevance is None:
        return round(base or 0.0, 1)
    if base is None:
        return round(100 * relevance, 1)
    return round((1 - RELEVANCE_SHARE) * base + RELEVANCE_SHARE * 100 * relevance, 1)


def failed_knockout(verdict):
    """A knockout question answered outside its accepted answers (whatever kind HR gave its criterion line)."""
    return verdict["type"] == "answer" and verdict["verdict"] == "missing"


def summary(verdicts):
    """Counts for the list: must-haves met, knockouts failed."""
    must = [v for v in verdicts if v["kind"] == "must"]
    return {"must_met": sum(v["verdict"] == "matched" for v in must), "must_total": len(must),
            "knockout_failed": [v["id"] for v in verdicts if failed_knockout(v)],
            "uncertain": sum(v["verdict"] == "uncertain" for v in verdicts)}

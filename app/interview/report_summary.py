"""The first screen of a report: the verdict a manager reads on a phone before anything else.

Strengths and concerns come from the scorer's plain-Chinese reasons (each with its exact quote) and from the
integrity checks; each points at the moment in the answer's video where the quote was said.
"""
from app.interview.reports import (
    BAND_TONES,
    basis_line,
    integrity_of,
    one_decimal,
    ordered_dimensions,
    score_band,
    total_text,
)

MAX_POINTS = 3
QUOTE_CHARS = 40
# Integrity flags at least this serious are concerns on the first screen (a restart alone is not).
CONCERN_SEVERITY = 40
STRONG, WEAK = 70, 55


def moment(transcript, char_start):
    """Seconds into the recording where the character at `char_start` of the transcript text was said."""
    segments = (transcript or {}).get("segments") or []
    pos = 0
    for seg in segments:
        text = seg.get("text") or ""
        if char_start < pos + len(text):
            share = (char_start - pos) / max(1, len(text))
            return round(seg["start"] + share * (seg["end"] - seg["start"]), 1)
        pos += len(text)
    return 0.0


def clock(seconds):
    """0:14 style."""
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _short(quote):
    return quote if len(quote) <= QUOTE_CHARS else quote[:QUOTE_CHARS - 1] + "…"


def point_of(answer, reason):
    point = {"text": reason["text"], "question": answer.asked.position + 1, "answer_id": answer.id}
    if reason.get("quote"):
        at = moment(answer.transcript, reason.get("start") or 0)
        point.update(quote=_short(reason["quote"]), at=at, clock=clock(at))
    return point


def reasons_of(answer):
    """The answer's reasons (the same under each of its dimensions), with their kind."""
    for dim in ((answer.scores or {}).get("dimensions") or {}).values():
        if dim.get("reasons"):
            return [dict(r, kind=r.get("kind") or ("strength" if r["text"].startswith("讲了具体做法") else "concern"))
                    for r in dim["reasons"]]
    return []


def _answer_score(answer):
    dims = ((answer.scores or {}).get("dimensions") or {}).values()
    scores = [d["score"] for d in dims if d.get("score") is not None]
    return sum(scores) / len(scores) if scores else 0


def verdict(report, answers):
    """{"total", "band", "basis", "unscored", "dimensions": [(name, score, level)], "strengths", "concerns",
    "integrity"}; "total" is 无法评分 (and "unscored" True) when no answer could be scored."""
    answers = sorted(answers, key=lambda a: a.asked.position)
    strengths = [point_of(a, r) for a in sorted(answers, key=_answer_score, reverse=True)
                 for r in reasons_of(a) if r["kind"] == "strength"][:MAX_POINTS]
    checks = integrity_of(report)
    concerns = [{"text": f["message"], "question": f["question"] + 1, "integrity": True}
                for f in checks["flags"] if f.get("severity", 50) >= CONCERN_SEVERITY]
    seen = set()
    for answer in sorted(answers, key=_answer_score):
        for reason in reasons_of(answer):
            if reason["kind"] == "concern" and reason["text"] not in seen:
                seen.add(reason["text"])
                concerns.append(point_of(answer, reason))
    dimensions = []
    for name, d in ordered_dimensions(report):
        score = d.get("score")
        level = "" if score is None else "strong" if score >= STRONG else "weak" if score < WEAK else "mid"
        dimensions.append({"name": name, "score": one_decimal(score), "value": score or 0, "level": level,
                           "weight": d.get("weight")})
    return {"total": total_text(report.total), "band": score_band(report.total),
            "tone": BAND_TONES.get(score_band(report.total), ""), "basis": basis_line(report),
            "unscored": report.total is None,
            "dimensions": dimensions,
            "strengths": strengths, "concerns": concerns[:MAX_POINTS], "integrity": checks}

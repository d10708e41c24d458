"""Character error rate of a Mandarin transcript against what was said (for ASR tests and benchmarks)."""

from __future__ import annotations

import re

from app.analysis.text import spoken

_DIGITS = "零一二三四五六七八九"


def _cn_int(n: int) -> str:
    """Write an integer below 10^8 in Chinese numerals, as a speaker would say it."""
    if n < 10:
        return _DIGITS[n]
    if n >= 10000:
        high, low = divmod(n, 10000)
        return _cn_int(high) + "万" + (("零" if low < 1000 else "") + _cn_int(low) if low else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + unit
            zero = False
        elif out:
            zero = True
    return out[1:] if out.startswith("一十") else out


def normalise(text: str) -> str:
    """Make ASR's '70%' and '800' comparable with the spoken '百分之七十' and '八百'."""
    text = re.sub(r"(\d+)%", lambda m: "百分之" + _cn_int(int(m.group(1))), text)
    text = re.sub(r"\d+", lambda m: _cn_int(int(m.group(0))), text)
    return spoken(text).replace("两", "二")


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: Levenshtein distance over reference length."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))


def term_counts(reference: str, hypothesis: str, terms: list[str]) -> dict:
    """Job terms said (in the reference), heard right (said and in the transcript) and invented (in the
    transcript, never said). Distinct terms, case-insensitive; a term inside a longer said one counts as said."""
    ref, hyp = reference.lower(), hypothesis.lower()
    said = [t for t in dict.fromkeys(terms) if t.lower() in ref]
    return {"said": said, "heard": [t for t in said if t.lower() in hyp],
            "invented": [t for t in dict.fromkeys(terms) if t.lower() in hyp and t.lower() not in ref]}

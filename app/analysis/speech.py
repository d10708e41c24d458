"""Measure how an answer was spoken: pace, pauses, filler words, repetition."""

from __future__ import annotations

import re

from app.analysis.asr import Transcript
from app.analysis.text import spoken

PAUSE_MIN_S = 0.7  # shorter gaps are breathing between phrases, not hesitation
# Hesitation sounds. Whisper spells a spoken 嗯 as 嗯, 恩 or 哼, and 呃 as 呃 or 额.
HESITATIONS = ("嗯", "恩", "哼", "呃", "额", "啊", "唔")
# Discourse fillers; they are also real words ("然后" in a sequence), so they are reported, and scored mildly.
FILLER_WORDS = ("那个", "这个", "就是", "然后", "反正", "其实", "对吧")

def _timings(segments: list[dict]) -> list[tuple[float, float]]:
    """Word timings when the engine gave them, else segment timings."""
    words = [(w["start"], w["end"]) for s in segments for w in s.get("words") or []]
    return words or [(s["start"], s["end"]) for s in segments]


def pauses(segments: list[dict], min_gap_s: float = PAUSE_MIN_S) -> list[float]:
    """Return the silent gaps between consecutive words (or segments) that last at least min_gap_s."""
    spans = sorted(_timings(segments))
    return [round(b[0] - a[1], 2) for a, b in zip(spans, spans[1:], strict=False) if b[0] - a[1] >= min_gap_s]


def count_fillers(text: str) -> dict[str, int]:
    """Count hesitation sounds and filler words in the text."""
    counts = {h: text.count(h) for h in HESITATIONS if h != "啊"}
    # 啊 ends sentences as a particle ("好啊"); count it only where it stands alone.
    counts["啊"] = len(re.findall(r"(?:^|[，,。.！!？?\s])啊", text))
    counts.update({w: text.count(w) for w in FILLER_WORDS})
    return {k: v for k, v in counts.items() if v}


def repetition_ratio(text: str, n: int = 3) -> float:
    """Share of character n-grams that repeat an earlier one (0 = none, near 1 = a loop)."""
    chars = spoken(text)
    grams = [chars[i:i + n] for i in range(len(chars) - n + 1)]
    if not grams:
        return 0.0
    return round(1 - len(set(grams)) / len(grams), 3)


def speech_features(transcript: Transcript | dict, duration_s: float | None = None) -> dict:
    """Compute speech features for one answer; duration_s defaults to the transcript's duration."""
    if isinstance(transcript, Transcript):
        transcript = transcript.to_dict()
    text = transcript.get("text") or ""
    segments = transcript.get("segments") or []
    duration = float(duration_s if duration_s is not None else transcript.get("duration") or 0.0)
    chars = spoken(text)
    spans = _timings(segments)
    speech_s = sum(max(0.0, b - a) for a, b in spans)
    gaps = pauses(segments)
    fillers = count_fillers(text)
    hesitations = sum(v for k, v in fillers.items() if k in HESITATIONS)
    minutes = duration / 60 if duration > 0 else 0.0
    return {
        "duration_s": round(duration, 2),
        "chars": len(chars),
        "speaking_rate_cpm": round(len(chars) / minutes, 1) if minutes else 0.0,
        "speech_s": round(speech_s, 2),
        "start_delay_s": round(spans[0][0], 2) if spans else round(duration, 2),
        "pauses": {"count": len(gaps), "longest_s": max(gaps, default=0.0), "total_s": round(sum(gaps), 2),
                   "min_gap_s": PAUSE_MIN_S},
        "fillers": fillers,
        "filler_total": sum(fillers.values()),
        "hesitation_total": hesitations,
        "fillers_per_100_chars": round(100 * sum(fillers.values()) / len(chars), 2) if chars else 0.0,
        "repetition_ratio": repetition_ratio(text),
    }

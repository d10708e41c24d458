"""Whether a transcript is reliable enough to score: abstain instead of guessing.

Whisper reports, per segment, the average log-probability of its tokens and the probability that the window held
no speech; app/analysis/asr.py keeps both on every segment. An answer is not scored (each dimension shows
"无法可靠评分" with the reason; the total rests on the other answers) when
- too little was said (fewer than MIN_CHARS spoken characters), or
- the recognition was unsure: the duration-weighted mean average log-probability is below LOGPROB_MIN (Whisper's
  own default for "this decode failed", `log_prob_threshold=-1.0`), or
- most of it sounded like no speech: the weighted mean no-speech probability is above NO_SPEECH_MAX (Whisper's
  `no_speech_threshold=0.6`).
Typed text (no segments, or segments without these fields) is reliable by definition.
"""

from __future__ import annotations

from app.analysis.text import spoken

MIN_CHARS = 10
LOGPROB_MIN = -1.0
NO_SPEECH_MAX = 0.6


def _weighted(segments: list[dict], key: str) -> float | None:
    pairs = [(max(0.01, float(s.get("end", 0)) - float(s.get("start", 0))), float(s[key]))
             for s in segments if s.get(key) is not None]
    total = sum(w for w, _ in pairs)
    return sum(w * v for w, v in pairs) / total if total else None


def check(text: str, transcript: dict | None) -> dict:
    """{"reliable": bool, "reason": str (Chinese, "" when reliable), "chars", "avg_logprob", "no_speech_prob"}."""
    chars = len(spoken(text or ""))
    segments = (transcript or {}).get("segments") or []
    logprob = _weighted(segments, "avg_logprob")
    no_speech = _weighted(segments, "no_speech_prob")
    reason = ""
    if chars < MIN_CHARS:
        reason = f"说的内容太少（{chars} 个字），无法可靠评分"
    elif logprob is not None and logprob < LOGPROB_MIN:
        reason = f"语音识别的把握很低（平均对数概率 {logprob:.2f}），转写可能不准，无法可靠评分"
    elif no_speech is not None and no_speech > NO_SPEECH_MAX:
        reason = f"录音大部分听起来不像说话（无语音概率 {no_speech:.0%}），无法可靠评分"
    return {"reliable": not reason, "reason": reason, "chars": chars,
            "avg_logprob": None if logprob is None else round(logprob, 3),
            "no_speech_prob": None if no_speech is None else round(no_speech, 3)}


def unsafe_spans(text: str, transcript: dict | None, hits: list[dict]) -> list[tuple[int, int]]:
    """Character spans a strength must not quote: what the correction changed (the candidate did not say that
    word; app/analysis/correction.py), terms matched only by sound (所引 for 索引: garbled), and words Whisper was
    unsure of (probability < 0.4), mapped onto the text when the segment texts line up with it."""
    spans = [(c["start"], c["end"]) for c in (transcript or {}).get("corrections") or []
             if c.get("start") is not None]
    spans += [(h["start"], h["end"]) for h in hits if h.get("matched_by") != "exact"]
    pos = 0
    for seg in (transcript or {}).get("segments") or []:
        seg_text = seg.get("text") or ""
        at = text.find(seg_text, pos) if seg_text else -1
        if at < 0:
            continue
        offset = at
        for word in seg.get("words") or []:
            w = (word.get("word") or "").strip()
            found = text.find(w, offset) if w else -1
            if found < 0:
                continue
            if word.get("probability") is not None and word["probability"] < 0.4:
                spans.append((found, found + len(w)))
            offset = found + len(w)
        pos = at + len(seg_text)
    return spans

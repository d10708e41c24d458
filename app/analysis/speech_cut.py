"""Feed only speech to the recogniser: cut the silences out of a recording and map times back onto it.

The voice activity detector (Silero, shipped with faster-whisper) finds the speech regions; the regions are joined
into one shorter recording (`Splice`); the recogniser decodes that; every segment and word time is then mapped back
onto the original recording's timeline (`map_decoded`), so evidence quotes, pauses, the start delay, question-clock
checks and playback seeking all keep the candidate's real times. A word never lands in cut-out silence: it is put in
the region its middle falls in and clamped to that region.

The mapping is pure (numbers in, numbers out) so it is tested on frozen detector output without a model.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
# Measured on recordings with realistic silences (bench/asr.py, "realistic" set): a pause of at least
# MIN_SILENCE_MS is cut, keeping PAD_MS of it on each side of the speech so words are not clipped and the decoder
# still hears a short pause between phrases. faster-whisper's own VAD filter defaults (2000 / 400 ms) kept every
# pause under 2.8 s.
MIN_SILENCE_MS = 1000
PAD_MS = 300


def speech_regions(audio: np.ndarray, min_silence_ms: int = MIN_SILENCE_MS, pad_ms: int = PAD_MS,
                   sample_rate: int = SAMPLE_RATE) -> list[tuple[int, int]]:
    """Speech regions as (start, end) sample indexes, padded, merged where they touch, in order."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    stamps = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms),
                                   sampling_rate=sample_rate)
    return merge([(int(s["start"]), int(s["end"])) for s in stamps], len(audio))


def merge(regions: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Clip regions to [0, length), drop empty ones and join those that overlap or touch."""
    out: list[list[int]] = []
    for start, end in sorted(regions):
        start, end = max(0, start), min(length, end)
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


@dataclass(frozen=True)
class Splice:
    """The speech regions of a recording laid end to end: region i starts at cut[i] in the decoded audio and at
    original[i] in the recording, and lasts lengths[i] (all in seconds)."""

    original: tuple[float, ...]
    cut: tuple[float, ...]
    lengths: tuple[float, ...]

    @classmethod
    def of(cls, regions: list[tuple[int, int]], sample_rate: int = SAMPLE_RATE) -> Splice:
        lengths = [(b - a) / sample_rate for a, b in regions]
        cut = np.concatenate([[0.0], np.cumsum(lengths)[:-1]]) if lengths else []
        return cls(tuple(a / sample_rate for a, _ in regions), tuple(float(c) for c in cut), tuple(lengths))

    @property
    def speech_s(self) -> float:
        return float(sum(self.lengths))

    def regions_s(self) -> list[list[float]]:
        """The regions on the original timeline, [start, end] seconds, for the stored transcript."""
        return [[round(a, 2), round(a + n, 2)] for a, n in zip(self.original, self.lengths, strict=True)]

    def region_of(self, t: float) -> int:
        """The region a decoded-audio time falls in (times past the end belong to the last region)."""
        return max(0, min(len(self.cut) - 1, bisect_right(self.cut, t) - 1))

    def to_original(self, t: float, region: int | None = None) -> float:
        """Map a decoded-audio time onto the recording, inside `region` (default: the one t falls in)."""
        i = self.region_of(t) if region is None else region
        offset = min(max(t - self.cut[i], 0.0), self.lengths[i])
        return self.original[i] + offset


def splice(audio: np.ndarray, regions: list[tuple[int, int]],
           sample_rate: int = SAMPLE_RATE) -> tuple[np.ndarray, Splice]:
    """The speech of `audio` as one array, and the map back onto the recording."""
    if not regions:
        return audio[:0], Splice((), (), ())
    return np.concatenate([audio[a:b] for a, b in regions]), Splice.of(regions, sample_rate)


def map_decoded(decoded: list[dict], where: Splice) -> list[dict]:
    """Segments decoded from the spliced audio ({start, end, words: [(start, end, word, prob)], ...}) with every time
    on the original timeline. A word goes to the region its middle is in and stays inside it; a segment with words
    spans its first word's start to its last word's end, one without is mapped end point by end point."""
    if not where.cut:
        return [dict(seg) for seg in decoded]
    out = []
    for seg in decoded:
        words = []
        for start, end, *rest in seg.get("words") or []:
            i = where.region_of((start + end) / 2)
            words.append((where.to_original(start, i), where.to_original(end, i), *rest))
        mapped = dict(seg, words=words)
        if words:
            mapped["start"], mapped["end"] = words[0][0], max(w[1] for w in words)
        else:
            mapped["start"] = where.to_original(seg["start"])
            # An end exactly on a boundary closes the region before it, not the next one's start.
            end = seg["end"]
            mapped["end"] = where.to_original(end, where.region_of(end - 1e-6) if end > 0 else 0)
        out.append(mapped)
    return out

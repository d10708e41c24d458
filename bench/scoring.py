"""Benchmark the scorer on every labelled job (bench/scoring_data.py): pair accuracy, ties wrong.

    python bench/scoring.py --save before   # today's rule scorer -> bench/results/scoring-before.{md,json}

Today's scorer (rules-2026.11.x) fits nothing, so leave-one-job-out is simply scoring every job. Each answer is
typed text scored as if spoken at 240 characters a minute with no pauses; its score is the weighted total of the
dimensions scored for it (the job's weights).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scoring_data as D  # noqa: E402
from bench import scoring_metrics as M  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def features_of(text: str) -> dict:
    from app.analysis.speech import speech_features

    return speech_features({"text": text, "segments": [], "duration": len(text) / 4.0})


def run_rules() -> dict:
    from app.analysis import scoring

    scoring.load_models()
    rows = D.rows(include_holdout=True)
    started = time.perf_counter()
    for r in rows:
        question, dims, job = D.scoring_inputs(r["job"], r["question"])
        result = scoring.score_answer(r["text"], features_of(r["text"]), question, dims, job)
        weights = {d["name"]: d["weight"] for d in dims}
        r["score"] = scoring.weighted_total({n: d["score"] for n, d in result["dimensions"].items()}, weights)
    return {"model_version": result["model_version"], "seconds": round(time.perf_counter() - started, 1),
            "rows": rows}


def markdown(report: dict) -> str:
    anchored = {k for k, j in D.jobs().items() if D.has_anchors(j)}
    dev = [r for r in report["rows"] if r["job"] not in D.HOLDOUT]
    held = [r for r in report["rows"] if r["job"] in D.HOLDOUT]
    m_dev, m_all, m_held = (M.evaluate(x, anchored) for x in (dev, report["rows"], held))
    lines = [f"# Scoring benchmark: {report['model_version']}", "",
             "Every labelled job (bench/scoring_data.py): the corpus's 12 jobs, the two templates' set and the "
             "recycled answers (each question's strong answer scored against every other question of its job, "
             "label 1). Pairs: two answers to the same question with different labels; right only when the "
             "better one scores strictly higher (ties wrong).", "",
             f"All 14 jobs: {M.pct(m_all['overall'])} of {m_all['overall']['pairs']} pairs; the 2 held-out jobs "
             f"({', '.join(D.HOLDOUT)}): {M.pct(m_held['overall'])} of {m_held['overall']['pairs']}; honest answers "
             f"(label >= 2) under 10: {len(m_all['honest_under_10'])}.", "",
             "## The 12 development jobs", ""] + M.table(m_dev)
    lines += ["", f"Honest answers (label >= 2) under 10: {len(m_dev['honest_under_10'])}", ""]
    lines += [f"- {i} (label {lab}): {s:.0f}" for i, lab, s in m_dev["honest_under_10"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", default="before")
    args = parser.parse_args()
    report = run_rules()
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"scoring-{args.save}"
    slim = {**report, "rows": [{k: r[k] for k in ("id", "job", "question", "label", "category", "score")}
                               for r in report["rows"]]}
    (RESULTS / f"{stem}.json").write_text(json.dumps(slim, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(report)
    (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

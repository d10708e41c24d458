"""Each question's own anchors (levels 1, 3, 5) scored as answers to it, with the shipped scorer.

    OMP_NUM_THREADS=1 python bench/scoring_anchors.py     # writes bench/results/scoring_anchors.md / .json

What it means: the anchor features compare an answer with its question's anchors, so an anchor scored against its
own question gets the most its level can get from them (anchor_top 1, anchor_position at the cap): the order
1 < 3 < 5 is partly built in. What it does measure is whether the rest of the model (content, concerns, topic)
agrees with HR's level: a level-5 anchor under 80 is one the other features see as level 4 or lower even with
full anchor credit, and its reasons say why. One process; the encoder is loaded once.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
SOURCES = [ROOT / "job_templates", ROOT / "tests" / "fixtures" / "scoring" / "corpus" / "jobs"]


def _anchors(question: dict) -> dict[int, str]:
    """Level -> text; the dimensions of a question share their anchors in every labelled job (the first wins)."""
    out = {}
    for levels in (question.get("anchors") or {}).values():
        for level, text in (levels or {}).items():
            if text:
                out.setdefault(int(level), text)
    return out


def measure() -> list[dict]:
    from app.analysis.scoring import score_answer, weighted_total
    from app.core.job_template import parse_job
    from app.interview.score_files import template_inputs

    rows = []
    for path in [p for folder in SOURCES for p in sorted(folder.glob("*.yaml"))]:
        text = path.read_text(encoding="utf-8")
        for index, q in enumerate(parse_job(text)["questions"]):
            anchors = _anchors(q)
            if not anchors:
                continue
            question, dims, job = template_inputs(text, index)
            weights = {d["name"]: d["weight"] for d in dims}
            for level, answer in sorted(anchors.items()):
                result = score_answer(answer, {}, question, dims, job)
                first = next(iter(result["dimensions"].values()))
                scores = {name: d["score"] for name, d in result["dimensions"].items()}
                rows.append({"job": path.stem, "question": index, "anchor": level, "text": answer,
                             "total": round(weighted_total(scores, weights), 1),
                             "reasons": [f"{'+' if r['kind'] == 'strength' else '-'}{r['text']}"
                                         for r in first["reasons"]],
                             "contributions": {k: round(v, 2) for k, v in first["contributions"].items()},
                             "model_version": result["model_version"]})
    return rows


def report(rows: list[dict]) -> str:
    by = {}
    for r in rows:
        by.setdefault((r["job"], r["question"]), {})[r["anchor"]] = r
    lines = [f"# Anchors scored as answers to their own question ({rows[0]['model_version']})", "",
             "Bands: level 5 is 80-100, level 3 is 40-59, level 1 is 0-19.", "",
             "| job | questions | level 5 >= 80 | level 3 in 40-59 | level 3 in 20-79 | level 1 < 20 | 1 < 3 < 5 |"
             " totals 1/3/5 |", "|---|---|---|---|---|---|---|---|"]
    jobs, total = {}, [0] * 6
    for (job, q), a in by.items():
        jobs.setdefault(job, []).append((q, a))
    for job, qs in jobs.items():
        counts = [len(qs), sum(a[5]["total"] >= 80 for _, a in qs), sum(40 <= a[3]["total"] < 60 for _, a in qs),
                  sum(20 <= a[3]["total"] < 80 for _, a in qs), sum(a[1]["total"] < 20 for _, a in qs),
                  sum(a[1]["total"] < a[3]["total"] < a[5]["total"] for _, a in qs)]
        total = [t + c for t, c in zip(total, counts, strict=True)]
        cells = "; ".join(f"q{q}: {a[1]['total']:.0f}/{a[3]['total']:.0f}/{a[5]['total']:.0f}" for q, a in qs)
        lines.append(f"| {job} | " + " | ".join(map(str, counts)) + f" | {cells} |")
    lines.append(f"| **all {len(jobs)} jobs** | " + " | ".join(f"**{c}**" for c in total) + " | |")
    lines += ["", "Mean total per anchor level: " + ", ".join(
        f"{lv}: {statistics.mean(a[lv]['total'] for a in by.values()):.1f}" for lv in (1, 3, 5)), "",
        "## Level-5 anchors under 80", ""]
    for (job, q), a in by.items():
        r = a[5]
        if r["total"] < 80:
            worst = sorted(r["contributions"].items(), key=lambda kv: kv[1])[:4]
            lines += [f"- {job} q{q}: **{r['total']:.0f}** {r['text']}",
                      f"  reasons: {' / '.join(r['reasons'])}",
                      f"  most negative terms: {', '.join(f'{k} {v:+.2f}' for k, v in worst)}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    rows = measure()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "scoring_anchors.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")
    text = report(rows)
    (RESULTS / "scoring_anchors.md").write_text(text, encoding="utf-8")
    print(text)

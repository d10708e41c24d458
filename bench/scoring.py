"""Benchmark the scorer against the labelled answers: pairwise order accuracy and Spearman, per category.

    python bench/scoring.py                 # score with the current scorer, write bench/results/scoring.{md,json}
    python bench/scoring.py --save before   # ...write bench/results/scoring-before.{md,json} instead
    python bench/scoring.py --profile FILE  # score with a calibrated scoring profile (JSON)

Labels: tests/fixtures/scoring/labelled_answers.yaml (1-5, written before scoring). Each answer is typed text scored
as if spoken at 240 characters a minute with no pauses (the scorer on text is deterministic). An answer's score is
the weighted total of the dimensions scored for it (the job's weights). Pairs are two answers to the same question
with different labels; a pair is right when the better-labelled answer scores higher (a tie counts half).
A fixed third of the answers is held out (md5 of the id mod 3 == 0): "dev" pairs have both answers outside it,
"held-out" pairs at least one inside it. Tuning looked at dev pairs only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.analysis import agreement  # noqa: E402

LABELS = ROOT / "tests" / "fixtures" / "scoring" / "labelled_answers.yaml"
RESULTS = ROOT / "bench" / "results"
GAMED = ("keyword_list", "keyword_template", "negated", "readback")


def holdout(answer_id: str) -> bool:
    return int(hashlib.md5(answer_id.encode()).hexdigest(), 16) % 3 == 0


def load_set() -> list[dict]:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))["answers"]


def load_job(name: str) -> dict:
    return yaml.safe_load((ROOT / "job_templates" / f"{name}.yaml").read_text(encoding="utf-8"))


def score_text(scoring, job: dict, index: int, text: str, profile=None) -> dict:
    from app.analysis.speech import speech_features

    features = speech_features({"text": text, "segments": [], "duration": len(text) / 4.0})
    kwargs = {"profile": profile} if profile is not None else {}
    return scoring.score_answer(text, features, job["questions"][index], job["dimensions"], job, **kwargs)


def total(scoring, job: dict, result: dict) -> float:
    weights = {d["name"]: d["weight"] for d in job["dimensions"]}
    return scoring.weighted_total({n: d["score"] for n, d in result["dimensions"].items()}, weights)


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.2f}"


def _pct(value) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def evaluate(rows: list[dict]) -> dict:
    labels = [r["label"] for r in rows]
    groups = [(r["job"], r["question"]) for r in rows]
    scores = [r["score"] for r in rows]
    # Scores centred per question, so pooled Spearman does not reward a question that simply scores higher.
    means = {g: np.mean([s for s, h in zip(scores, groups, strict=True) if h == g]) for g in set(groups)}
    centred = [s - means[g] for s, g in zip(scores, groups, strict=True)]
    held = {i for i, r in enumerate(rows) if r["holdout"]}
    dev = set(range(len(rows))) - held

    def block(members: set[int]) -> dict:
        all_pairs = agreement.pairs(labels, groups, involving=members)
        dev_pairs = [p for p in all_pairs if p[0] in dev and p[1] in dev]
        held_pairs = [p for p in all_pairs if p[0] in held or p[1] in held]
        partners = members | {i for p in all_pairs for i in p}
        idx = sorted(partners)
        return {"answers": len(members), "pairs": len(all_pairs),
                "pair_accuracy": agreement.pair_accuracy(scores, all_pairs),
                "dev_pair_accuracy": agreement.pair_accuracy(scores, dev_pairs),
                "holdout_pair_accuracy": agreement.pair_accuracy(scores, held_pairs),
                "spearman": agreement.spearman([labels[i] for i in idx], [centred[i] for i in idx])}

    categories = sorted({r["category"] for r in rows})
    out = {"overall": block(set(range(len(rows))))}
    out["overall"]["per_question_spearman"] = float(np.mean([
        agreement.spearman([labels[i] for i in range(len(rows)) if groups[i] == g],
                           [scores[i] for i in range(len(rows)) if groups[i] == g]) for g in sorted(set(groups))]))
    out["categories"] = {c: block({i for i, r in enumerate(rows) if r["category"] == c}) for c in categories}
    # The "done when": gamed answers never beat an honest medium answer on the same question.
    violations = [(rows[g]["id"], rows[m]["id"]) for g in range(len(rows)) for m in range(len(rows))
                  if rows[g]["category"] in GAMED and rows[m]["category"] == "medium"
                  and groups[g] == groups[m] and scores[g] >= scores[m]]
    out["gamed_beating_medium"] = violations
    experts = [(rows[e]["id"], rows[m]["id"]) for e in range(len(rows)) for m in range(len(rows))
               if rows[e]["category"] == "expert_concise" and rows[m]["category"] == "medium"
               and groups[e] == groups[m] and scores[e] <= scores[m]]
    out["medium_beating_expert"] = experts
    return out


def run(profile_path: str | None = None) -> dict:
    from app.analysis import scoring

    scoring.load_models()
    profile = scoring.load_profile(profile_path) if profile_path else None
    jobs, rows = {}, []
    started = time.perf_counter()
    for answer in load_set():
        job = jobs.setdefault(answer["job"], load_job(answer["job"]))
        result = score_text(scoring, job, answer["question"], answer["text"], profile)
        rows.append({**{k: answer[k] for k in ("id", "job", "question", "category", "label")},
                     "holdout": holdout(answer["id"]), "score": total(scoring, job, result),
                     "dimensions": {n: d["score"] for n, d in result["dimensions"].items()}})
    return {"model_version": result["model_version"], "profile": profile_path,
            "seconds": round(time.perf_counter() - started, 1),
            "machine": {"python": platform.python_version()}, "metrics": evaluate(rows), "rows": rows}


def markdown(report: dict, before: dict | None) -> str:
    m = report["metrics"]
    b = before["metrics"] if before else None
    head = f"# Scoring benchmark ({len(report['rows'])} labelled answers, {report['model_version']})"
    lines = [head, "", "Pairs: two answers to the same question with different labels; accuracy = share ordered "
             "like the labels (ties half). Spearman: labels vs scores centred per question, over the category's "
             "answers and their pair partners. dev = both answers outside the fixed held-out third; held-out = "
             "at least one inside.", ""]
    cols = "| category | answers | pairs | pair acc. | dev | held-out | Spearman |"
    if b:
        lines += [f"Before: `{before['model_version']}`; after: `{report['model_version']}`.", "",
                  "| category | answers | pairs | pair acc. before -> after | dev | held-out | Spearman before -> "
                  "after |", "|---|---|---|---|---|---|---|"]
    else:
        lines += [cols, "|---|---|---|---|---|---|---|"]
    for name, row in [("**overall**", m["overall"])] + sorted(m["categories"].items()):
        key = "overall" if name == "**overall**" else name
        old = (b["overall"] if key == "overall" else b["categories"].get(key)) if b else None
        if old:
            lines.append(f"| {name} | {row['answers']} | {row['pairs']} | {_pct(old['pair_accuracy'])} -> "
                         f"{_pct(row['pair_accuracy'])} | {_pct(old['dev_pair_accuracy'])} -> "
                         f"{_pct(row['dev_pair_accuracy'])} | {_pct(old['holdout_pair_accuracy'])} -> "
                         f"{_pct(row['holdout_pair_accuracy'])} | {_fmt(old['spearman'])} -> {_fmt(row['spearman'])} |")
        else:
            lines.append(f"| {name} | {row['answers']} | {row['pairs']} | {_pct(row['pair_accuracy'])} | "
                         f"{_pct(row['dev_pair_accuracy'])} | {_pct(row['holdout_pair_accuracy'])} | "
                         f"{_fmt(row['spearman'])} |")
    lines += ["", f"Mean Spearman per question (raw scores): {_fmt(m['overall']['per_question_spearman'])}"
              + (f" (before {_fmt(b['overall']['per_question_spearman'])})" if b else ""),
              f"Gamed answers (list, template, negated, read-back) scoring >= an honest medium answer on the same "
              f"question: {len(m['gamed_beating_medium'])}"
              + (f" (before {len(b['gamed_beating_medium'])})" if b else ""),
              f"Medium answers scoring >= a concise expert answer: {len(m['medium_beating_expert'])}"
              + (f" (before {len(b['medium_beating_expert'])})" if b else ""), "",
              "| answer | label | score | " + (" before |" if b else ""), "|---|---|---|" + ("---|" if b else "")]
    old_rows = {r["id"]: r for r in before["rows"]} if before else {}
    for row in sorted(report["rows"], key=lambda r: (r["job"], r["question"], -r["label"], -r["score"])):
        mark = " (held out)" if row["holdout"] else ""
        extra = f" {old_rows[row['id']]['score']:.0f} |" if row["id"] in old_rows else (" |" if b else "")
        lines.append(f"| {row['id']}{mark} | {row['label']} | {row['score']:.0f} |{extra}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", default="", help="suffix of the result files, e.g. 'before'")
    parser.add_argument("--profile", default=None, help="a scoring profile JSON file")
    args = parser.parse_args()
    report = run(args.profile)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"scoring-{args.save}" if args.save else "scoring"
    before_file = RESULTS / "scoring-before.json"
    before = json.loads(before_file.read_text(encoding="utf-8")) if before_file.exists() and not args.save else None
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    table = markdown(report, before)
    (RESULTS / f"{stem}.md").write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()

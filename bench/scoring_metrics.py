"""Pair accuracy of scores against labels, the way the corpus README asks: ties count as wrong.

A pair is two answers to the same question (same job, same question index) with different labels; it is right only
when the better-labelled answer scores strictly higher. Reported overall, per category (pairs with at least one
answer of the category), per job, for jobs with and without anchors, plus the honest answers (label >= 2) that
score under 10.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from app.analysis import agreement

HONEST_FLOOR = 10


def _pairs(rows: list[dict]) -> list[tuple[int, int]]:
    by_question = defaultdict(list)
    for i, r in enumerate(rows):
        by_question[(r["job"], r["question"])].append(i)
    out = []
    for members in by_question.values():
        for i in members:
            for j in members:
                if rows[i]["label"] > rows[j]["label"]:
                    out.append((i, j))
    return out


def _block(rows: list[dict], pairs: list[tuple[int, int]], keep) -> dict:
    chosen = [(i, j) for i, j in pairs if keep(i) or keep(j)]
    right = sum(rows[i]["score"] > rows[j]["score"] for i, j in chosen)
    return {"answers": sum(1 for i in range(len(rows)) if keep(i)), "pairs": len(chosen), "right": int(right),
            "accuracy": right / len(chosen) if chosen else None}


def evaluate(rows: list[dict], anchored: set[str]) -> dict:
    """rows: {"id", "job", "question", "label", "category", "score"}; anchored: keys of jobs with anchors."""
    pairs = _pairs(rows)
    out = {"overall": _block(rows, pairs, lambda i: True)}
    out["categories"] = {c: _block(rows, pairs, lambda i, c=c: rows[i]["category"] == c)
                         for c in sorted({r["category"] for r in rows})}
    out["jobs"] = {j: _block(rows, pairs, lambda i, j=j: rows[i]["job"] == j) for j in sorted({r["job"] for r in rows})}
    out["anchors"] = {"with anchors": _block(rows, pairs, lambda i: rows[i]["job"] in anchored),
                      "without anchors": _block(rows, pairs, lambda i: rows[i]["job"] not in anchored)}
    out["honest_under_10"] = sorted(((r["id"], r["label"], r["score"]) for r in rows
                                     if r["label"] >= 2 and r["score"] < HONEST_FLOOR), key=lambda x: x[2])
    spearmans = []
    for key in sorted({(r["job"], r["question"]) for r in rows}):
        members = [r for r in rows if (r["job"], r["question"]) == key]
        rho = agreement.spearman([r["label"] for r in members], [r["score"] for r in members])
        if rho is not None:
            spearmans.append(rho)
    out["per_question_spearman"] = float(np.mean(spearmans)) if spearmans else None
    by_category = defaultdict(list)
    for r in rows:
        by_category[r["category"]].append(r["score"])
    out["mean_score"] = {c: round(float(np.mean(v)), 1) for c, v in sorted(by_category.items())}
    return out


def pct(block: dict | None) -> str:
    return "-" if not block or block["accuracy"] is None else f"{100 * block['accuracy']:.1f}%"


def table(metrics: dict, before: dict | None = None) -> list[str]:
    """Markdown tables: overall, anchors, categories, jobs (with a before column when given)."""
    def line(name, block, old):
        was = f"{pct(old)} -> " if before is not None else ""
        return f"| {name} | {block['answers']} | {block['pairs']} | {was}{pct(block)} |"

    head = "pair accuracy" if before is None else "pair accuracy before -> after"
    out = [f"| | answers | pairs | {head} |", "|---|---|---|---|"]
    out.append(line("**overall**", metrics["overall"], before and before["overall"]))
    for name, block in metrics["anchors"].items():
        out.append(line(name, block, before and before["anchors"].get(name)))
    out += ["", f"| category | answers | pairs | {head} | mean score |", "|---|---|---|---|---|"]
    for name, block in metrics["categories"].items():
        out.append(line(name, block, before and before["categories"].get(name))
                   + f" {metrics['mean_score'].get(name, '-')} |")
    out += ["", f"| job | answers | pairs | {head} |", "|---|---|---|---|"]
    for name, block in metrics["jobs"].items():
        out.append(line(name, block, before and before["jobs"].get(name)))
    return out

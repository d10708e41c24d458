"""Judge the learned scorer leave-one-job-out on every labelled job (bench/scoring_data.py): pairs, ties wrong.

    python bench/scoring.py            # the 12 development jobs, nested leave-one-job-out
    python bench/scoring.py --final    # + all 14 jobs nested, and the 2 held-out jobs scored by a scorer fitted on
                                       #   the 12 (run once, at the end: it is the only look at the held-out jobs)
    python bench/scoring.py --quick    # one fixed hyper-parameter setting instead of the nested choice (faster)
    python bench/scoring.py --final --skip-dev --processes 4   # the held-out jobs and all 14, folds side by side

Leave-one-job-out: each job is scored by a scorer fitted on the other jobs only; its hyper-parameters are chosen by
an inner cross-validation on those other jobs (4 groups of whole jobs: "nested"). Nothing fitted or chosen ever
sees the left-out job.
Each answer is typed text (no speech features); its score is the weighted total of the dimensions scored for it
(the job's weights), as the report computes it. The rule scorer this replaced: bench/results/scoring-before.md.
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
from bench import scoring_fit as SF  # noqa: E402
from bench import scoring_metrics as M  # noqa: E402

RESULTS = ROOT / "bench" / "results"
QUICK = {"l2": 0.03, "pairwise": 1.0, "gate": 1.0}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_TABLES: dict = {}  # the feature tables, shared with forked workers


def _fold(task: tuple) -> tuple:
    kind, jobs, job = task
    if kind == "held":
        dev = set(jobs)
        chosen = SF.choose_all(_TABLES, dev, folds=None)
        samples = _TABLES[chosen["discount"]]
        return task, (chosen, SF.score_rows(SF.fit_chosen([s for s in samples if s["job"] in dev], chosen),
                                            [s for s in samples if s["job"] in D.HOLDOUT]))
    return task, SF.outer_fold(_TABLES, jobs, job)


def run(final: bool, quick: bool, encoder: str, processes: int = 1, skip_dev: bool = False) -> dict:
    started = time.perf_counter()
    _TABLES.update(SF.tables(encoder, (0.0,) if quick else SF.DISCOUNTS))
    samples = _TABLES[0.0]
    dev_jobs = sorted({s["job"] for s in samples if s["job"] not in D.HOLDOUT})
    all_jobs = sorted({s["job"] for s in samples})
    report = {"encoder": encoder, "holdout_jobs": list(D.HOLDOUT), "quick": quick, "processes": processes}
    if quick:
        dev = [s for s in samples if s["job"] in dev_jobs]
        report["dev"], report["dev_hyper"] = SF.lojo(dev, QUICK), {j: QUICK for j in dev_jobs}
        if final:
            report["held_hyper"] = {**QUICK, "discount": 0.0}
            report["held"] = SF.score_rows(SF.fit_chosen(dev, report["held_hyper"]),
                                           [s for s in samples if s["job"] in D.HOLDOUT])
            report["all"] = SF.lojo(samples, QUICK)
        report["seconds"] = round(time.perf_counter() - started)
        return report
    # Every outer fold (and the held-out jobs' fit) is independent: run them side by side; same results as in turn.
    tasks = [("held", tuple(dev_jobs), "")] if final else []
    tasks += [] if final and skip_dev else [("dev", tuple(dev_jobs), j) for j in dev_jobs]
    tasks += [("all", tuple(all_jobs), j) for j in all_jobs] if final else []
    _log(f"{len(tasks)} folds (nested), {processes} processes")
    if processes > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(processes) as pool:
            done = dict(pool.imap_unordered(_fold, tasks))
    else:
        done = dict(_fold(t) for t in tasks)
    if not (final and skip_dev):
        _log("development jobs, leave-one-job-out (nested)")
        report["dev"], report["dev_hyper"] = SF.nested_lojo(_TABLES, dev_jobs, log=_log, folds={
            j: done[("dev", tuple(dev_jobs), j)] for j in dev_jobs})
    if final:
        report["held_hyper"], report["held"] = done[("held", tuple(dev_jobs), "")]
        _log(f"held-out jobs, scored by a scorer fitted on the development jobs: {report['held_hyper']}")
        _log("all 14 jobs, leave-one-job-out (nested)")
        report["all"], report["all_hyper"] = SF.nested_lojo(_TABLES, all_jobs, log=_log, folds={
            j: done[("all", tuple(all_jobs), j)] for j in all_jobs})
    report["seconds"] = round(time.perf_counter() - started)
    return report


def _honest(metrics: dict) -> list[str]:
    return [f"- {i} (label {label}): {score:.1f}" for i, label, score in metrics["honest_under_10"]]


def markdown(report: dict, before: dict | None) -> str:
    anchored = {k for k, j in D.jobs().items() if D.has_anchors(j)}
    old = {r["id"]: r for r in (before or {}).get("rows", [])}

    def before_metrics(rows):
        if not old:
            return None
        return M.evaluate([{**r, "score": old[r["id"]]["score"]} for r in rows if r["id"] in old], anchored)

    lines = ["# Scoring benchmark: the learned scorer, leave one job out", "",
             f"Encoder `{report['encoder']}`. Every labelled job (bench/scoring_data.py): the corpus's 12 jobs, the "
             "two templates' set and the recycled answers (each question's strong answer scored against every "
             "other labelled question of its job, label 1). Pairs: two answers to the same question with "
             "different labels; right only when the better one scores strictly higher (ties wrong). Each job is "
             "scored by a scorer fitted on the other jobs"
             + (" with one fixed hyper-parameter setting (--quick)." if report["quick"] else
                ", its hyper-parameters (L2, pairwise weight, relevance gate), the discount of comparisons with "
                "same-topic questions and the tail of level 1's band chosen by an inner cross-validation over those "
                "jobs only (4 groups of whole jobs; nested)."),
             "'before' is the rule scorer this replaced (rules-2026.11.3, bench/results/scoring-before.md), on the "
             "same answers.", ""]
    sections = []
    if "all" in report:
        sections.append(("All 14 labelled jobs", report["all"]))
    if "dev" in report:
        sections.append((f"The 12 development jobs (all but {', '.join(report['holdout_jobs'])})", report["dev"]))
    if "held" in report:
        sections.append((f"The 2 held-out jobs ({', '.join(report['holdout_jobs'])}), scored once by a scorer "
                         f"fitted on the 12 development jobs ({report['held_hyper']})", report["held"]))
    for title, rows in sections:
        m = M.evaluate(rows, anchored)
        lines += [f"## {title}", "", f"{M.pct(m['overall'])} of {m['overall']['pairs']} pairs; honest answers "
                  f"(label >= 2) under 10: {len(m['honest_under_10'])}; mean Spearman per question "
                  f"{m['per_question_spearman']:.2f}.", ""]
        lines += M.table(m, before_metrics(rows)) + [""]
        if m["honest_under_10"]:
            lines += ["Honest answers under 10:"] + _honest(m) + [""]
    lines.append(f"Run time {report['seconds']} s ({report.get('processes', 1)} processes side by side).")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--final", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--encoder", default="e5", choices=("e5", "use"))
    parser.add_argument("--save", default="", help="suffix of the result files (default: scoring.md / .json)")
    parser.add_argument("--processes", type=int, default=1, help="outer folds run side by side (same results)")
    parser.add_argument("--skip-dev", action="store_true", help="with --final: leave out the 12 development jobs' "
                        "own nested run (the 14 jobs' run scores them too)")
    args = parser.parse_args()
    report = run(args.final, args.quick, args.encoder, args.processes, args.skip_dev)
    before_file = RESULTS / "scoring-before.json"
    before = json.loads(before_file.read_text(encoding="utf-8")) if before_file.exists() else None
    stem = "scoring" + (f"-{args.save}" if args.save else "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False) + "\n", encoding="utf-8")
    text = markdown(report, before)
    (RESULTS / f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

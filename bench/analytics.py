"""Analytics dashboard latency on a large synthetic database.

    python bench/analytics.py [--db postgresql|sqlite] [--applications 100000] [--churn 4.7] [--runs 30]

Fills the database with synthetic candidacies (app/analytics/demo.py; --churn adds invite/start resets so that
100,000 applications carry about 1,000,000 stage events), builds the rollup, then requests each dashboard view
`--runs` times through the Flask app as a signed-in HR member (rendering included) and prints p50/p95/max.
Writes bench/results/analytics[-sqlite].md and .json. Uses the PostgreSQL database test_analytics (dropped and
recreated tables) unless --pg-url says otherwise.
"""
import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test_analytics")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--churn", type=float, default=4.7)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the previous run (PostgreSQL)")
    args = parser.parse_args()

    from app import create_app
    from app.core.db import database
    from app.core.domains import all_models
    from app.core.migrations import SchemaVersion, upgrade
    folder = tempfile.mkdtemp(prefix="bench-analytics-")
    url = args.pg_url if args.db == "postgresql" else f"sqlite:///{folder}/bench.db"
    app = create_app({"TESTING": True, "APP_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url,
                      "REDIS_URL": REDIS_URL, "MEDIA_ROOT": f"{folder}/media", "PUBLIC_BASE_URL": "http://bench",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    timings = {}
    with app.app_context(), database.connection_context():
        from app.analytics import demo, impact, rollup
        from app.analytics.models import ApplicationFact, ScoreFact
        from app.core.base import utcnow
        from app.core.models import Application, Job, StageEvent
        if args.reuse and args.db == "postgresql":
            upgrade()
            made = "reused the previous run's data"
            t = time.perf_counter()
            rollup.rebuild()
            timings["rollup_rebuild_s"] = time.perf_counter() - t
        else:
            database.drop_tables(list(reversed(all_models())) + [SchemaVersion], safe=True,
                                 **({"cascade": True} if args.db == "postgresql" else {}))
            upgrade()
            t = time.perf_counter()
            made = demo.generate(args.applications, seed=1, churn=args.churn, batch=5000)
            timings["generate_s"] = time.perf_counter() - t
        if args.db == "postgresql":
            # a --reuse rebuild leaves a dead copy of every fact row behind (autovacuum may not have come by yet)
            database.execute_sql("VACUUM ANALYZE" if args.reuse else "ANALYZE")
        if "rollup_rebuild_s" not in timings:
            t = time.perf_counter()
            rollup.refresh()
            timings["rollup_full_s"] = time.perf_counter() - t
        t = time.perf_counter()
        now = utcnow()
        job_ids = [j.id for j in Job.select(Job.id)]
        for w in range(11, -1, -1):
            impact.snapshot(now - dt.timedelta(weeks=w), job_ids)
        timings["snapshots_12_weeks_s"] = time.perf_counter() - t
        if args.db == "postgresql":
            database.execute_sql("ANALYZE")
        # an ordinary day: 50 candidacies move on; the next page view refreshes only those
        from app.core.pipeline import advance_stage
        for app_row in Application.select().where(Application.stage == "applied").limit(50):
            advance_stage(app_row.id, "screened", actor="bench", source="system")
        t = time.perf_counter()
        touched = rollup.refresh()
        timings["rollup_incremental_s"] = time.perf_counter() - t
        counts = {"applications": Application.select().count(), "stage_events": StageEvent.select().count(),
                  "facts": ApplicationFact.select().count(), "score_facts": ScoreFact.select().count(),
                  "jobs": len(job_ids), "incremental_touched": touched}
        sales = Job.get(Job.title == demo.PREFIX + demo.IMPACT_JOB).id
        front = Job.get(Job.title == demo.PREFIX + "前端开发工程师").id

    from tests.support.reports import sign_in_as
    views = [
        ("漏斗与时间, all jobs, last 365 days", "/admin/analytics/?view=funnel"),
        ("漏斗与时间, one job", f"/admin/analytics/?view=funnel&job={sales}"),
        ("漏斗与时间, one quarter", "/admin/analytics/?view=funnel&start=2026-07-01&end=2026-09-30"),
        ("漏斗与时间, one channel (内推)", "/admin/analytics/?view=funnel&channel=referral"),
        ("评分分布 + AI vs 面试官, all jobs", "/admin/analytics/?view=scores"),
        ("公平性, by gender, all jobs", "/admin/analytics/?view=fairness"),
        ("公平性, gender x age band", "/admin/analytics/?view=fairness&attr=gender,age_band"),
        ("公平性, one job", f"/admin/analytics/?view=fairness&job={sales}"),
        ("评分与绩效 (calibration, bootstrap 2000)", f"/admin/analytics/calibration?job={front}"),
        ("export funnel.csv", "/admin/analytics/export/funnel.csv"),
        ("export impact.xlsx", "/admin/analytics/export/impact.xlsx"),
    ]
    rows = []
    with app.app_context():
        client = app.test_client()
        with database.connection_context():
            sign_in_as(client, "hr_lina", "李娜")
        for name, path in views:
            assert client.get(path).status_code == 200, path  # warm-up
            samples = []
            for _ in range(args.runs):
                t = time.perf_counter()
                resp = client.get(path)
                samples.append((time.perf_counter() - t) * 1000)
                assert resp.status_code == 200
            rows.append({"view": name, "path": path, "p50_ms": statistics.median(samples), "p95_ms": p95(samples),
                         "max_ms": max(samples)})
    lines = [f"# Analytics dashboard latency ({args.db})", "",
             f"{counts['applications']:,} applications, {counts['stage_events']:,} stage events, "
             f"{counts['score_facts']:,} score facts, {counts['jobs']} jobs; {args.runs} requests per view through "
             f"the Flask app as HR (template rendering included), one process, "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load average during the run "
             f"{os.getloadavg()[0]:.1f} (a machine shared with other engineers' test runs).", "",
             "| view | p50 ms | p95 ms | max ms |", "|---|---|---|---|"]
    lines += [f"| {r['view']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['max_ms']:.0f} |" for r in rows]
    lines += ["", "| one-off step | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.1f} |" for k, v in timings.items()]
    lines += ["", f"Incremental refresh after 50 stage changes rewrote {counts['incremental_touched']} applications.",
              f"Generated: {made}"]
    text = "\n".join(lines) + "\n"
    print(text)
    suffix = "" if args.db == "postgresql" else "-sqlite"
    out = ROOT / "bench" / "results"
    (out / f"analytics{suffix}.md").write_text(text, encoding="utf-8")
    (out / f"analytics{suffix}.json").write_text(json.dumps({"counts": counts, "timings": timings, "views": rows,
                                                             "generated": made}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

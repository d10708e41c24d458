"""What hostile resume files cost now: the web request's check, the worker's bounded parse, and /healthz while ten
clients post a 60,000-page PDF at once through gunicorn (issue 20: 8.2 s of web time per file, /healthz waited
28.6 s; a 781 KB PDF of 20 images of 40 megapixels took 1 min 45 s of the media worker).

    python bench/resume_limits.py [--skip-server]   # prints tables, writes bench/results/resume_limits.md
    python bench/resume_limits.py --server-only --label before   # on older code: resume_limits-before.md

Every file is made here (tests/support/crafted.py). "pypdf page count" is what the web check cost before
(`len(PdfReader(...).pages)`); "check now" is `resume_files.precheck`. The worker column runs
`resume_files.extract_text` (the bounded child process, default limits) on the files the web check lets through.
Uses Redis BENCH_REDIS_URL (default db 11, flushed) and a temporary SQLite database for the server part.
"""
import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")


def files():
    from tests.support import crafted
    from tests.support.funnel import pdf_resume
    return {
        "honest resume (1 page)": pdf_resume(),
        "60,000 pages, flat tree": crafted.many_pages_pdf(60_000),
        "60,000 pages, /Count 1": crafted.many_pages_pdf(60_000, declared=1),
        "60,000 pages in an object stream": crafted.object_stream_pdf(60_000),
        "60,000 pages, escaped /Type": crafted.escaped_pages_pdf(60_000),
        "20 pages of 39.9 MP images": crafted.big_images_pdf(20, 7300, 5470),
        "1 page of 300,000 text operators": crafted.endless_text_pdf(300_000),
    }


def timed(call):
    start = time.perf_counter()
    try:
        outcome = call() or "ok"
    except Exception as exc:  # noqa: BLE001 - the refusal is the result
        outcome = getattr(exc, "code", type(exc).__name__)
    return time.perf_counter() - start, outcome


def pypdf_pages(data):
    from pypdf import PdfReader
    return f"{len(PdfReader(io.BytesIO(data)).pages)} pages"


def check_table(samples):
    from app.screening import resume_files
    rows = ["| file | size | check now | outcome | pypdf page count (the check before) |", "|---|---|---|---|---|"]
    passed = []
    for name, data in samples.items():
        now = [timed(lambda d=data: resume_files.precheck(d)) for _ in range(3)]
        seconds, outcome = statistics.median(t for t, _ in now), now[0][1]
        before, pages = timed(lambda d=data: pypdf_pages(d))
        rows.append(f"| {name} | {len(data) / 1024:,.0f} KB | {seconds * 1000:.1f} ms | {outcome} | "
                    f"{before:.2f} s ({pages}) |")
        if outcome == "pdf":
            passed.append(name)
    return rows, passed


def worker_table(samples, names):
    from app.screening import resume_files
    rows = ["| file the web check let through | worker time (bounded child) | outcome |", "|---|---|---|"]
    for name in names:
        seconds, outcome = timed(lambda d=samples[name]: resume_files.extract_text(d)[2])
        rows.append(f"| {name} | {seconds:.1f} s | {outcome} |")
    return rows


def healthz_under_load(data, clients=10):
    """Ten clients post `data` to a posting through gunicorn (2 workers x 4 threads); /healthz is polled meanwhile."""
    import redis

    from bench.upload import bench_config, free_port, gunicorn, prepare_app
    redis.Redis.from_url(REDIS_URL).flushdb()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        config = bench_config(tmp, port, REDIS_URL=REDIS_URL, RATE_LIMITS_ENABLED="0")
        app = prepare_app(config)
        from app.core.db import database
        from app.screening import intake
        from tests.support.funnel import backend_template
        with app.app_context(), database.connection_context():
            from app.screening.job_templates import import_template
            code = intake.create_link(import_template(backend_template()).id, "wechat_group", "bench").code
        with gunicorn(config, port) as base:
            done, waits = threading.Event(), []

            def poll():
                while not done.is_set():
                    start = time.perf_counter()
                    requests.get(f"{base}/healthz", timeout=120)
                    waits.append(time.perf_counter() - start)
                    time.sleep(0.05)

            def post(i):
                start = time.perf_counter()
                res = requests.post(f"{base}/p/{code}", timeout=300, files={"resume": ("cv.pdf", data)},
                                    data={"name": "张伟", "phone": f"1380000{i:04d}", "consent": "yes",
                                          "answer_q1": "能"})
                return time.perf_counter() - start, res.status_code

            poller = threading.Thread(target=poll)
            poller.start()
            with ThreadPoolExecutor(clients) as pool:
                posts = list(pool.map(post, range(clients)))
            done.set()
            poller.join()
    statuses = sorted({s for _, s in posts})
    return ["| clients | POST p50 | POST max | statuses | /healthz polls | /healthz max |", "|---|---|---|---|---|---|",
            f"| {clients} | {statistics.median(t for t, _ in posts):.2f} s | {max(t for t, _ in posts):.2f} s | "
            f"{statuses} | {len(waits)} | {max(waits):.3f} s |"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-server", action="store_true", help="only the in-process tables")
    parser.add_argument("--server-only", action="store_true", help="only the /healthz table")
    parser.add_argument("--label", default="", help="suffix of the results file")
    args = parser.parse_args()
    samples = files()
    out = [f"# Hostile resume files ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
           f"load average {os.getloadavg()[0]:.1f} at the start, {time.strftime('%Y-%m-%d')}"
           f"{', ' + args.label if args.label else ''})"]
    if not args.server_only:
        checks, passed = check_table(samples)
        out += ["", "## The web request's check", "", *checks, "",
                "## The worker's parse (resume_files.extract_text, default limits: 20 s CPU, 1 GB)", "",
                *worker_table(samples, passed)]
    if not args.skip_server:
        out += ["", "## /healthz while ten clients post the 60,000-page PDF (gunicorn, 2 workers x 4 threads)", "",
                *healthz_under_load(samples["60,000 pages, flat tree"])]
    text = "\n".join(out) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"resume_limits{'-' + args.label if args.label else ''}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

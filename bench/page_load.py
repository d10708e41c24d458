"""Time loading the candidate H5 through the real server (gunicorn on loopback): plain HTTP and Chromium.

    python bench/page_load.py [--runs 30]   # prints a table, writes bench/results/page_load.md and page_load.json

HTTP: the landing page HTML and its three static files over one keep-alive session. Chromium (Debian's, through
Playwright, 390x844, WeChat user agent, fake camera): navigation to the load event of a fresh page, read from the
Navigation Timing API, for the landing page and the question page (which also opens the camera).
"""
import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload import RESULTS, ROOT, bench_config, free_port, gunicorn, make_candidates, pct, prepare_app  # noqa: E402

STATIC = ["/static/vendor/weui/weui.min.css", "/static/h5/app.css", "/static/h5/common.js"]


def http_loads(base, token, runs):
    times = []
    with requests.Session() as session:
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            session.get(f"{base}/i/{token}").raise_for_status()
            for path in STATIC:
                session.get(base + path).raise_for_status()
            times.append(time.perf_counter() - t0)
    return times[1:]


def chromium_loads(base, urls, runs):
    from playwright.sync_api import sync_playwright
    sys.path.insert(0, str(ROOT))
    from tests.support.browser import WECHAT_UA
    out = {name: {"dcl": [], "load": []} for name in urls}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"])
        for name, url in urls.items():
            for i in range(runs + 1):
                # A fresh context each time: a first visit, nothing cached.
                context = browser.new_context(viewport={"width": 390, "height": 844}, user_agent=WECHAT_UA,
                                              is_mobile=True)
                page = context.new_page()
                page.goto(url, wait_until="load")
                nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
                nav = json.loads(nav)
                if i:
                    out[name]["dcl"].append(nav["domContentLoadedEventEnd"] / 1000)
                    out[name]["load"].append(nav["loadEventEnd"] / 1000)
                context.close()
        browser.close()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        config = bench_config(tmp, port)
        app = prepare_app(config)
        (fresh,), _ = make_candidates(app, 1, ready=False)
        (ready,), _ = make_candidates(app, 1, ready=True)
        with gunicorn(config, port) as base:
            http = http_loads(base, fresh, args.runs)
            browser = chromium_loads(base, {"landing": f"{base}/i/{fresh}",
                                            "question": f"{base}/i/{ready}/question"}, max(5, args.runs // 2))
    rows = [("HTTP: landing HTML + 3 static files (keep-alive)", http)]
    for name, data in browser.items():
        rows.append((f"Chromium {name} page: DOMContentLoaded", data["dcl"]))
        rows.append((f"Chromium {name} page: load event", data["load"]))
    table = ["| measure | runs | p50 ms | p95 ms | mean ms |", "|---|---|---|---|---|"]
    table += [f"| {name} | {len(v)} | {pct(v, 50) * 1000:.1f} | {pct(v, 95) * 1000:.1f} | "
              f"{statistics.mean(v) * 1000:.1f} |" for name, v in rows]
    header = (f"# Candidate H5 page load\n\nThrough gunicorn (2 workers x 4 threads) on loopback, SQLite. Chromium: "
              f"Debian's, fresh context per load (cold cache), 390x844, WeChat UA. {os.cpu_count()} CPUs, Python "
              f"{platform.python_version()}, load average at end {[round(x, 2) for x in os.getloadavg()]} "
              f"(a shared machine). weui.min.css is {(ROOT / 'app/static/vendor/weui/weui.min.css').stat().st_size} "
              f"bytes (uncompressed; no gzip in front of gunicorn here).\n")
    text = header + "\n" + "\n".join(table) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "page_load.md").write_text(text, encoding="utf-8")
    (RESULTS / "page_load.json").write_text(json.dumps(
        {name: {"runs": len(v), "p50_s": pct(v, 50), "p95_s": pct(v, 95), "values_s": v} for name, v in rows},
        indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()

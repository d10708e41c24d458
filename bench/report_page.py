"""Load the manager's report page on a throttled phone profile (Chromium, "Fast 3G" + 4x CPU slowdown).

    python bench/report_page.py [--runs 5]   # prints a table, writes bench/results/report_page.md

The page is served by gunicorn with WhiteNoise in front of the static files. The report is a real one: four
answers of the backend job, their frozen transcripts scored by the scorer. The page used to load ECharts
(1,034,102 bytes, no compression) for its radar chart; it now draws the dimensions as CSS bars and loads no chart
library. The table also times that file alone, uncompressed and gzipped, on the same profile: what the page no
longer pays.
"""
import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from upload import RESULTS, ROOT, bench_config, free_port, gunicorn, pct, prepare_app  # noqa: E402

FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 1.6 * 1024 * 1024 / 8 * 0.9,
           "uploadThroughput": 750 * 1024 / 8 * 0.9}


def seed_report(app):
    sys.path.insert(0, str(ROOT))
    from app.core.db import database
    from tests.support.reports import scored_interview, sign_in_as
    with app.app_context(), database.connection_context():
        report = scored_interview()
        client = app.test_client()
        sign_in_as(client, "zhangwei")
        return report.id, client.get_cookie("session").value


def measure(base, cookie, urls, runs):
    from playwright.sync_api import sync_playwright
    out = {name: [] for name in urls}
    sizes = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        for name, (url, headers) in urls.items():
            for i in range(runs + 1):
                context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                              extra_http_headers=headers)
                context.add_cookies([{"name": "session", "value": cookie, "url": base}])
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", FAST_3G)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                received = []
                cdp.on("Network.loadingFinished", lambda e, received=received: received.append(e["encodedDataLength"]))
                page.goto(url, wait_until="load")
                nav = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
                if i:
                    out[name].append(nav["loadEventEnd"] / 1000)
                    sizes[name] = sum(received)
                context.close()
        browser.close()
    return out, sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        config = bench_config(tmp, port)
        app = prepare_app(config)
        report_id, cookie = seed_report(app)
        with gunicorn(config, port) as base:
            echarts = f"{base}/static/vendor/echarts/echarts.min.js"
            urls = {"report page (all it loads)": (f"{base}/m/reports/{report_id}", {}),
                    "echarts.min.js alone, uncompressed (what the page used to add)": (
                        echarts, {"Accept-Encoding": "identity"}),
                    "echarts.min.js alone, gzip": (echarts, {"Accept-Encoding": "gzip"})}
            times, sizes = measure(base, cookie, urls, args.runs)
    table = ["| what | runs | bytes over the wire | load p50 s | load p95 s | mean s |", "|---|---|---|---|---|---|"]
    table += [f"| {name} | {len(v)} | {sizes.get(name, 0):,} | {pct(v, 50):.2f} | {pct(v, 95):.2f} | "
              f"{statistics.mean(v):.2f} |" for name, v in times.items()]
    header = (f"# Report page on a throttled phone\n\nChromium (Debian), 390x844, fresh context per load, network "
              f"Fast 3G (562.5 ms RTT, ~1.44 Mbit/s down), CPU throttled 4x; gunicorn + WhiteNoise on loopback. "
              f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average at end "
              f"{[round(x, 2) for x in os.getloadavg()]} (a shared machine).\n")
    text = header + "\n" + "\n".join(table) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "report_page.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

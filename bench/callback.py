"""Callback latency: /wecom/callback under gunicorn on loopback, driven by wrk at a fixed request rate.

    python bench/callback.py [--db sqlite|postgresql] [--rates 200,400] [--seconds 15]

Runs with the product's default settings (rate limits on: one client address sends every request, as WeCom's few
Tencent addresses do). Each request is a valid, encrypted template_card_event; the "unique" runs use a different
event per request (so every request verifies, decrypts, inserts and enqueues), the "duplicate" run repeats 20
events (verify, decrypt, hit the UNIQUE constraint, acknowledge). Prints a table and writes bench/results/callback.md.
"""
import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bench_callback")
CFG = {"corp_id": "wwsandbox0000000001", "token": "sandboxtoken",
       "aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "agent_id": 1000002}
CONNECTIONS = 8
THREADS = 2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_events(path, count, distinct=None, seed=0):
    """Write `count` lines of "query<TAB>body"; `distinct` repeats that many events."""
    from wecom_sandbox.delivery import card_event_xml, encrypt
    n = distinct or count
    made = [encrypt(CFG, card_event_xml(CFG, f"user{i % 50}", f"ai-result-{seed + i}", f"d:{seed + i}:on_hold",
                                        f"rc{i}", create_time=1700000000 + i)) for i in range(n)]
    with open(path, "w") as out:
        for i in range(count):
            query, body = made[i % n]
            out.write(query + "\t" + body + "\n")


def prepare_db(kind, folder):
    if kind == "sqlite":
        return f"sqlite:///{folder}/bench.db"
    import psycopg2
    name = PG_URL.rsplit("/", 1)[1]
    conn = psycopg2.connect(PG_URL.rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return PG_URL


def start_gunicorn(env, port, workers, threads):
    cmd = [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "-b",
           f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning",
           "wsgi:app"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(200):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def run_wrk(port, events_file, rate, seconds):
    # Closed loop: each connection waits `delay` after every answer; subtract a typical answer time.
    delay_ms = max(1, round(CONNECTIONS * 1000 / rate) - 4)
    out = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "5s",
                          "-s", str(ROOT / "bench" / "callback.lua"), f"http://127.0.0.1:{port}",
                          "--", str(events_file), str(THREADS), str(delay_ms)],
                         capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def stored_events(env):
    code = ("from app import create_app; from app.core.db import database; from app.core.models import WeComEvent\n"
            "create_app()\nwith database.connection_context(): print(WeComEvent.select().count())")
    return int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                              check=True).stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rates", default="200,400")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "callback.md"))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is required: apt-get install -y wrk")
    import redis
    redis.Redis.from_url(REDIS_URL).flushdb()
    folder = tempfile.mkdtemp(prefix="bench-callback-")
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=prepare_db(args.db, folder), REDIS_URL=REDIS_URL,
               SECRET_KEY="bench", MEDIA_ROOT=f"{folder}/media", WECOM_CORP_ID=CFG["corp_id"],
               WECOM_TOKEN=CFG["token"], WECOM_AES_KEY=CFG["aes_key"], PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = free_port()
    proc = start_gunicorn(env, port, args.workers, args.threads)
    rows = []
    try:
        seed = 0
        for rate in [int(r) for r in args.rates.split(",")]:
            count = rate * args.seconds * 2
            path = Path(folder) / f"unique-{rate}.tsv"
            make_events(path, count, seed=seed)
            seed += count
            before, load = stored_events(env), os.getloadavg()[0]
            result = run_wrk(port, path, rate, args.seconds)
            result.update(kind="unique", target=rate, stored=stored_events(env) - before, load=load)
            rows.append(result)
        path = Path(folder) / "dupes.tsv"
        make_events(path, 2000, distinct=20, seed=10**7)
        rate = int(args.rates.split(",")[0])
        before, load = stored_events(env), os.getloadavg()[0]
        result = run_wrk(port, path, rate, args.seconds)
        result.update(kind="duplicates (20 events)", target=rate, stored=stored_events(env) - before, load=load,
                      distinct=20)
        rows.append(result)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)
        redis.Redis.from_url(REDIS_URL).flushdb()
        shutil.rmtree(folder, ignore_errors=True)
    report(rows, args)


def report(rows, args):
    head = ("| run | target rps | achieved rps | requests | p50 ms | p90 ms | p99 ms | max ms | non-200 | "
            "events stored | load 1 min | pass |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        rps = r["requests"] / (r["duration_us"] / 1e6)
        refused = r["non200"] + r["errors"]
        # Pass: nothing refused, every event stored once (in-flight ones at wrk's stop may add a few), p99 < 50 ms.
        stored_ok = r["stored"] == r["distinct"] if r.get("distinct") else r["stored"] >= r["requests"]
        passed = refused == 0 and stored_ok and r["p99_us"] < 50_000
        lines.append(f"| {r['kind']} | {r['target']} | {rps:.0f} | {r['requests']} | {r['p50_us'] / 1000:.1f} | "
                     f"{r['p90_us'] / 1000:.1f} | {r['p99_us'] / 1000:.1f} | {r['max_us'] / 1000:.1f} | "
                     f"{refused} | {r['stored']} | {r['load']:.2f} | {'yes' if passed else 'NO'} |")
    table = head + "\n".join(lines) + "\n"
    print(table)
    cpu = platform.processor() or platform.machine()
    text = (f"# /wecom/callback latency\n\n`python bench/callback.py --db {args.db} --rates {args.rates} "
            f"--seconds {args.seconds}` on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), "
            f"Python {platform.python_version()}, gunicorn {args.workers} workers x {args.threads} threads, "
            f"{args.db}, Redis on loopback, wrk {CONNECTIONS} connections throttled to the target rate, the "
            "product's default settings (rate limits on, every request from one address). The machine is shared "
            "with other work: \"load 1 min\" is the load average when each run started.\n"
            "Each request verifies the signature, decrypts (AES), parses, inserts the event (UNIQUE dedupe key) and "
            "enqueues its handler on the fast queue (no worker running, so handlers do not compete). "
            "\"events stored\" can exceed \"requests\" by the few requests in flight when wrk stops.\n\n"
            + table)
    out = Path(args.out)
    if args.db != "sqlite":
        out = out.with_name(out.stem + f"-{args.db}" + out.suffix)
    out.write_text(text, encoding="utf-8")
    print(f"saved {out}")


if __name__ == "__main__":
    main()

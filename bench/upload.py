"""Time uploading a ~5 MB recorded answer through the real server (gunicorn on loopback) in 1 MB chunks.

    python bench/upload.py [--runs 20] [--mb 5]   # prints a table, writes bench/results/upload.md and upload.json
    python bench/upload.py --concurrent 100 [--rounds 2] [--storage s3]   # upload-concurrent-<storage>.{md,json}

Each run is a fresh candidate: init -> PUT every chunk -> complete (assemble + decode check + store + Answer +
enqueue). Uses Redis DB 11 (flushed) and a temporary SQLite database and media folder.

--concurrent N: N candidates upload their answer at the same moment (one thread each) through gunicorn; reports
the web processes' RSS before and after, chunk PUT and complete times (p50/p95/max) and every error. Chunks are
streamed to storage and the assembled file is copied 1 MB at a time, so RSS must stay flat however many upload.
"""
import argparse
import contextlib
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
REDIS_URL = "redis://127.0.0.1:6379/11"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_config(tmp, port, **extra):
    return {"APP_ENV": "development", "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "REDIS_URL": REDIS_URL, "MEDIA_ROOT": f"{tmp}/media", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
            "WTF_CSRF_ENABLED": "0", **extra}


def prepare_app(config):
    """Create the schema and return an app bound to the bench database."""
    import logging
    logging.basicConfig(level=logging.WARNING)
    from app import create_app
    from app.core.db import database
    from app.core.migrations import upgrade
    app = create_app(dict(config, WTF_CSRF_ENABLED=False))
    with database.connection_context():
        upgrade()
    return app


def make_candidates(app, count, ready=True, questions=1):
    """Invite `count` candidates to a one-question job; walk them through consent/identity/device."""
    from app.core.db import database
    from app.interview import flow as interview_flow
    from app.interview.invitations import invite_candidate
    from tests.support.interviews import NAME, make_short_job
    tokens = []
    with app.app_context(), database.connection_context():
        job = make_short_job(questions=questions, think=30, answer=120)
        for i in range(count):
            interview, token = invite_candidate(job.id, NAME, f"13{i:09d}")
            if ready:
                interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)
                interview_flow.verify_identity(interview.id, NAME, f"13{i:09d}"[-4:])
                interview_flow.mark_device_checked(interview.id)
            tokens.append(token)
        question_id = job.ordered_questions()[0].id
    return tokens, question_id


@contextlib.contextmanager
def gunicorn(config, port, workers=2, threads=4, started=None):
    """Run `gunicorn wsgi:app` with `config` in its environment until the block ends (its Popen appended to
    `started`)."""
    env = dict(os.environ, **{k: str(v) for k, v in config.items()}, PORT=str(port), HOST="127.0.0.1")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--workers", str(workers),
                             "--threads", str(threads), "--access-logfile", "/dev/null", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if started is not None:
        started.append(proc)
    try:
        for _ in range(100):
            with contextlib.suppress(requests.RequestException):  # not up yet, or slow on a busy machine
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start: " + proc.stderr.read(2000).decode(errors="replace"))
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def make_answer(path, megabytes):
    """A real VP8/Opus WebM of about `megabytes` MB (640x480, 15 fps), like a phone's MediaRecorder output."""
    seconds = 30
    kbps = int(megabytes * 8 * 1024 / seconds)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=300:duration={seconds}",
                    "-f", "lavfi", "-i", f"testsrc2=size=640x480:rate=15:duration={seconds}", "-c:v", "libvpx",
                    "-deadline", "realtime", "-cpu-used", "8", "-b:v", f"{kbps}k", "-minrate", f"{kbps}k",
                    "-maxrate", f"{kbps}k", "-c:a", "libopus", "-shortest", str(path)], check=True)
    return Path(path).read_bytes()


def upload_once(session, base, token, question_id, data):
    """One whole upload; returns (total, chunks, complete) seconds."""
    headers = {"Authorization": f"Bearer {token}"}
    t0 = time.perf_counter()
    res = session.post(f"{base}/mp/api/v1/uploads", headers=headers, json={
        "question_id": question_id, "attempt": 1, "mime_type": "video/webm;codecs=vp8,opus", "total_bytes": len(data)})
    res.raise_for_status()
    up = res.json()
    size = up["chunk_bytes"]
    for index in range(up["total_chunks"]):
        session.put(f"{base}/mp/api/v1/uploads/{up['upload_id']}/chunks/{index}", headers=headers,
                    data=data[index * size:(index + 1) * size]).raise_for_status()
    t1 = time.perf_counter()
    res = session.post(f"{base}/mp/api/v1/uploads/{up['upload_id']}/complete", headers=headers)
    if res.status_code != 201:
        raise RuntimeError(f"complete failed: {res.status_code} {res.text}")
    t2 = time.perf_counter()
    return t2 - t0, t1 - t0, t2 - t1


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def web_rss_mb(master_pid):
    """Resident memory of the gunicorn master and its worker processes, MB."""
    pids = [master_pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def concurrent_upload(base, token, question_id, data):
    """One candidate's whole upload with its own connection; returns (chunk seconds list, complete s, errors)."""
    errors, chunk_times = [], []
    headers = {"Authorization": f"Bearer {token}"}
    with requests.Session() as session:
        try:
            res = session.post(f"{base}/mp/api/v1/uploads", headers=headers, timeout=120, json={
                "question_id": question_id, "attempt": 1, "mime_type": "video/webm;codecs=vp8,opus",
                "total_bytes": len(data)})
            if res.status_code != 201:
                return chunk_times, None, [f"init {res.status_code} {res.text[:200]}"]
            up = res.json()
            size = up["chunk_bytes"]
            for index in range(up["total_chunks"]):
                t0 = time.perf_counter()
                res = session.put(f"{base}/mp/api/v1/uploads/{up['upload_id']}/chunks/{index}", headers=headers,
                                  data=data[index * size:(index + 1) * size], timeout=120)
                chunk_times.append(time.perf_counter() - t0)
                if res.status_code != 200:
                    errors.append(f"chunk {index} {res.status_code} {res.text[:200]}")
            t0 = time.perf_counter()
            res = session.post(f"{base}/mp/api/v1/uploads/{up['upload_id']}/complete", headers=headers, timeout=300)
            complete = time.perf_counter() - t0
            if res.status_code != 201:
                errors.append(f"complete {res.status_code} {res.text[:200]}")
            return chunk_times, complete, errors
        except requests.RequestException as exc:
            return chunk_times, None, errors + [f"{type(exc).__name__}: {exc}"]


def main_concurrent(args):
    """N candidates upload at once through gunicorn; RSS, chunk and complete times, errors."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import redis
    redis.Redis.from_url(REDIS_URL).flushdb()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        extra = {}
        if args.storage == "s3":
            extra = {"STORAGE": "s3", "S3_BUCKET": "interview-media", "S3_ENDPOINT_URL": "http://127.0.0.1:8333",
                     "S3_ACCESS_KEY": "interview-dev", "S3_SECRET_KEY": "interview-dev-secret"}
        config = bench_config(tmp, port, UPLOAD_CHUNK_BYTES=1024 * 1024, RATE_LIMITS_ENABLED="0", **extra)
        app = prepare_app(config)
        tokens, question_id = make_candidates(app, args.concurrent * args.rounds + 1)
        data = make_answer(Path(tmp) / "answer.webm", args.mb)
        started = []
        with gunicorn(config, port, workers=args.web_workers, threads=args.web_threads, started=started) as base:
            master = started[0].pid
            upload_once(requests.Session(), base, tokens[-1], question_id, data)  # warm-up
            rss_before = web_rss_mb(master)
            peak = [rss_before]
            done = threading.Event()

            def sample():
                while not done.wait(0.2):
                    peak.append(web_rss_mb(master))
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            t0 = time.perf_counter()
            results, rss_rounds = [], []
            for round_ in range(args.rounds):  # the same candidates count again: RSS must not keep climbing
                batch = tokens[round_ * args.concurrent:(round_ + 1) * args.concurrent]
                with ThreadPoolExecutor(args.concurrent) as pool:
                    results += list(pool.map(lambda t: concurrent_upload(base, t, question_id, data), batch))
                rss_rounds.append(web_rss_mb(master))
                print(f"round {round_ + 1}: RSS {rss_rounds[-1]:.0f} MB, errors so far "
                      f"{sum(len(r[2]) for r in results)}", flush=True)
            wall = (time.perf_counter() - t0) / args.rounds
            done.set()
            sampler.join()
            rss_after = web_rss_mb(master)
        redis.Redis.from_url(REDIS_URL).flushdb()
    chunks = [c for r in results for c in r[0]]
    completes = [r[1] for r in results if r[1] is not None]
    errors = [e for r in results for e in r[2]]
    mb = len(data) / 1024 / 1024
    text = (f"# Concurrent uploads: {args.concurrent} candidates at once, {args.rounds} rounds\n\n"
            f"Each uploads a {mb:.2f} MB VP8/Opus WebM in 1 MB chunks (init, {-(-len(data) // (1024 * 1024))} PUTs, "
            f"complete) on its own connection, all started together, through gunicorn ({args.web_workers} workers x "
            f"{args.web_threads} threads) on loopback; storage {args.storage}, SQLite, Redis. {os.cpu_count()} CPUs "
            f"(shared machine, load average at end {[round(x, 2) for x in os.getloadavg()]}).\n\n"
            "| measure | value |\n|---|---|\n"
            f"| uploads completed | {len(completes)} / {args.concurrent * args.rounds} |\n"
            f"| errors | {len(errors)} |\n"
            f"| wall time of one round | {wall:.1f} s ({mb * args.concurrent / wall:.1f} MB/s) |\n"
            f"| chunk PUT p50 / p95 / max | {pct(chunks, 50):.3f} / {pct(chunks, 95):.3f} / {max(chunks):.3f} s |\n"
            f"| complete p50 / p95 / max | {pct(completes, 50):.3f} / {pct(completes, 95):.3f} / "
            f"{max(completes):.3f} s |\n"
            f"| web RSS (master + workers) before / peak / after | {rss_before:.0f} / {max(peak):.0f} / "
            f"{rss_after:.0f} MB |\n"
            f"| web RSS after each round | {' / '.join(f'{r:.0f}' for r in rss_rounds)} MB |\n")
    if errors:
        text += "\nFirst errors:\n\n" + "\n".join(f"- {e}" for e in errors[:10]) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"upload-concurrent-{args.storage}.md").write_text(text, encoding="utf-8")
    (RESULTS / f"upload-concurrent-{args.storage}.json").write_text(json.dumps({
        "concurrent": args.concurrent, "bytes": len(data), "storage": args.storage, "errors": errors,
        "chunk_s": chunks, "complete_s": completes, "wall_s": wall, "rss_before_mb": rss_before,
        "rss_peak_mb": max(peak), "rss_after_mb": rss_after, "rss_rounds_mb": rss_rounds}, indent=1), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mb", type=float, default=5)
    parser.add_argument("--concurrent", type=int, default=0, help="N candidates uploading at once")
    parser.add_argument("--rounds", type=int, default=2, help="with --concurrent: how many rounds of N uploads")
    parser.add_argument("--storage", choices=("local", "s3"), default="local")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()
    if args.concurrent:
        return main_concurrent(args)
    import redis
    redis.Redis.from_url(REDIS_URL).flushdb()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        config = bench_config(tmp, port, UPLOAD_CHUNK_BYTES=1024 * 1024)
        app = prepare_app(config)
        tokens, question_id = make_candidates(app, args.runs + 1)
        data = make_answer(Path(tmp) / "answer.webm", args.mb)
        rows = []
        with gunicorn(config, port) as base, requests.Session() as session:
            upload_once(session, base, tokens[-1], question_id, data)  # warm-up (imports, first DB connection)
            for token in tokens[:-1]:
                rows.append(upload_once(session, base, token, question_id, data))
        redis.Redis.from_url(REDIS_URL).flushdb()
    totals, chunks, completes = zip(*rows, strict=True)
    mb = len(data) / 1024 / 1024
    table = [
        "| measure | p50 s | p95 s | min s | max s |", "|---|---|---|---|---|",
        *(f"| {name} | {pct(v, 50):.3f} | {pct(v, 95):.3f} | {min(v):.3f} | {max(v):.3f} |"
          for name, v in (("whole upload (init + chunks + complete)", totals), ("init + chunks", chunks),
                          ("complete (assemble, decode check, store, Answer, enqueue)", completes))),
    ]
    header = (f"# Upload benchmark\n\n{len(rows)} runs of a {mb:.2f} MB VP8/Opus WebM (30 s, 640x480) in "
              f"{-(-len(data) // (1024 * 1024))} chunks of 1 MB, through gunicorn (2 workers x 4 threads) on loopback, "
              f"SQLite, Redis. {os.cpu_count()} CPUs, Python {platform.python_version()}, load average at end "
              f"{[round(x, 2) for x in os.getloadavg()]} (a shared machine). Throughput at p50: "
              f"{mb / pct(totals, 50):.1f} MB/s.\n")
    text = header + "\n" + "\n".join(table) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "upload.md").write_text(text, encoding="utf-8")
    (RESULTS / "upload.json").write_text(json.dumps({
        "runs": len(rows), "bytes": len(data), "chunk_bytes": 1024 * 1024, "cpus": os.cpu_count(),
        "total_s": totals, "chunks_s": chunks, "complete_s": completes,
        "p50_total_s": pct(totals, 50), "p95_total_s": pct(totals, 95)}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

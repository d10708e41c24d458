"""Time uploading a ~5 MB recorded answer through the real server (gunicorn on loopback) in 1 MB chunks.

    python bench/upload.py [--runs 20] [--mb 5]   # prints a table, writes bench/results/upload.md and upload.json

Each run is a fresh candidate: init -> PUT every chunk -> complete (assemble + decode check + store + Answer +
enqueue). Uses Redis DB 11 (flushed) and a temporary SQLite database and media folder.
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
    from app.db import database
    from app.migrations import upgrade
    app = create_app(dict(config, WTF_CSRF_ENABLED=False))
    with database.connection_context():
        upgrade()
    return app


def make_candidates(app, count, ready=True, questions=1):
    """Invite `count` candidates to a one-question job; walk them through consent/identity/device."""
    from app.db import database
    from app.services import interview_flow
    from app.services.invitations import invite_candidate
    from tests.support.interviews import NAME, PHONE, make_short_job
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
    assert PHONE  # the fixture module is shared with the tests
    return tokens, question_id


@contextlib.contextmanager
def gunicorn(config, port, workers=2, threads=4):
    """Run `gunicorn wsgi:app` with `config` in its environment until the block ends."""
    env = dict(os.environ, **{k: str(v) for k, v in config.items()}, PORT=str(port), HOST="127.0.0.1")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--workers", str(workers),
                             "--threads", str(threads), "--access-logfile", "/dev/null", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--mb", type=float, default=5)
    args = parser.parse_args()
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

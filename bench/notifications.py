"""Notice sending cost: `notify` + `send_notice` (plan, consent, cap, TC3 signing, SendSms over HTTP to the sandbox,
which verifies the signature, the delivery row) per notice, and one receipts pull for all of them.

    python bench/notifications.py [--notices 200] [--db sqlite|postgresql]

Runs the service functions in this process (no RQ worker: the job's own time), on a fresh database, against the
sandbox on a free loopback port. Prints a table and writes bench/results/notifications.md.
"""
import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
PG_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/bench_notifications")


def serve(wsgi):
    server = make_server("127.0.0.1", 0, wsgi, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-notify-"))

    from wecom_sandbox import create_sandbox
    box_server, box_url = serve(create_sandbox({"db": str(folder / "sandbox.db"), "sms_link_base": "http://bench"}))

    import redis
    from app.migrations import upgrade

    from app import create_app
    from app.core.db import database
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = f"sqlite:///{folder / 'bench.db'}" if args.db == "sqlite" else PG_URL
    app = create_app({"TESTING": True, "APP_ENV": "test", "SECRET_KEY": "bench-secret", "DATABASE_URL": url,
                      "REDIS_URL": REDIS_URL, "MEDIA_ROOT": str(folder / "media"), "PUBLIC_BASE_URL": "http://bench",
                      "SMS_PROVIDER": "tencent", "SMS_ENDPOINT": box_url, "SMS_QUIET_HOURS": "00:00-00:01"})
    with app.app_context(), database.connection_context():
        if args.db == "postgresql":
            from app.migrations import SchemaVersion

            from app.domains import ALL_MODELS
            database.drop_tables(list(reversed(ALL_MODELS)) + [SchemaVersion], safe=True, cascade=True)
        upgrade()
        from app.core.base import utcnow
        from app.core.models import Application, Candidate
        from app.notifications import receipts, routing, sending
        from app.screening.job_templates import import_template
        job = import_template((ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
        now = utcnow().replace(hour=4)  # 12:00 in China: outside the quiet hours whatever the clock says
        times = []
        for n in range(args.notices):
            phone = f"1380{n:07d}"
            row = Application.create(candidate=Candidate.create(name=f"候选人{n}", phone=phone), job=job,
                                     stage="ai_invited")
            values = {"name": "李明", "company": "示例科技", "job": job.title, "deadline": "3月12日 18:00",
                      "token": f"tok{n:029d}"}
            started = time.perf_counter()
            notice, _ = sending.notify(row.id, "invitation", values,
                                       routing.plan("invitation", routing.Reach(phone="+86" + phone)),
                                       idempotency_key=f"bench-{n}")
            state = sending.send_notice(notice.id, now=now)
            times.append((time.perf_counter() - started) * 1000)
            assert state == "sending", state
        started = time.perf_counter()
        pulled = receipts.pull()
        pull_ms = (time.perf_counter() - started) * 1000
    box_server.shutdown()
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    rows = [("notify + send_notice, one SMS (ms)", f"{statistics.median(times):.1f}", f"{p95:.1f}"),
            (f"receipts pull of {pulled['receipts']} receipts (ms, total)", f"{pull_ms:.0f}", "")]
    load = os.getloadavg()[0]
    table = ["| what | p50 | p95 |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    text = (f"# Notifications ({args.notices} notices, {args.db}, {platform.machine()}, load {load:.1f})\n\n"
            + "\n".join(table) + "\n")
    print(text)
    out = ROOT / "bench" / "results" / "notifications.md"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

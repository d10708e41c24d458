"""Capacity: N five-answer interviews arriving at a rate against M model workers; what a worker and a core sustain.

    python bench/capacity.py [--interviews 3] [--rate 30] [--gap 30] [--kinds video,audio] [--workers 1]
                             [--answer-seconds 120] [--storage local|s3]

For each kind (`video`: a 640x480 WebM with a face on camera, biometric consent and an identity photo, so every
answer gets the face checks; `audio`: an Opus WebM without video, biometrics declined) and each worker count M it
starts the WeCom sandbox, M model workers (`python -m workers.main fast scoring media playback`) and one
`fast --no-models` worker, then feeds N interviews: interview i starts at i * 3600 / `--rate` s (0 = all at once)
and uploads its five answers of `--answer-seconds` of Mandarin speech `--gap` s apart. It prints, per run:
  - five-answer interviews per hour per worker (3600 / the worker seconds the jobs of one interview took) and per
    core (3600 / the CPU seconds the model workers, their children included - ffmpeg, the RQ scheduler child -
    spent per interview: a worker that keeps 1.4 cores busy is counted as 1.4 cores),
  - queue wait (RQ enqueued -> started) of the first step (`transcribe_answer`) and of every step, p50 / p95,
  - last upload -> result card per interview, p50 / p95,
  - where a worker's time goes per answer (RQ job durations: transcribe_answer, check_video, score_answer,
    make_playback_copy, build_report),
  - the resident memory of each model worker and of its child processes (now and peak),
  - the 1-minute load average (min / mean / max sampled every few seconds: the machine may be shared).
Writes bench/results/capacity.md and capacity.json. Uses BENCH_REDIS_URL (default Redis DB 13, flushed), a
temporary SQLite database and media folder (or a fresh bucket on the SeaweedFS of scripts/services.sh --s3 with
--storage s3).
"""
import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.pipeline import five_question_job, free_port, upload, wait_for  # noqa: E402

MEDIA = ROOT / "tests" / "fixtures" / "media"
RESULTS = ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
SPEECH = ["backend_good.webm", "sales_good.webm", "backend_average.mp4", "sales_average.mp4"]
S3 = {"S3_ENDPOINT_URL": "http://127.0.0.1:8333", "S3_ACCESS_KEY": "interview-dev",
      "S3_SECRET_KEY": "interview-dev-secret", "S3_REGION": "us-east-1"}
STAGES = ("transcribe_answer", "check_video", "score_answer", "make_playback_copy", "build_report")
MIME = {"video": "video/webm;codecs=vp8,opus", "audio": "audio/webm;codecs=opus"}
TICK = os.sysconf("SC_CLK_TCK")


def long_answer(folder, seconds, kind):
    """A WebM of `seconds`: the fixture answers spoken one after another; with `kind` video, the astronaut on camera
    (640x480 VP8)."""
    out = folder / f"answer-{kind}-{seconds}s.webm"
    inputs = []
    for name in SPEECH:
        inputs += ["-i", str(MEDIA / name)]
    n = len(SPEECH)
    audio = "".join(f"[{i + 1}:a]aresample=48000,aformat=channel_layouts=mono[a{i}];" for i in range(n))
    audio += "".join(f"[a{i}]" for i in range(n)) + f"concat=n={n}:v=0:a=1,aloop=loop=-1:size=2e9[a]"
    video = ["-map", "0:v", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k"]
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(MEDIA / "face_astronaut.webm"),
                    *inputs, "-filter_complex", audio, *(video if kind == "video" else []), "-map", "[a]",
                    "-t", str(seconds), "-c:a", "libopus", "-b:a", "32k", str(out)], check=True)
    return out


def _children(pid):
    """Child pids of `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def tree(pid):
    """`pid` and all its live descendants."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def cpu_seconds(pid):
    """CPU seconds (user + system) of `pid`, its reaped children (ffmpeg runs) and its live descendants."""
    total = 0.0
    for current in tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15]) / TICK  # utime, stime, cutime, cstime
    return total


def memory_mb(pid):
    """(VmRSS, VmHWM) in MB of `pid`."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def pct(values, q):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def job_records(redis_conn, seen):
    """Add (function, queue wait s, run s) of every finished job to `seen` (by job id): RQ keeps a finished job
    only `result_ttl` (500 s), so the run reads them while it waits."""
    from rq import Queue
    from rq.job import Job
    from rq.registry import FinishedJobRegistry
    for name in ("fast", "scoring", "media", "playback"):
        registry = FinishedJobRegistry(queue=Queue(name, connection=redis_conn))
        for job in Job.fetch_many(registry.get_job_ids(), connection=redis_conn):
            if job and job.started_at and job.ended_at and job.enqueued_at:
                seen[job.id] = (job.func_name.rsplit(".", 1)[-1], (job.started_at - job.enqueued_at).total_seconds(),
                                (job.ended_at - job.started_at).total_seconds())
    return seen


def run(kind, workers, args, answer_path, tmp):
    """One measurement of `kind` (video / audio) with `workers` model workers; return its row."""
    import redis

    from app import create_app
    from app.core.db import database
    from app.core.migrations import upgrade
    from app.interview import flow as interview_flow
    from app.interview.invitations import invite_candidate
    from app.interview.result_cards import result_card_key, task_id_of

    folder = tmp / f"{kind}-workers-{workers}"
    folder.mkdir()
    redis_conn = redis.Redis.from_url(REDIS_URL)
    redis_conn.flushdb()
    sandbox_port = free_port()
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=f"sqlite:///{folder / 'bench.db'}",
               REDIS_URL=REDIS_URL, MEDIA_ROOT=str(folder / "media"), WECOM_API_BASE=f"{sandbox_url}/cgi-bin/",
               PUBLIC_BASE_URL="http://127.0.0.1:5999", RATE_LIMITS_ENABLED="0")
    if args.storage == "s3":
        bucket = f"bench-{secrets.token_hex(4)}"
        env.update(STORAGE="s3", S3_BUCKET=bucket, **S3)
    os.environ.update(env)
    app = create_app()
    if args.storage == "s3":
        from app.core.storage import get_storage
        with app.app_context():
            get_storage().ensure_bucket()
    procs, model_procs = [], []
    py = sys.executable
    log = open(folder / "workers.log", "w")
    loads = []
    try:
        with app.app_context(), database.connection_context():
            upgrade()
            job = five_question_job()
            questions = job.ordered_questions()
            tokens = []
            for i in range(args.interviews):
                interview, token = invite_candidate(job.id, "李明", f"139{workers:02d}{i:06d}")
                interview_flow.give_consent(interview.id, True, kind == "video", interview_flow.CONSENT_VERSION)
                face = (MEDIA / "astronaut.jpg").read_bytes() if kind == "video" else None
                interview_flow.verify_identity(interview.id, "李明", f"{i:06d}"[-4:], face_jpeg=face)
                interview_flow.mark_device_checked(interview.id)
                tokens.append((interview, token))
        procs.append(subprocess.Popen([py, "-m", "wecom_sandbox", "--port", str(sandbox_port), "--db",
                                       str(folder / "sandbox.db")], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([py, "-m", "workers.main", "fast", "--no-models"], env=env, cwd=ROOT,
                                      stdout=log, stderr=subprocess.STDOUT))
        for _ in range(workers):
            model_procs.append(subprocess.Popen([py, "-m", "workers.main", "fast", "scoring", "media", "playback"],
                                                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        procs += model_procs
        from rq import Worker
        wait_for(lambda: len(Worker.all(connection=redis_conn)) == workers + 1, 300, "the workers")
        wait_for(lambda: requests.get(sandbox_url + "/", timeout=2).ok, 30, "the sandbox")
        time.sleep(2)  # the workers' start-up sweep and scheduler child
        idle_memory = {p.pid: [(c, *memory_mb(c)) for c in tree(p.pid)] for p in model_procs}
        cpu_start = {p.pid: cpu_seconds(p.pid) for p in model_procs}
        # The schedule: interview i starts at i * 3600 / rate s, its answers `gap` s apart.
        spacing = 3600 / args.rate if args.rate else 0.0
        plan = sorted((i * spacing + n * args.gap, i, n) for i in range(len(tokens)) for n in range(len(questions)))
        last_upload, card_at, seen = {}, {}, {}
        peak = {}

        def poll():
            """Read finished jobs, the cards, the load average and the workers' memory."""
            job_records(redis_conn, seen)
            loads.append(os.getloadavg()[0])
            for p in model_procs:
                for c in tree(p.pid):
                    try:
                        peak[c] = max(peak.get(c, 0.0), memory_mb(c)[0])
                    except OSError:
                        pass
            for interview, _ in tokens:
                if interview.id in card_at or len(last_upload.get(interview.id, ())) < len(questions):
                    continue
                task_id = task_id_of(result_card_key(interview.application_id))
                res = requests.get(f"{sandbox_url}/sandbox/api/cards/{task_id}", params={"userid": "zhangwei"},
                                   timeout=5)
                if res.status_code == 200:
                    card_at[interview.id] = time.perf_counter()

        with app.app_context(), database.connection_context():
            start = time.perf_counter()
            last_poll = 0.0
            for at, i, n in plan:
                while time.perf_counter() - start < at:
                    if time.perf_counter() - last_poll > 2:
                        poll()
                        last_poll = time.perf_counter()
                    time.sleep(0.2)
                interview, token = tokens[i]
                upload(token, questions[n], answer_path, MIME[kind])
                last_upload.setdefault(interview.id, []).append(time.perf_counter())
            deadline = time.time() + args.timeout
            while len(card_at) < len(tokens) and time.time() < deadline:
                poll()
                time.sleep(1)
            if len(card_at) < len(tokens):
                raise TimeoutError(f"{len(tokens) - len(card_at)} cards missing after {args.timeout}s; see "
                                   f"{folder / 'workers.log'}")
            # The playback copies come after the report (playback queue): wait for them too, they are work.
            from app.interview.models import Answer

            def copies_made():
                poll()
                time.sleep(1)
                return Answer.select().where(Answer.playback_key == "").count() == 0
            wait_for(copies_made, args.timeout, "the playback copies")
            end = time.perf_counter()
        time.sleep(1)
        records = list(job_records(redis_conn, seen).values())
        cpu = sum(cpu_seconds(p.pid) - cpu_start[p.pid] for p in model_procs)
        memory = {p.pid: [(c, *memory_mb(c), peak.get(c, 0.0)) for c in tree(p.pid)] for p in model_procs}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(20)
        log.close()
    to_card = [card_at[i] - last_upload[i][-1] for i in card_at]
    interviews = len(tokens)
    by_func = {}
    for func, _, seconds in records:
        by_func.setdefault(func, []).append(seconds)
    first_waits = [wait for func, wait, _ in records if func == "transcribe_answer"]
    all_waits = [wait for func, wait, _ in records if func in STAGES]
    worker_seconds = sum(sum(by_func.get(k, [])) for k in STAGES)
    worker_mem = []
    for pid, rows in memory.items():
        main_row = next(r for r in rows if r[0] == pid)
        children = [r for r in rows if r[0] != pid]
        idle = next((r for r in idle_memory.get(pid, []) if r[0] == pid), (pid, 0.0, 0.0))
        worker_mem.append({"idle_rss_mb": idle[1], "rss_mb": main_row[1], "peak_rss_mb": main_row[2],
                           "children": [{"rss_mb": r[1], "peak_rss_mb": r[2]} for r in children]})
    return {"kind": kind, "workers": workers, "interviews": interviews, "answers": interviews * len(questions),
            "answer_seconds": args.answer_seconds, "rate_per_hour": args.rate, "gap_s": args.gap,
            "wall_all_work_s": end - start, "model_worker_cpu_s": cpu, "worker_job_s": worker_seconds,
            "per_hour_per_worker": 3600 * interviews / worker_seconds,
            "per_hour_per_core": 3600 * interviews / cpu,
            "cores_per_worker_busy": cpu / worker_seconds,
            "queue_wait_first_p50_s": pct(first_waits, 50), "queue_wait_first_p95_s": pct(first_waits, 95),
            "queue_wait_all_p50_s": pct(all_waits, 50), "queue_wait_all_p95_s": pct(all_waits, 95),
            "to_card_p50_s": pct(to_card, 50), "to_card_p95_s": pct(to_card, 95), "to_card_s": to_card,
            "stage_mean_s": {k: statistics.mean(v) for k, v in by_func.items()},
            "stage_count": {k: len(v) for k, v in by_func.items()},
            "load_min": min(loads), "load_mean": statistics.mean(loads), "load_max": max(loads),
            "memory": worker_mem}


def render(rows, args):
    lines = [f"# Capacity: five-answer interviews, answers of {args.answer_seconds} s of Mandarin speech, "
             f"storage {args.storage}", "",
             f"{os.cpu_count()} CPUs **shared with other work** (the 1-minute load average, sampled every 2 s during "
             f"each run, is in the table), {platform.machine()}, Python {platform.python_version()}, SQLite, Redis, "
             "WeCom sandbox over HTTP; each model worker is one process (`workers.main fast scoring media playback`, "
             "jobs in-process), plus one `fast --no-models` worker. `video`: a 640x480 WebM with a face, biometric "
             "consent (face checks on every answer); `audio`: Opus only, biometrics declined. Interviews arrive "
             "`rate` per hour, a candidate's answers `gap` s apart. Per worker = 3600 / the job seconds of one "
             "interview; per core = 3600 / the CPU seconds (user + system, children such as ffmpeg included) the "
             f"model workers spent per interview. Load average (1, 5, 15 min) at the bench's start "
             f"{args.load_start}, at its end {args.load_end}.", "",
             "| kind | model workers | interviews (rate/h, gap s) | per hour per worker | per hour per core (CPU) "
             "| cores busy per worker | queue wait 1st step p50 / p95 s | queue wait any step p50 / p95 s "
             "| last upload -> card p50 / p95 s | arrival rate / per-worker rate | load 1 min min / mean / max |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['workers']} | {r['interviews']} ({r['rate_per_hour']:g}, {r['gap_s']:g}) "
                     f"| {r['per_hour_per_worker']:.1f} | {r['per_hour_per_core']:.1f} "
                     f"| {r['cores_per_worker_busy']:.2f} "
                     f"| {r['queue_wait_first_p50_s']:.1f} / {r['queue_wait_first_p95_s']:.1f} "
                     f"| {r['queue_wait_all_p50_s']:.1f} / {r['queue_wait_all_p95_s']:.1f} "
                     f"| {r['to_card_p50_s']:.1f} / {r['to_card_p95_s']:.1f} "
                     f"| {r['rate_per_hour'] / (r['per_hour_per_worker'] * r['workers']):.0%} "
                     f"| {r['load_min']:.1f} / {r['load_mean']:.1f} / {r['load_max']:.1f} |")
    lines += ["", "Where a worker's time goes, per answer (mean seconds of each job; build_report is enqueued after "
              "every answer and builds once):", "",
              "| kind | model workers | " + " | ".join(STAGES) + " | job s per interview | CPU s per interview |",
              "|---|---|" + "---|" * (len(STAGES) + 2)]
    for r in rows:
        means = [r["stage_mean_s"].get(k, 0.0) for k in STAGES]
        lines.append(f"| {r['kind']} | {r['workers']} | " + " | ".join(f"{m:.2f}" for m in means)
                     + f" | {r['worker_job_s'] / r['interviews']:.1f} "
                     f"| {r['model_worker_cpu_s'] / r['interviews']:.1f} |")
    lines += ["", "Memory of each model worker (MB resident; idle = models loaded, before the first job; the "
              "children are the RQ scheduler process each worker forks):", "",
              "| kind | worker | idle RSS | RSS at end | peak RSS | children RSS at end (peak) |",
              "|---|---|---|---|---|---|"]
    for r in rows:
        for n, m in enumerate(r["memory"], 1):
            kids = ", ".join(f"{c['rss_mb']:.0f} ({c['peak_rss_mb']:.0f})" for c in m["children"]) or "-"
            lines.append(f"| {r['kind']} | {n} | {m['idle_rss_mb']:.0f} | {m['rss_mb']:.0f} | {m['peak_rss_mb']:.0f} "
                         f"| {kids} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=3)
    parser.add_argument("--rate", default="30", help="interviews arriving per hour (0 = all at once); per kind: "
                        "video=26,audio=47")
    parser.add_argument("--gap", type=float, default=30.0, help="seconds between a candidate's answers")
    parser.add_argument("--kinds", default="video,audio", help="comma-separated: video, audio")
    parser.add_argument("--workers", default="1", help="comma-separated model worker counts to measure")
    parser.add_argument("--answer-seconds", type=int, default=120)
    parser.add_argument("--storage", choices=("local", "s3"), default="local")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    args.load_start = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at start {args.load_start}", flush=True)
    rates = dict(part.split("=") for part in args.rate.split(",")) if "=" in args.rate else {}
    tmp = Path(tempfile.mkdtemp(prefix="bench-capacity-"))
    rows = []
    for kind in args.kinds.split(","):
        answer_path = long_answer(tmp, args.answer_seconds, kind)
        for workers in (int(w) for w in args.workers.split(",")):
            args_kind = argparse.Namespace(**{**vars(args), "rate": float(rates.get(kind, args.rate))})
            row = run(kind, workers, args_kind, answer_path, tmp)
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "to_card_s"}, default=str), flush=True)
    args.load_end = [round(x, 2) for x in os.getloadavg()]
    text = render(rows, args)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "capacity.md").write_text(text, encoding="utf-8")
    (RESULTS / "capacity.json").write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1),
                                           encoding="utf-8")


if __name__ == "__main__":
    main()

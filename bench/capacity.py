"""Capacity: K concurrent five-answer interviews against M model workers; what one worker core sustains.

    python bench/capacity.py [--interviews 4] [--workers 1,2] [--answer-seconds 120] [--gap 0] [--storage local|s3]

For each worker count M it starts the WeCom sandbox, M model workers
(`python -m workers.main fast scoring media playback`, one core each in production) and one `fast --no-models`
worker, then feeds K interviews: every candidate consents with biometrics, verifies with a face photo and uploads
five answers (a WebM with a face on camera and `--answer-seconds` of Mandarin speech; `--gap` seconds between one
candidate's answers, 0 = everyone finished at once, the worst case of a hiring day). It reports, per M:
  - answers per minute per worker (all answers / minutes from the first upload to the last card / M),
  - queue wait of the answers' first step (RQ enqueued -> started), p50 / p95,
  - last upload -> result card per interview, p50 / p95,
  - where a worker's time goes per answer (RQ job durations: transcription, video checks, scoring, playback copy).
Writes bench/results/capacity.md and capacity.json. Uses Redis DB 12 (flushed), a temporary SQLite database and
media folder (or a fresh bucket on the SeaweedFS of scripts/services.sh --s3 with --storage s3).
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
REDIS_URL = "redis://127.0.0.1:6379/12"
SPEECH = ["backend_good.webm", "sales_good.webm", "backend_average.mp4", "sales_average.mp4"]
S3 = {"S3_ENDPOINT_URL": "http://127.0.0.1:8333", "S3_ACCESS_KEY": "interview-dev",
      "S3_SECRET_KEY": "interview-dev-secret", "S3_REGION": "us-east-1"}


def long_answer(folder, seconds):
    """A 640x480 VP8/Opus WebM of `seconds`: the astronaut on camera, the fixture answers spoken one after another."""
    out = folder / f"answer-{seconds}s.webm"
    inputs = []
    for name in SPEECH:
        inputs += ["-i", str(MEDIA / name)]
    n = len(SPEECH)
    audio = "".join(f"[{i + 1}:a]aresample=48000,aformat=channel_layouts=mono[a{i}];" for i in range(n))
    audio += "".join(f"[a{i}]" for i in range(n)) + f"concat=n={n}:v=0:a=1,aloop=loop=-1:size=2e9[a]"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(MEDIA / "face_astronaut.webm"),
                    *inputs, "-filter_complex", audio, "-map", "0:v", "-map", "[a]", "-t", str(seconds),
                    "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k", "-c:a", "libopus",
                    "-b:a", "32k", str(out)], check=True)
    return out


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


def run(workers, args, answer_path, tmp):
    """One measurement with `workers` model workers; return its row."""
    import redis

    from app import create_app
    from app.core.db import database
    from app.core.migrations import upgrade
    from app.interview import flow as interview_flow
    from app.interview.invitations import invite_candidate
    from app.interview.result_cards import result_task_id

    folder = tmp / f"workers-{workers}"
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
    procs = []
    py = sys.executable
    log = open(folder / "workers.log", "w")
    try:
        with app.app_context(), database.connection_context():
            upgrade()
            job = five_question_job()
            questions = job.ordered_questions()
            tokens = []
            for i in range(args.interviews):
                interview, token = invite_candidate(job.id, "李明", f"139{workers:02d}{i:06d}")
                interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
                interview_flow.verify_identity(interview.id, "李明", f"{i:06d}"[-4:],
                                               face_jpeg=(MEDIA / "astronaut.jpg").read_bytes())
                interview_flow.mark_device_checked(interview.id)
                tokens.append((interview, token))
        procs.append(subprocess.Popen([py, "-m", "wecom_sandbox", "--port", str(sandbox_port), "--db",
                                       str(folder / "sandbox.db")], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([py, "-m", "workers.main", "fast", "--no-models"], env=env, cwd=ROOT,
                                      stdout=log, stderr=subprocess.STDOUT))
        for _ in range(workers):
            procs.append(subprocess.Popen([py, "-m", "workers.main", "fast", "scoring", "media", "playback"], env=env,
                                          cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        from rq import Worker
        wait_for(lambda: len(Worker.all(connection=redis_conn)) == workers + 1, 300, "the workers")
        wait_for(lambda: requests.get(sandbox_url + "/", timeout=2).ok, 30, "the sandbox")
        last_upload = {}
        with app.app_context(), database.connection_context():
            start = time.perf_counter()
            # Round robin: every candidate's answer 1, then every answer 2... (`--gap` s between rounds).
            for n, question in enumerate(questions):
                if n and args.gap:
                    time.sleep(args.gap)
                for interview, token in tokens:
                    upload(token, question, answer_path, "video/webm;codecs=vp8,opus")
                    last_upload[interview.id] = time.perf_counter()
            card_at, seen = {}, {}
            deadline = time.time() + args.timeout
            while len(card_at) < len(tokens) and time.time() < deadline:
                for interview, _ in tokens:
                    if interview.id in card_at:
                        continue
                    task_id = result_task_id(interview.application_id)
                    res = requests.get(f"{sandbox_url}/sandbox/api/cards/{task_id}", params={"userid": "zhangwei"},
                                       timeout=5)
                    if res.status_code == 200:
                        card_at[interview.id] = time.perf_counter()
                job_records(redis_conn, seen)
                time.sleep(0.5)
            if len(card_at) < len(tokens):
                raise TimeoutError(f"{len(tokens) - len(card_at)} cards missing after {args.timeout}s; see "
                                   f"{folder / 'workers.log'}")
            # The playback copies come after the report (playback queue): wait for them too, they are work.
            from app.interview.models import Answer
            def copies_made():
                job_records(redis_conn, seen)
                return Answer.select().where(Answer.playback_key == "").count() == 0
            wait_for(copies_made, args.timeout, "the playback copies")
            end = time.perf_counter()
        time.sleep(1)
        records = list(job_records(redis_conn, seen).values())
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(20)
        log.close()
    to_card = [card_at[i] - last_upload[i] for i in card_at]
    answers = len(tokens) * len(questions)
    wall_cards = max(card_at.values()) - start
    by_func = {}
    for func, _, seconds in records:
        by_func.setdefault(func, []).append(seconds)
    waits = [wait for func, wait, _ in records if func == "process_answer"]
    return {"workers": workers, "interviews": len(tokens), "answers": answers, "answer_seconds": args.answer_seconds,
            "wall_to_last_card_s": wall_cards, "wall_all_work_s": end - start,
            "answers_per_min_per_worker": answers / ((end - start) / 60) / workers,
            "queue_wait_p50_s": pct(waits, 50), "queue_wait_p95_s": pct(waits, 95),
            "to_card_p50_s": pct(to_card, 50), "to_card_p95_s": pct(to_card, 95), "to_card_s": to_card,
            "stage_mean_s": {k: statistics.mean(v) for k, v in by_func.items()},
            "stage_count": {k: len(v) for k, v in by_func.items()}}


def render(rows, args):
    per_answer = ("process_answer", "analyse_video", "score_answer", "prepare_playback")
    lines = [f"# Capacity: {args.interviews} concurrent five-answer interviews, answers of {args.answer_seconds} s "
             f"(video with a face + Mandarin speech), gap {args.gap} s, storage {args.storage}", "",
             f"{os.cpu_count()} CPUs (shared with other work: load average at end "
             f"{[round(x, 2) for x in os.getloadavg()]}), Python {platform.python_version()}, SQLite, Redis, "
             "WeCom sandbox over HTTP; each model worker is one process (`workers.main`, jobs in-process), plus one "
             "`fast --no-models` worker.", "",
             "| model workers | interviews | answers | answers/min/worker | queue wait p50 / p95 s "
             "| last upload -> card p50 / p95 s | first upload -> all work done s |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['workers']} | {r['interviews']} | {r['answers']} | {r['answers_per_min_per_worker']:.2f} "
                     f"| {r['queue_wait_p50_s']:.1f} / {r['queue_wait_p95_s']:.1f} "
                     f"| {r['to_card_p50_s']:.1f} / {r['to_card_p95_s']:.1f} | {r['wall_all_work_s']:.0f} |")
    lines += ["", "Where a worker's time goes, per answer (mean seconds of each job):", "",
              "| model workers | transcription (process_answer) | video checks (analyse_video) | scoring "
              "| playback copy (prepare_playback) | sum per answer | => five-answer interviews per hour per worker |",
              "|---|---|---|---|---|---|---|"]
    for r in rows:
        means = [r["stage_mean_s"].get(k, 0.0) for k in per_answer]
        total = sum(means)
        lines.append(f"| {r['workers']} | " + " | ".join(f"{m:.1f}" for m in means)
                     + f" | {total:.1f} | {3600 / (5 * total):.1f} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=4)
    parser.add_argument("--workers", default="1,2", help="comma-separated model worker counts to measure")
    parser.add_argument("--answer-seconds", type=int, default=120)
    parser.add_argument("--gap", type=float, default=0.0, help="seconds between a candidate's answers")
    parser.add_argument("--storage", choices=("local", "s3"), default="local")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-capacity-"))
    answer_path = long_answer(tmp, args.answer_seconds)
    rows = []
    for workers in (int(w) for w in args.workers.split(",")):
        row = run(workers, args, answer_path, tmp)
        rows.append(row)
        print(json.dumps({k: v for k, v in row.items() if k != "to_card_s"}, default=str), flush=True)
    text = render(rows, args)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "capacity.md").write_text(text, encoding="utf-8")
    (RESULTS / "capacity.json").write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1),
                                           encoding="utf-8")


if __name__ == "__main__":
    main()

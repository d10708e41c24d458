"""End to end: from a candidate's last upload to the result card on the manager's sandbox phone.

Starts the WeCom sandbox and real RQ worker processes (`python -m workers.main`: one on the fast queue,
`--model-workers` with the models on fast, scoring, media, playback), uploads a 5-answer interview through the
real upload service and times, per run:
  - "paced": answers arrive one by one and each is processed before the next one arrives (a real interview,
    where thinking and answering take longer than the workers need): last upload -> card;
  - "burst": all five arrive at once (a backlog): last upload -> card;
and the per-stage worker timings read back from RQ's job records.

    python bench/pipeline.py [--runs 2] [--model-workers 1]   # prints a Markdown table, writes
                                                              # bench/results/pipeline[-<N>workers].{md,json}

The playback copies are made after the report, on the lowest-priority queue: the card does not wait for them.
"""
import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEDIA = ROOT / "tests" / "fixtures" / "media"
RESULTS = ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
CLIPS = [("backend_good.webm", "audio/webm"), ("backend_average.mp4", "video/mp4"),
         ("backend_poor.ogg", "audio/ogg"), ("face", "video/webm"), ("sales_good.webm", "audio/webm")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def face_answer(folder):
    """A 20 s WebM with the astronaut on camera speaking a good answer."""
    out = folder / "face.webm"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", str(MEDIA / "face_astronaut.webm"),
                    "-i", str(MEDIA / "backend_good.webm"), "-map", "0:v", "-map", "1:a", "-t", "20",
                    "-c:v", "libvpx", "-b:v", "300k", "-c:a", "libopus", str(out)], check=True)
    return out


def five_question_job():
    from app.screening.job_templates import import_template
    data = yaml.safe_load((ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    data["title"] = f"后端开发工程师 bench {time.time():.0f}"
    data["questions"].append({"text": "你为什么想加入我们?", "dimensions": ["语言表达", "岗位匹配度"]})
    return import_template(yaml.safe_dump(data, allow_unicode=True))


def upload(token, question, path, mime):
    from app.interview import uploads
    data = Path(path).read_bytes()
    up = uploads.init_upload(token, question.id, 1, mime, len(data))
    size = uploads.describe(up)["chunk_bytes"]
    for i in range((len(data) + size - 1) // size):
        uploads.put_chunk(token, up.id, i, data[i * size:(i + 1) * size])
    return uploads.complete_upload(token, up.id)[0]


def wait_for(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


def run_interview(job, face, sandbox_url, paced, index):
    """Upload five answers; return seconds from the last upload's completion to the card in the sandbox."""
    from app.interview import flow as interview_flow
    from app.interview.invitations import invite_candidate
    from app.interview.models import Answer
    from app.interview.result_cards import result_card_key, task_id_of

    interview, token = invite_candidate(job.id, "李明", f"1380000{index:04d}")
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    face_jpeg = (MEDIA / "astronaut.jpg").read_bytes()
    interview_flow.verify_identity(interview.id, "李明", f"{index:04d}", face_jpeg=face_jpeg)
    interview_flow.mark_device_checked(interview.id)
    questions = job.ordered_questions()
    for n, (question, (clip, mime)) in enumerate(zip(questions, CLIPS, strict=True)):
        answer = upload(token, question, face if clip == "face" else MEDIA / clip, mime)
        last_done = time.perf_counter()
        if paced and n < len(questions) - 1:
            wait_for(lambda a=answer.id: Answer.get_by_id(a).status == "scored", 300, f"answer {answer.id} scored")
    key = result_card_key(interview.application_id)

    def card_seen():
        res = requests.get(f"{sandbox_url}/sandbox/api/cards/{task_id_of(key)}", params={"userid": "zhangwei"},
                           timeout=5)
        return res.status_code == 200
    wait_for(card_seen, 600, "the result card")
    seconds = time.perf_counter() - last_done
    time.sleep(0.5)  # let the card job record its end before the stage timings are read
    return seconds


def stage_timings(redis_conn):
    """Seconds each job kind ran, from RQ's finished job records."""
    from rq import Queue
    from rq.job import Job
    from rq.registry import FinishedJobRegistry
    per_func = {}
    for name in ("fast", "scoring", "media", "playback"):
        registry = FinishedJobRegistry(queue=Queue(name, connection=redis_conn))
        for job in Job.fetch_many(registry.get_job_ids(), connection=redis_conn):
            if job and job.started_at and job.ended_at:
                per_func.setdefault(job.func_name.rsplit(".", 1)[-1], []).append(
                    (job.ended_at - job.started_at).total_seconds())
    return per_func


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--model-workers", type=int, default=1, help="model workers (the answers of a burst are "
                        "processed in parallel on as many)")
    args = parser.parse_args()
    load_start = [round(x, 2) for x in os.getloadavg()]
    print(f"load average at start {load_start}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    sandbox_port = free_port()
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}", REDIS_URL=REDIS_URL,
               MEDIA_ROOT=str(tmp / "media"), WECOM_API_BASE=f"{sandbox_url}/cgi-bin/",
               PUBLIC_BASE_URL="http://127.0.0.1:5999")
    os.environ.update(env)
    import redis

    from app import create_app
    from app.core.db import database
    from app.core.migrations import upgrade
    redis_conn = redis.Redis.from_url(REDIS_URL)
    redis_conn.flushdb()
    app = create_app()
    procs = []
    try:
        with app.app_context(), database.connection_context():
            upgrade()
            job = five_question_job()
            face = face_answer(tmp)
        py = sys.executable
        procs.append(subprocess.Popen([py, "-m", "wecom_sandbox", "--port", str(sandbox_port), "--db",
                                       str(tmp / "sandbox.db")], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        log = open(tmp / "workers.log", "w")
        procs.append(subprocess.Popen([py, "-m", "workers.main", "fast", "--no-models"], env=env, cwd=ROOT,
                                      stdout=log, stderr=subprocess.STDOUT))
        for _ in range(args.model_workers):
            procs.append(subprocess.Popen([py, "-m", "workers.main", "fast", "scoring", "media", "playback"], env=env,
                                          cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
        from rq import Worker
        wait_for(lambda: len(Worker.all(connection=redis_conn)) == 1 + args.model_workers, 180, "the workers")
        wait_for(lambda: requests.get(sandbox_url + "/", timeout=2).ok, 30, "the sandbox")
        rows = {"paced": [], "burst": []}
        loads = {"paced": [], "burst": []}
        with app.app_context(), database.connection_context():
            for run in range(args.runs):
                for mode in ("paced", "burst"):
                    loads[mode].append(os.getloadavg()[0])
                    seconds = run_interview(job, face, sandbox_url, mode == "paced", run * 2 + (mode == "burst"))
                    rows[mode].append(seconds)
                    print(f"run {run + 1} {mode}: last upload -> card {seconds:.2f} s", flush=True)
        stages = stage_timings(redis_conn)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)
    load_end = [round(x, 2) for x in os.getloadavg()]
    lines = [f"# Pipeline: last upload -> result card ({args.runs} runs each, {platform.processor() or 'cpu'}, "
             f"{os.cpu_count()} cores)", "",
             "5-answer interview: 4 audio-only clips (webm, mp4, ogg, webm; 21-39 s) and 1 WebM video (20 s) with face "
             f"checks against the identity photo; {args.model_workers} models worker(s) (in-process jobs) + one fast "
             "worker, SQLite, WeCom sandbox over HTTP. Paced = each answer processed before the next arrives. The "
             "playback copies run after the report on the playback queue (not part of upload -> card). The machine "
             "is shared with other work: the 1-minute load average at the start of each run is printed; load "
             f"average (1, 5, 15 min) at the bench's start {load_start}, at its end {load_end}.", "",
             "| mode | runs | median s | max s | load 1 min at start |", "|---|---|---|---|---|"]
    for mode, values in rows.items():
        lines.append(f"| {mode} | {len(values)} | {statistics.median(values):.2f} | {max(values):.2f} | "
                     f"{', '.join(f'{x:.1f}' for x in loads[mode])} |")
    lines += ["", "| job | count | mean s | max s |", "|---|---|---|---|"]
    for name, values in sorted(stages.items()):
        lines.append(f"| {name} | {len(values)} | {statistics.mean(values):.2f} | {max(values):.2f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "pipeline" if args.model_workers == 1 else f"pipeline-{args.model_workers}workers"
    (RESULTS / f"{name}.md").write_text(table, encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(json.dumps({"runs": rows, "loads": loads, "load_start": load_start,
                                                      "load_end": load_end, "stages": stages}, indent=1),
                                          encoding="utf-8")


if __name__ == "__main__":
    main()

"""What a view of the report page asks the media store when questions failed analysis, on a real S3 server.

    bash scripts/services.sh --s3             # SeaweedFS on 127.0.0.1:8333 (S3_PORT to change it)
    python bench/report_storage.py [--runs 20] [--s3-url http://127.0.0.1:8333] [--name report_storage]
    # prints a table, writes bench/results/<name>.md

For interviews of an eight-question job where 0, 1, 4 and 8 questions failed analysis for good (their recordings
stored), it counts the HTTP requests the page's view sends to the S3 server (botocore's own send events on the
store's client) and times the view through the Flask test client (median and p95 of --runs views, after one
warm-up). The page says 录音文件缺失 when a failed question's recording is gone; it used to ask the store once per
failed question (a HEAD each), it now lists the interview's folder once. Uses Redis DB 12 (flushed), a temporary
SQLite database and a new bucket, removed at the end. bench/results/report_storage-before.md is this script run on
the code before the change (one lookup per failed question); the timings are of a shared 2-core machine, the request
counts are exact.
"""
import argparse
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
REDIS_URL = "redis://127.0.0.1:6379/12"
CREDENTIALS = {"S3_ACCESS_KEY": "interview-dev", "S3_SECRET_KEY": "interview-dev-secret", "S3_REGION": "us-east-1"}
FAILED = (0, 1, 4, 8)


def eight_question_job():
    from app.screening.job_templates import import_template
    data = yaml.safe_load((ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8"))
    data["questions"] = (data["questions"] * 2)[:8]
    return import_template(yaml.safe_dump(data, allow_unicode=True))


def seed(job, failed):
    """A completed interview of `job` whose first `failed` questions failed analysis for good, the others scored 70;
    every recording stored. Returns its report's id."""
    from app.core import pipeline
    from app.core.base import utcnow
    from app.core.storage import get_storage
    from app.interview import answer_jobs, reports
    from app.interview import flow as interview_flow
    from app.interview.invitations import invite_candidate
    from app.interview.models import Answer, AnswerStatus, Interview
    interview, _ = invite_candidate(job.id, f"李明{failed}", f"1380000{failed:04d}")
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    gave_up = []
    for question in job.ordered_questions():
        key = f"answers/{interview.id}/{question.id}.webm"
        get_storage().save(key, b"\x1a\x45\xdf\xa3 recording %d" % question.position)
        answer = Answer.create(interview=interview, question=question, media_key=key, mime_type="video/webm",
                               has_video=True, duration_s=40.0)
        if question.position < failed:
            gave_up.append(answer.id)
            continue
        dims = {d: {"score": 70, "level": 3, "reasons": []} for d in question.dimension_names}
        Answer.update(status=AnswerStatus.SCORED, transcript={"text": "我负责订单系统的慢查询优化。", "segments": []},
                      video={"flags": [], "identity": {"verdict": "same"}},
                      scores={"dimensions": dims, "model_version": "t"}).where(Answer.id == answer.id).execute()
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    for answer_id in gave_up:
        answer_jobs.answer_failed(answer_id, "RuntimeError: ffmpeg exited with 1", True)
    return reports.build_report(interview.id).id


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--s3-url", default="http://127.0.0.1:8333")
    parser.add_argument("--name", default="report_storage", help="results file name (e.g. report_storage-before)")
    args = parser.parse_args()

    import boto3
    import redis

    sys.path.insert(0, str(ROOT / "bench"))
    from upload import prepare_app
    redis.Redis.from_url(REDIS_URL).flushdb()
    bucket = f"bench-report-{secrets.token_hex(4)}"
    s3 = boto3.client("s3", endpoint_url=args.s3_url, aws_access_key_id=CREDENTIALS["S3_ACCESS_KEY"],
                      aws_secret_access_key=CREDENTIALS["S3_SECRET_KEY"], region_name=CREDENTIALS["S3_REGION"])
    s3.create_bucket(Bucket=bucket)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = {"APP_ENV": "development", "SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                      "REDIS_URL": REDIS_URL, "MEDIA_ROOT": f"{tmp}/media", "PUBLIC_BASE_URL": "http://127.0.0.1",
                      "STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": args.s3_url, **CREDENTIALS}
            app = prepare_app(config)
            from app.core.db import database
            from app.core.storage import get_storage
            from tests.support.reports import sign_in_as
            with app.app_context(), database.connection_context():
                job = eight_question_job()
                reports = {failed: seed(job, failed) for failed in FAILED}
                client = app.test_client()
                sign_in_as(client, "hr_lina")
                sent = []
                get_storage().client.meta.events.register("before-send.s3", lambda request, **_: sent.append(
                    request.method))
                for failed, report_id in reports.items():
                    url = f"/m/reports/{report_id}"
                    assert client.get(url).status_code == 200   # warm-up
                    sent.clear()
                    times = []
                    for _ in range(args.runs):
                        start = time.perf_counter()
                        res = client.get(url)
                        times.append((time.perf_counter() - start) * 1000)
                        assert res.status_code == 200 and "录音文件缺失" not in res.get_data(as_text=True)
                    per_view = len(sent) / args.runs
                    kinds = ", ".join(f"{m} {sent.count(m) // args.runs}" for m in sorted(set(sent))) or "none"
                    rows.append((failed, per_view, kinds, statistics.median(times), pct(times, 0.95)))
    finally:
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                s3.delete_object(Bucket=bucket, Key=item["Key"])
        s3.delete_bucket(Bucket=bucket)

    lines = [f"# Report page and the media store ({args.name})", "",
             f"{platform.python_version()} on {platform.machine()}, SeaweedFS S3 on loopback, SQLite, "
             f"{args.runs} views each after one warm-up, Flask test client.", "",
             "| failed questions (of 8) | S3 requests per view | of which | median ms | p95 ms |",
             "|---:|---:|---|---:|---:|"]
    lines += [f"| {f} | {n:g} | {kinds} | {med:.1f} | {p95:.1f} |" for f, n, kinds, med, p95 in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.name}.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()

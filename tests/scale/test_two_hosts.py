"""Production on several machines, played on one: two web processes (gunicorn) and two workers (python -m
workers.main with the real models), each in its own working directory with its own MEDIA_ROOT (no shared disk),
against one PostgreSQL database, one Redis database and one S3 bucket (SeaweedFS). A candidate's whole interview
goes through the HTTP API, its upload chunks alternating between web A and web B (no sticky sessions); the workers
transcribe, check faces, score and send the result card to the manager in the WeCom sandbox; the manager's report
media is then served by web B from the bucket with a Range request.

No timing is asserted: every wait is bounded and fails saying what it waited for, with the processes' logs.
"""
import base64
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from rq import Queue
from rq.registry import FailedJobRegistry

from app.core.models import Application
from app.core.queues import ALL_QUEUES
from app.core.storage import get_storage
from app.interview.flow import CONSENT_VERSION
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Interview, QuestionStart, Report
from app.interview.result_cards import result_card_key, task_id_of
from tests.support.app import POSTGRES_TEST_URL, REDIS_TEST_URL, ROOT, make_app
from tests.support.interviews import two_question_job
from tests.support.media import MEDIA
from tests.support.servers import free_port
from tests.support.wecom import CORP, start_sandbox

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

SECRET = "two-hosts-test-secret-0123456789abcdefghijkl"  # every web host of a deployment shares SECRET_KEY
NAME, PHONE = "李雷", "13812345678"


class Host:
    """One 'machine': a process with its own working directory and MEDIA_ROOT."""

    def __init__(self, name, folder, argv, env):
        self.name, self.folder = name, folder
        folder.mkdir(parents=True)
        self.log_path = folder / "process.log"
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(argv, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()

    def log_tail(self, chars=3000):
        return f"--- {self.name} ---\n" + self.log_path.read_text(errors="replace")[-chars:]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def host_env(folder, s3_settings, public_url, sandbox_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "STORAGE", "MEDIA_ROOT"))}
    env.update({
        "PYTHONPATH": str(ROOT), "APP_ENV": "development", "SECRET_KEY": SECRET,
        "DATABASE_URL": POSTGRES_TEST_URL, "REDIS_URL": REDIS_TEST_URL, "MEDIA_ROOT": str(folder / "media"),
        "PUBLIC_BASE_URL": public_url, "WECOM_API_BASE": f"{sandbox_url}/cgi-bin/", "WECOM_SANDBOX": "1",
        "HR_USERIDS": "hr_lina", "UPLOAD_CHUNK_BYTES": str(64 * 1024), "RATE_LIMITS_ENABLED": "0",
        **{k: str(v) for k, v in CORP.items()}, **{k: str(v) for k, v in s3_settings.items()},
    })
    return env


def wait_for(what, predicate, timeout, hosts):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        dead = [h for h in hosts if h.proc.poll() is not None]
        if dead:
            pytest.fail(f"{dead[0].name} exited while waiting for {what}\n" + dead[0].log_tail())
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n" + "\n".join(h.log_tail() for h in hosts))


def healthy(url):
    try:
        return requests.get(url + "/readyz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def api(method, url, token, **kwargs):
    res = requests.request(method, url, headers={"Authorization": f"Bearer {token}"}, timeout=60, **kwargs)
    assert res.status_code < 400, (method, url, res.status_code, res.text[:500])
    return res.json()


@pytest.fixture
def deployment(tmp_path, redis_conn, s3_settings):
    """The database schema (made here), the sandbox, web A, web B, worker 1 and worker 2 as separate processes."""
    app = make_app(tmp_path / "admin", db="postgresql", SECRET_KEY=SECRET, **s3_settings)
    web_ports = [free_port(), free_port()]
    urls = [f"http://127.0.0.1:{p}" for p in web_ports]
    box = start_sandbox(tmp_path, callback_url=f"{urls[0]}/wecom/callback")
    hosts = []
    try:
        for name, port in zip(("web-a", "web-b"), web_ports, strict=True):
            folder = tmp_path / name
            hosts.append(Host(name, folder, [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config/gunicorn.py"),
                                             "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4",
                                             "--access-logfile", "/dev/null", "wsgi:app"],
                              host_env(folder, s3_settings, urls[0], box.url)))
        for name in ("worker-1", "worker-2"):
            folder = tmp_path / name
            hosts.append(Host(name, folder, [sys.executable, "-m", "workers.main", *ALL_QUEUES],
                              host_env(folder, s3_settings, urls[0], box.url)))
        for url in urls:
            wait_for(f"{url}/readyz", lambda u=url: healthy(u), 60, hosts)
        from rq import Worker
        wait_for("two workers registered in Redis", lambda: len(Worker.all(connection=redis_conn)) >= 2, 180, hosts)
        with app.app_context():
            from app.core.db import database
            with database.connection_context():
                yield app, urls, box, hosts, tmp_path
    finally:
        for host in hosts:
            host.stop()
        box.stop()


def shown_earlier(interview, question, seconds):
    """As if the question had been on screen `seconds` before the upload (the candidate recorded the clip live)."""
    for row in QuestionStart.select().where((QuestionStart.interview == interview.id)
                                            & (QuestionStart.question == question.id)):
        QuestionStart.update(shown_at=row.shown_at - dt.timedelta(seconds=seconds)).where(
            QuestionStart.id == row.id).execute()


def upload_across_hosts(urls, token, question_id, path, mime):
    """init on one host, chunks alternating between both, status on the other, complete on the second."""
    data = Path(path).read_bytes()
    up = api("post", f"{urls[0]}/mp/api/v1/uploads", token,
             json={"question_id": question_id, "attempt": 1, "mime_type": mime, "total_bytes": len(data)})
    size, total = up["chunk_bytes"], up["total_chunks"]
    assert total >= 2, "the clip must span several chunks to cross hosts"
    for index in range(total):
        api("put", f"{urls[index % 2]}/mp/api/v1/uploads/{up['upload_id']}/chunks/{index}", token,
            data=data[index * size:(index + 1) * size])
    status = api("get", f"{urls[1]}/mp/api/v1/uploads/{up['upload_id']}", token)
    assert status["missing"] == [] and status["received"] == list(range(total))  # B sees A's chunks
    return api("post", f"{urls[1]}/mp/api/v1/uploads/{up['upload_id']}/complete", token)["answer"]


def test_two_web_hosts_two_workers_no_shared_disk(deployment, answer_with_face, redis_conn, s3_settings):
    app, urls, box, hosts, tmp_path = deployment
    job = two_question_job()
    interview, token = invite_candidate(job.id, NAME, PHONE)

    # The candidate, through web A and web B in turn (as a load balancer would send them).
    base = [f"{u}/mp/api/v1" for u in urls]
    api("post", f"{base[0]}/consent", token, json={"recording": True, "biometric": True,
                                                   "text_version": CONSENT_VERSION})
    face = base64.b64encode((MEDIA / "astronaut.jpg").read_bytes()).decode()
    api("post", f"{base[1]}/identity", token, json={"name": NAME, "phone_last4": PHONE[-4:],
                                                     "face_jpeg_base64": face})
    api("post", f"{base[0]}/device-check", token)
    clips = [(answer_with_face, "video/webm;codecs=vp8,opus"), (MEDIA / "backend_average.mp4", "video/mp4")]
    for n, (question, (clip, mime)) in enumerate(zip(job.ordered_questions(), clips, strict=True)):
        api("post", f"{base[n % 2]}/questions/{question.id}/start", token, json={"attempt": 1})
        api("post", f"{base[(n + 1) % 2]}/questions/{question.id}/start", token,
            json={"attempt": 1, "recording": True})
        shown_earlier(interview, question, seconds=question.answer_seconds)
        answer = upload_across_hosts(urls, token, question.id, clip, mime)
        assert answer["duration_s"] > 5
    assert Interview.get_by_id(interview.id).status == "completed"

    # The workers (own folders, models loaded) take it from there, down to the card on the manager's phone.
    key = result_card_key(interview.application_id)
    card = wait_for("the result card on zhangwei's sandbox phone", lambda: box.card(task_id_of(key), "zhangwei"), 420,
                    hosts)
    queues = [Queue(name, connection=redis_conn) for name in ALL_QUEUES]
    failed = {q.name: FailedJobRegistry(queue=q).get_job_ids() for q in queues}
    assert not any(failed.values()), failed
    report = Report.get(Report.interview == interview.id)
    assert Application.get_by_id(interview.application_id).stage == "ai_scored"
    horizontal = {item["keyname"]: item["value"] for item in card["card"]["horizontal_content_list"]}
    assert horizontal["总分"].startswith(f"{report.total:.1f}")
    answers = list(Answer.select().where(Answer.interview == interview.id).order_by(Answer.question))
    assert len(answers) == 2
    for answer in answers:
        assert answer.status == "scored", (answer.id, answer.status, answer.error)
        assert answer.transcript and len(answer.transcript["text"]) >= 10, answer.transcript
    assert answers[0].video["identity"]["verdict"] == "same", answers[0].video

    # The playback copy is made on the playback queue, after the report: wait for it, bounded.
    def copies_made():
        return all(Answer.get_by_id(a.id).playback_key for a in answers)
    wait_for("both playback copies", copies_made, 240, hosts)

    # Everything is in the bucket; no host kept a recording on its own disk (each has only its empty scratch).
    store = get_storage()
    for answer in Answer.select().where(Answer.interview == interview.id):
        for key in (answer.media_key, answer.playback_key):
            assert store.exists(key), key
    assert store.exists(Interview.get_by_id(interview.id).reference_image)
    for host in hosts:
        kept = [p for p in (host.folder / "media").rglob("*") if p.is_file()]
        assert kept == [], (host.name, kept)

    # The manager, signed in on web B (same SECRET_KEY, sessions in Redis), seeks in an answer's video.
    from app.core import staff_sessions
    from app.core.staff import sign_in
    sign_in("zhangwei", "张伟")
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"staff_userid": "zhangwei", "staff_sid": staff_sessions.start("zhangwei")})
    with requests.Session() as staff:
        staff.cookies.set(app.config.get("SESSION_COOKIE_NAME", "session"), cookie)
        page = staff.get(f"{urls[1]}/m/reports/{report.id}", timeout=30)
        assert page.status_code == 200 and NAME in page.text
        media = staff.get(f"{urls[1]}/m/reports/media/{answers[0].id}", headers={"Range": "bytes=0-1023"},
                          timeout=30)
        assert media.status_code == 206 and len(media.content) == 1024, (media.status_code, media.text[:300])
        assert media.headers["Content-Type"] == "video/mp4" and media.content[4:8] == b"ftyp"

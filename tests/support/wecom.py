"""The WeCom sandbox and the app wired to it over real HTTP; helpers to run the fast queue and stage applications."""
import time

import pytest
import requests
from rq import Queue, SimpleWorker
from rq.registry import ScheduledJobRegistry

from app.core.db import database
from tests.support.app import import_job, make_app
from tests.support.servers import Served, free_port

CORP = {"WECOM_CORP_ID": "wwsandbox0000000001", "WECOM_SECRET": "sandbox-secret", "WECOM_AGENT_ID": 1000002,
        "WECOM_TOKEN": "sandboxtoken", "WECOM_AES_KEY": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"}
SUMMARY = {"total": 82.5, "dimensions": [("岗位匹配度", 88.0), ("逻辑思维", 80.0), ("语言表达", 75.0)],
           "flags": [], "report_url": "http://127.0.0.1/m/reports/1"}


class Sandbox(Served):
    """The sandbox plus helpers for its control API."""

    def __init__(self, app, port):
        super().__init__(app, port)
        self.app = app

    def api(self, method, path, **kwargs):
        res = requests.request(method, self.url + path, timeout=10, **kwargs)
        return res.json()

    def requests_to(self, path):
        return self.api("get", "/sandbox/api/requests", params={"path": path})["requests"]

    def arm(self, kind, count=1, endpoint="*", delay=0):
        return self.api("post", "/sandbox/api/faults", json={"kind": kind, "count": count, "endpoint": endpoint,
                                                             "delay": delay})

    def tap(self, userid, task_id, key, copies=1):
        res = requests.post(self.url + "/sandbox/api/tap", json={"userid": userid, "task_id": task_id, "key": key,
                                                                 "copies": copies}, timeout=10)
        return res.status_code, res.json()

    def wait_deliveries(self, ids, timeout=30):
        """Block until the sandbox finished delivering (delivered or failed); return the rows."""
        deadline = time.time() + timeout
        while True:
            rows = self.api("get", "/sandbox/api/deliveries", params={"ids": ",".join(map(str, ids))})["deliveries"]
            if all(r["status"] in ("delivered", "failed") for r in rows) or time.time() > deadline:
                return rows
            time.sleep(0.05)

    def card(self, task_id, userid):
        res = requests.get(f"{self.url}/sandbox/api/cards/{task_id}", params={"userid": userid}, timeout=10)
        return res.json() if res.status_code == 200 else None

    def messages(self, userid):
        return self.api("get", f"/sandbox/api/messages/{userid}")["messages"]

    def card_sent_as(self, prefix, userid):
        """The newest card `userid` got whose task_id starts with `prefix` (the app adds a random part to every
        task_id it sends, e.g. "sc-3-zhangwei-…"), or None."""
        ids = [m["task_id"] for m in self.messages(userid) if (m.get("task_id") or "").startswith(prefix)]
        return self.card(ids[-1], userid) if ids else None


def start_sandbox(tmp_path, callback_url="", **overrides):
    from wecom_sandbox import create_sandbox
    port = overrides.pop("port", None) or free_port()
    app = create_sandbox({"db": str(tmp_path / "sandbox.db"), "callback_url": callback_url, "retry_delay": 0.05,
                          **overrides})
    return Sandbox(app, port)


@pytest.fixture
def sandbox(tmp_path):
    box = start_sandbox(tmp_path)
    yield box
    box.stop()


@pytest.fixture
def wecom_env(tmp_path, redis_conn):
    """The app (CSRF on) and the sandbox wired to each other over HTTP; yields (app, app_url, sandbox)."""
    app_port, box_port = free_port(), free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    box = start_sandbox(tmp_path, callback_url=f"{app_url}/wecom/callback", port=box_port)
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL=app_url, WECOM_SANDBOX=True,
                   WECOM_API_BASE=f"{box.url}/cgi-bin/", WECOM_TIMEOUT=5, HR_USERIDS=["hr_lina"], **CORP)
    served = Served(app, app_port)
    try:
        with app.app_context(), database.connection_context():
            yield app, app_url, box
    finally:
        served.stop()
        box.stop()


@pytest.fixture
def backend_job(wecom_env):
    """The backend-engineer job (manager zhangwei) in the wecom_env app."""
    return import_job("backend-engineer.yaml")


def run_fast_worker(redis_conn):
    """Run the fast queue to empty with a real RQ SimpleWorker."""
    queue = Queue("fast", connection=redis_conn)
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    return queue


def release_scheduled(redis_conn):
    """Move jobs waiting for their retry backoff back onto the queue now (instead of sleeping)."""
    queue = Queue("fast", connection=redis_conn)
    registry = ScheduledJobRegistry(queue=queue)
    ids = registry.get_job_ids()
    for job_id in ids:
        registry.remove(job_id)
        queue.enqueue_job(queue.fetch_job(job_id))
    return ids


def scored_application(job, name="李明", phone="13800001234"):
    """An application of `job` that reached ai_scored (the stage where the result card goes out)."""
    from app.core.models import Application, Candidate
    from app.core.pipeline import advance_stage
    candidate = Candidate.create(name=name, phone=phone)
    application = Application.create(candidate=candidate, job=job)
    for stage in ("ai_invited", "ai_in_progress", "ai_completed"):
        advance_stage(application.id, stage, actor="system", source="system")
    _report(application, SUMMARY)
    advance_stage(application.id, "ai_scored", actor="system", source="system")
    # Drop the stage follow-ups (the lead's report jobs): these tests send the card themselves.
    from app.core.queues import FAST, get_queue
    get_queue(FAST).empty()
    return Application.get_by_id(application.id)


def _report(application, summary):
    """A finished interview with a report scoring `summary` (what the result card shows)."""
    import datetime as dt

    from app.core.base import utcnow
    from app.interview.models import Interview, Report
    interview = Interview.create(application=application, token_hash=f"{application.id:064d}", status="completed",
                                 expires_at=utcnow() + dt.timedelta(days=1))
    dims = {name: {"score": score, "weight": 0, "answers": [], "evidence": []} for name, score in summary["dimensions"]}
    return Report.create(interview=interview, total=summary["total"], dimensions=dims, flags=[], model_version="t")


def result_report_id(application):
    """The id of the application's report (what push_result_card takes)."""
    from app.interview.reports import latest_report
    return latest_report(application.id).id


def pushed_result_card(job, managers=("zhangwei",)):
    """(application, CardMessage): a scored application of `job`, managed by `managers`, whose result card went out."""
    from app.core.models import Job
    from app.interview import result_cards
    Job.update(manager_userids=list(managers)).where(Job.id == job.id).execute()
    application = scored_application(Job.get_by_id(job.id))
    return application, result_cards.push_result_card(result_report_id(application))


def tap_stored(box, userid, task_id, key):
    """Tap a card button on the sandbox phone; the callback is stored, its handler not run yet."""
    status, body = box.tap(userid, task_id, key)
    assert status == 200, body
    assert [d["status"] for d in box.wait_deliveries(body["deliveries"])] == ["delivered"]


def markdown_texts(box, userid):
    """The markdown messages the member's sandbox phone received."""
    return [m["body"].get("content", "") for m in box.messages(userid) if m.get("msgtype") == "markdown"]

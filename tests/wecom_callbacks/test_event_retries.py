"""kf events whose handler failed every retry of its job (WeCom busy, a network cut) are retried by the sweep with
a backoff for a bounded time, and one that never succeeds ends `failed` and is listed by the CLI (issue 20,
item 10). Against the WeCom sandbox over real HTTP with real crypto; time moves by backdating the stored event."""
import datetime as dt

import pytest

from app.conversation import channels
from app.conversation.models import Message
from app.core import sweeps
from app.core.base import utcnow
from app.core.models import Application, Candidate, EventStatus, WeComEvent
from tests.support.app import import_job
from tests.support.wecom import release_scheduled, run_fast_worker
from wecom_callbacks import handlers as wecom_events

OPEN_KFID = "wkSandboxRecruit01"
CUSTOMER = "wmCandidateLiMing01"


@pytest.fixture
def linked(wecom_env):
    """An application whose candidate writes through 微信客服."""
    job = import_job("backend-engineer.yaml")
    application = Application.create(candidate=Candidate.create(name="李明", phone="13800001234"), job=job,
                                     stage="ai_scored")
    channels.link(application.id, "kf", CUSTOMER, OPEN_KFID)
    return application


def customer_writes(box, text):
    res = box.api("post", "/sandbox/api/kf/customer-message", json={"external_userid": CUSTOMER, "content": text})
    assert [r["status"] for r in box.wait_deliveries(res["deliveries"])] == ["delivered"]
    return WeComEvent.select().order_by(WeComEvent.id.desc()).get()


def run_job_and_its_retries(redis_conn):
    """The fast queue, then each retry RQ scheduled with a backoff, released at once, until none is left."""
    run_fast_worker(redis_conn)
    while release_scheduled(redis_conn):
        run_fast_worker(redis_conn)


def age(event, seconds):
    """Make the stored event `seconds` old (the sweep's clock is the event's age)."""
    WeComEvent.update(created_at=utcnow() - dt.timedelta(seconds=seconds)).where(WeComEvent.id == event.id).execute()


def test_a_kf_event_whose_job_failed_every_retry_is_handled_by_the_sweep(wecom_env, linked, redis_conn):
    app, app_url, box = wecom_env
    box.arm("-1", count=4, endpoint="kf/sync_msg")   # WeCom busy for the job and its three retries
    event = customer_writes(box, "请问复试时间定了吗")
    run_job_and_its_retries(redis_conn)
    event = WeComEvent.get_by_id(event.id)
    assert event.status == EventStatus.RECEIVED and "-1" in event.result, (event.status, event.result)
    assert Message.select().where(Message.application == linked.id).count() == 0

    age(event, 90)                   # past the first retry age
    sweeps.resume_unfinished()
    run_job_and_its_retries(redis_conn)
    assert WeComEvent.get_by_id(event.id).status == EventStatus.HANDLED
    assert [m.body for m in Message.select().where(Message.application == linked.id)] == ["请问复试时间定了吗"]


def test_a_kf_event_that_never_succeeds_ends_failed_after_bounded_retries(wecom_env, linked, redis_conn):
    app, app_url, box = wecom_env
    box.arm("-1", count=1000, endpoint="kf/sync_msg")
    event = customer_writes(box, "你好")
    run_job_and_its_retries(redis_conn)
    first = len(box.requests_to("kf/sync_msg"))
    retried = 0
    for seconds in [*wecom_events.RETRY_AGES, wecom_events.GIVE_UP_AGE]:
        age(event, seconds + 1)
        # A sweep every 20 s: the same retry age hands the event back once, not on every sweep.
        for _ in range(3):
            retried += sweeps.resume_unfinished()
            run_job_and_its_retries(redis_conn)
        assert len(box.requests_to("kf/sync_msg")) <= first * (1 + len(wecom_events.RETRY_AGES))
    assert retried == len(wecom_events.RETRY_AGES)
    event = WeComEvent.get_by_id(event.id)
    assert event.status == EventStatus.FAILED, (event.status, event.result)
    assert "-1" in event.result
    sweeps.resume_unfinished()   # a failed event is left alone
    assert WeComEvent.get_by_id(event.id).status == EventStatus.FAILED

    out = app.test_cli_runner().invoke(args=["wecom", "events", "--status", "failed"]).output
    assert f"{event.id}" in out and "kf_msg_or_event" in out and "failed" in out, out

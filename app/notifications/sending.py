"""Notices sent once, on the first channel of their plan that works; a failed channel falls back to the next.

`notify` records the notice (UNIQUE idempotency key: a second call with the same key is a no-op) with its channel
plan (routing.plan) and enqueues SEND_NOTICE after commit. `send_notice` (the job) walks the plan: a channel that
accepted the notice ends the walk (SMS stays "sending" until its receipt, receipts.py); a refusal is written on
the delivery with its reason and the next channel is tried; a hold (quiet hours, the day's cap, a provider's
per-number limit) parks the whole notice until `not_before` (the SEND_DUE_NOTICES sweep picks it up). Transient
failures (network, provider busy) raise, so RQ retries the job. Nothing goes out for an application that closed
in the meantime, unless the notice announces the closing (`when_closed`). A held notice that a stage change made
moot (`NoticeSpec.moot_at`: the candidate finished the interview it invites to) is cancelled by that change's
follow-up (CANCEL_MOOT_NOTICES), so HR's timeline says so at once; the check when it is sent stays the backstop.
"""
import logging

from peewee import IntegrityError

from app.core import jobs, pipeline, synthetic
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.models import Application, StageEvent
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview.invitations import hash_token, latest_interview
from app.notifications import catalogue, channels
from app.notifications.models import Notice, NoticeDelivery, State

log = logging.getLogger(__name__)
SYNTHETIC = "演示数据,不发送"   # a synthetic demo application's notices (app/core/synthetic.py)


def check_values(notice_key, values):
    """ValueError naming what a notice lacks: every value its SMS template and its text use."""
    if notice_key not in catalogue.NOTICES:
        raise ValueError(f"unknown notice {notice_key!r}")
    spec = catalogue.NOTICES[notice_key]
    try:
        catalogue.sms_params(spec.sms, values)
        catalogue.notice_text(notice_key, values, link="")
    except KeyError as exc:
        raise ValueError(f"notice {notice_key!r} needs the value {exc.args[0]!r}") from None


def notify(application_id, notice_key, values, steps, *, idempotency_key, urgent=None):
    """Record a notice for the application and send it after commit; (notice, created). `steps` comes from
    routing.plan; `values` names what the texts need (name, job, token ...)."""
    check_values(notice_key, values)
    spec = catalogue.NOTICES[notice_key]
    urgent = spec.urgent if urgent is None else urgent
    fake = synthetic.is_synthetic(application_id)   # recorded for the timeline, never sent
    try:
        with transaction():
            notice = Notice.create(application=application_id, notice_key=notice_key,
                                   idempotency_key=idempotency_key[:128], values=dict(values),
                                   plan=[] if fake else list(steps), urgent=urgent,
                                   **({"state": State.CANCELLED, "reason": SYNTHETIC} if fake else {}))
            if not fake:
                jobs.enqueue_after_commit(SEND_NOTICE, notice.id, recovery=DUE_SWEEP)
    except IntegrityError:
        return Notice.get(Notice.idempotency_key == idempotency_key[:128]), False
    return notice, True


def _closed(application, spec):
    if application is None:
        return "应聘记录已删除"
    if synthetic.is_synthetic(application.id):
        return SYNTHETIC
    if not spec.when_closed and application.stage not in pipeline.ACTIVE:
        return f"应聘已结束({pipeline.STAGE_LABELS.get(application.stage, application.stage)}),未发送"
    if application.stage in spec.moot_at:
        return f"面试已完成或已进入下一步({pipeline.STAGE_LABELS.get(application.stage, application.stage)}),未发送"
    return ""


def with_held_notices(event):
    """CANCEL_MOOT_NOTICES's args_for: the stage event, only when the application has a held notice (most have none,
    and then no job is queued)."""
    held = Notice.select().where((Notice.application == event.application_id) & (Notice.state == State.HELD))
    return [(event.id,)] if held.exists() else []


def cancel_moot(stage_event_id, now=None):
    """Cancel the application's held notices that its stage change made moot (the CANCEL_MOOT_NOTICES follow-up of
    every stage in catalogue.MOOT_STAGES); returns their ids. Only a hold still running is cancelled (a conditional
    UPDATE): a notice whose hold has ended may be in a worker's hands, and its send checks the stage itself."""
    now = now or utcnow()
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    application = Application.get_or_none(Application.id == event.application_id) if event else None
    if application is None:
        return []
    cancelled = []
    for notice in Notice.select().where((Notice.application == application.id) & (Notice.state == State.HELD)
                                        & (Notice.not_before > now)):
        spec = catalogue.NOTICES[notice.notice_key]
        if application.stage not in spec.moot_at:
            continue
        if Notice.update(state=State.CANCELLED, reason=_closed(application, spec)[:500], updated_at=now).where(
                (Notice.id == notice.id) & (Notice.state == State.HELD) & (Notice.not_before > now)).execute():
            _cancel_held_deliveries(notice.id, now)
            cancelled.append(notice.id)
    if cancelled:
        log.info("application %s at %s: held notices %s cancelled (moot)", application.id, application.stage, cancelled)
    return cancelled


def _replaced_link(notice):
    """Why a notice whose link no longer opens the candidate's newest interview is not sent: HR invited again (after
    an identity lock, or an expired link) while it was held (quiet hours, the daily cap), and it would give the
    candidate a dead link (「该链接已失效」) beside the new invitation."""
    token = (notice.values or {}).get("token")
    latest = latest_interview(notice.application_id) if token else None
    if latest is not None and hash_token(token) != latest.token_hash:
        return "面试链接已被新的邀请取代,未发送"
    return ""


def _set(notice, state, reason="", not_before=None):
    Notice.update(state=state, reason=reason[:500], not_before=not_before, updated_at=utcnow()).where(
        Notice.id == notice.id).execute()
    notice.state, notice.reason, notice.not_before = state, reason, not_before


def _cancel_held_deliveries(notice_id, now):
    """A cancelled notice's channel that was waiting (its SMS held) is cancelled too: the timeline said 「已取消」
    beside 「短信 等待发送」."""
    NoticeDelivery.update(state=State.CANCELLED, updated_at=now).where(
        (NoticeDelivery.notice == notice_id) & (NoticeDelivery.state == State.HELD)).execute()


def _record(notice, step, delivery, outcome, now):
    """Write the outcome on the notice's delivery of that channel (created on the first attempt)."""
    fields = {"state": outcome.state, "reason": outcome.reason[:500], "updated_at": now}
    if outcome.message_id:
        fields["provider_message_id"] = outcome.message_id[:128]
    if outcome.text:
        fields.update(text=outcome.text, segments=outcome.segments)
    if outcome.state in (State.SENDING, State.DELIVERED):
        fields["sent_at"] = now
    if outcome.state == State.DELIVERED:
        fields["delivered_at"] = now
    if delivery is None:
        return NoticeDelivery.create(notice=notice, channel=step["channel"], address=step["address"][:120], **fields)
    NoticeDelivery.update(**fields).where(NoticeDelivery.id == delivery.id).execute()
    return delivery


def send_notice(notice_id, now=None):
    """Try the notice's channels in order until one takes it (the SEND_NOTICE job); returns the notice's state."""
    notice = Notice.get_or_none(Notice.id == notice_id)
    if notice is None or notice.state in State.DONE:
        return notice.state if notice else None
    now = now or utcnow()
    if notice.not_before and notice.not_before > now:
        return State.HELD
    spec = catalogue.NOTICES[notice.notice_key]
    closed = _closed(Application.get_or_none(Application.id == notice.application_id), spec)
    closed = closed or _replaced_link(notice)
    if closed:
        _set(notice, State.CANCELLED, closed)
        _cancel_held_deliveries(notice.id, now)
        return notice.state
    deliveries = {d.channel: d for d in NoticeDelivery.select().where(NoticeDelivery.notice == notice.id)}
    for step in notice.plan:
        delivery = deliveries.get(step["channel"])
        if delivery is not None and delivery.state == State.FAILED:
            continue
        if delivery is not None and delivery.state in (State.SENDING, State.DELIVERED):
            _set(notice, delivery.state)
            return notice.state
        outcome = channels.send(step, notice, spec, now)  # transient failures raise: RQ retries the job
        _record(notice, step, delivery, outcome, now)
        if outcome.state == State.HELD:
            _set(notice, State.HELD, outcome.reason, not_before=outcome.until)
            return notice.state
        if outcome.state != State.FAILED:
            _set(notice, outcome.state)
            return notice.state
        log.info("notice %s: %s failed (%s), trying the next channel", notice.id, step["channel"], outcome.reason)
    _set(notice, State.FAILED, "所有渠道均未送达,仅状态页可见" if notice.plan else "没有可用的渠道,仅状态页可见")
    return notice.state


def channel_failed(delivery_id, reason, now=None):
    """A channel reported later that it did not deliver (an SMS receipt FAIL): fall back to the next channel."""
    now = now or utcnow()
    updated = (NoticeDelivery.update(state=State.FAILED, reason=reason[:500], updated_at=now)
               .where((NoticeDelivery.id == delivery_id) & (NoticeDelivery.state == State.SENDING)).execute())
    if updated:
        notice_id = NoticeDelivery.get_by_id(delivery_id).notice_id
        Notice.update(state=State.QUEUED, updated_at=now).where(
            (Notice.id == notice_id) & (Notice.state == State.SENDING)).execute()
        jobs.enqueue_after_commit(SEND_NOTICE, notice_id, recovery=DUE_SWEEP)
    return bool(updated)


def channel_delivered(delivery_id, at=None):
    """A channel confirmed delivery (an SMS receipt SUCCESS)."""
    at = at or utcnow()
    updated = (NoticeDelivery.update(state=State.DELIVERED, delivered_at=at, updated_at=utcnow())
               .where((NoticeDelivery.id == delivery_id) & (NoticeDelivery.state == State.SENDING)).execute())
    if updated:
        notice_id = NoticeDelivery.get_by_id(delivery_id).notice_id
        Notice.update(state=State.DELIVERED, updated_at=utcnow()).where(Notice.id == notice_id).execute()
    return bool(updated)


def send_due(now=None):
    """Enqueue the notices whose hold ended, and queued ones older than a minute whose job was lost (the
    SEND_DUE_NOTICES sweep); returns their ids."""
    import datetime as dt
    now = now or utcnow()
    due = Notice.select(Notice.id).where(
        ((Notice.state == State.HELD) & (Notice.not_before <= now))
        | ((Notice.state == State.QUEUED) & (Notice.updated_at < now - dt.timedelta(minutes=1))))
    ids = [n.id for n in due.limit(500)]
    for notice_id in ids:
        jobs.enqueue(SEND_NOTICE, notice_id)
    return ids


DUE_SWEEP = "SEND_DUE_NOTICES sends it within minutes"
SEND_NOTICE = JobSpec(send_notice, FAST, "send-notice-{0}")
SEND_DUE_NOTICES = JobSpec(send_due, FAST, "send-due-notices", retries=0)
CANCEL_MOOT_NOTICES = JobSpec(cancel_moot, FAST, "cancel-moot-notices-{0}")

"""When a notice SMS may go out: not in quiet hours (SMS_QUIET_HOURS in SMS_TIMEZONE, default 22:00-08:00 China
time; urgent notices excepted), and at most SMS_DAILY_CAP notice SMS per phone per local day. A held SMS waits
for the end of the quiet hours (the next morning). `sms_hold` is that one decision: the sender acts on it
(channels.send_sms) and the inviting page announces it (invitations.announce)."""
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.core.extensions import settings
from app.notifications.models import Channel, NoticeDelivery, State


@dataclass(frozen=True)
class Hold:
    """A notice SMS that may not go now: until when (naive UTC) and why, in words for people ("夜间免打扰")."""
    until: dt.datetime
    why: str


def sms_hold(urgent, phone, now):
    """Whether a notice SMS to `phone` must wait at `now` (naive UTC): a Hold, or None when it may go now. Urgent
    notices are never held; others wait out the quiet hours, then the daily cap (until the next morning)."""
    if urgent:
        return None
    until = quiet_until(now)
    if until is not None:
        return Hold(until, "夜间免打扰")
    if sms_sent_today(phone, now) >= daily_cap():
        return Hold(next_morning(now), f"今日短信已达 {daily_cap()} 条上限")
    return None


def sms_sent_today(phone, now):
    """How many notice SMS went to `phone` (handed to the provider or delivered) in `now`'s local day."""
    start, end = local_day_bounds(now)
    return (NoticeDelivery.select().where(
        (NoticeDelivery.channel == Channel.SMS) & (NoticeDelivery.address == phone)
        & (NoticeDelivery.state.in_([State.SENDING, State.DELIVERED]))
        & (NoticeDelivery.sent_at >= start) & (NoticeDelivery.sent_at < end)).count())


def _zone():
    return ZoneInfo(settings["SMS_TIMEZONE"])


def _hours():
    start, _, end = settings["SMS_QUIET_HOURS"].partition("-")
    return (dt.time(*map(int, start.strip().split(":"))), dt.time(*map(int, end.strip().split(":"))))


def to_local(utc_naive):
    return utc_naive.replace(tzinfo=dt.UTC).astimezone(_zone())


def to_utc(local):
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def quiet_until(now):
    """The end of the quiet hours (naive UTC) when `now` (naive UTC) falls in them, else None."""
    start, end = _hours()
    local = to_local(now)
    clock = local.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + dt.timedelta(days=1)
    return to_utc(dt.datetime.combine(day, end, tzinfo=_zone()))


def next_morning(now):
    """The next end of the quiet hours after `now` (when tomorrow's SMS may start), naive UTC."""
    _, end = _hours()
    local = to_local(now)
    day = local.date() if local.time() < end else local.date() + dt.timedelta(days=1)
    return to_utc(dt.datetime.combine(day, end, tzinfo=_zone()))


def local_day_bounds(now):
    """(start, end) of `now`'s local day, naive UTC: the day the cap counts in."""
    local = to_local(now)
    start = dt.datetime.combine(local.date(), dt.time(0, 0), tzinfo=_zone())
    return to_utc(start), to_utc(start + dt.timedelta(days=1))


def daily_cap():
    return settings["SMS_DAILY_CAP"]

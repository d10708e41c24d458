"""The one way a time is shown to a person: in the zone of the TIMEZONE setting (default Asia/Shanghai).

The database keeps naive UTC (app/core/base.utcnow). Pages, WeCom messages, the candidate's data export,
CSV/XLSX downloads and the CLI format times through this module, and times people type (a datetime-local input, a
date filter) are read through it, so a deployment in another zone changes one setting. Machine APIs (the
mini-program API, the conversation API) keep ISO UTC with "Z": their clients convert.
"""
import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core.extensions import settings

DEFAULT_ZONE = "Asia/Shanghai"
# How people here call a zone; any other zone is shown by its IANA name.
ZONE_NAMES = {"Asia/Shanghai": "北京时间"}


@lru_cache(maxsize=8)
def _zone(name):
    return ZoneInfo(name)


def check_zone(name):
    """The IANA zone `name`, or ValueError (config/settings.py fails fast on a typo)."""
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"TIMEZONE must be an IANA zone such as Asia/Shanghai, got {name!r}") from exc


def zone_name():
    return settings.get("TIMEZONE") or DEFAULT_ZONE


def zone():
    return _zone(zone_name())


def zone_short():
    """"北京时间" (or the IANA name of another zone): said after a time a candidate reads."""
    return ZONE_NAMES.get(zone_name(), zone_name())


def zone_label():
    """"北京时间 UTC+8" (or "Europe/Berlin UTC+1"): what an export or a page says its times are in."""
    offset = dt.datetime.now(zone()).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes >= 0 else "-"
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    return f"{zone_short()} {utc}"


def aware(value):
    """A naive UTC datetime as an aware datetime in the display zone."""
    return value.replace(tzinfo=dt.UTC).astimezone(zone())


def local_time(value, fmt="%m-%d %H:%M"):
    """Format a naive UTC datetime in the display zone ("" for None)."""
    return aware(value).strftime(fmt) if value else ""


WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def local_weekday(value):
    """"周三": the weekday in the display zone of a naive UTC datetime ("" for None)."""
    return WEEKDAYS[aware(value).weekday()] if value else ""


def local_iso(value):
    """ISO 8601 with the zone's offset ("2026-12-01T14:00:00+08:00") for a naive UTC datetime; a date as
    "2026-12-01"; None stays None."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    return aware(value).isoformat()


def to_utc(local):
    """A naive datetime a person gave in the display zone (or an aware one) as naive UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def today():
    """Today's date in the display zone (offer dates, start dates)."""
    return dt.datetime.now(zone()).date()


def local_date(value):
    """The date in the display zone of a naive UTC datetime."""
    return aware(value).date()

"""Template filters shared by every page."""
import datetime as dt
from zoneinfo import ZoneInfo

# Times are stored as naive UTC; people here read China time.
DISPLAY_TZ = ZoneInfo("Asia/Shanghai")


def local_time(value, fmt="%m-%d %H:%M"):
    """Format a naive UTC datetime in China time."""
    return value.replace(tzinfo=dt.UTC).astimezone(DISPLAY_TZ).strftime(fmt) if value else ""


def register(app):
    app.add_template_filter(local_time, "local_time")

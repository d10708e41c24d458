"""Times people read are in the TIMEZONE setting (default Asia/Shanghai), through app/core/localtime.py; stored times
stay naive UTC. The HR downloads and the analytics page say which zone their times are in."""
import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest

from app.analytics import flag_section
from app.analytics.funnel import Cohort
from app.analytics.models import AnalyticsFlag
from app.core import localtime
from app.core.models import Application
from app.interview.invitations import invite_candidate
from config.errors import ConfigError
from tests.support.app import make_app
from tests.support.reports import sign_in_as

NOON_UTC = dt.datetime(2026, 12, 1, 19, 2)  # 03:02 the next morning in Shanghai


def test_the_default_zone_is_shanghai_and_stored_times_stay_utc(app):
    assert localtime.local_time(NOON_UTC, "%Y-%m-%d %H:%M") == "2026-12-02 03:02"
    assert localtime.local_iso(NOON_UTC) == "2026-12-02T03:02:00+08:00"
    assert localtime.to_utc(dt.datetime(2026, 12, 2, 3, 2)) == NOON_UTC
    assert localtime.zone_label() == "北京时间 UTC+8" and localtime.zone_short() == "北京时间"


def test_another_zone_is_one_setting(tmp_path, redis_conn):
    make_app(tmp_path, TIMEZONE="Europe/Berlin")
    offset = NOON_UTC.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Berlin")).utcoffset()
    assert localtime.local_time(NOON_UTC, "%H:%M") == (NOON_UTC + offset).strftime("%H:%M")
    assert localtime.to_utc(NOON_UTC + offset) == NOON_UTC
    assert localtime.zone_label().startswith("Europe/Berlin UTC+") and localtime.zone_short() == "Europe/Berlin"


def test_a_zone_the_machine_does_not_know_stops_the_start(tmp_path, redis_conn):
    with pytest.raises(ConfigError, match="TIMEZONE"):
        make_app(tmp_path, TIMEZONE="Asia/Beijing")  # not an IANA zone (Shanghai is)


def test_the_analytics_page_says_when_it_last_computed_in_local_time(app):
    AnalyticsFlag.create(key="rate:1:ai", kind="rate", message="某岗位AI面试淘汰率偏高", last_seen=NOON_UTC,
                         pushed_at=NOON_UTC)
    section = flag_section.flags_section(Cohort())
    assert "最近一次计算：2026-12-02 03:02（北京时间 UTC+8）" in section["explain"]
    assert "UTC。" not in section["explain"]
    assert section["rows"][0][2] == "2026-12-02 03:02"


def test_the_applications_download_says_its_zone(client, demo_job):
    interview, _ = invite_candidate(demo_job.id, "李明", "13800001234")
    Application.update(created_at=NOON_UTC).where(Application.id == interview.application_id).execute()
    sign_in_as(client, "hr_lina")
    rows = list(csv.reader(io.StringIO(client.get("/admin/applications/export.csv").data.decode("utf-8-sig"))))
    column = rows[0].index("投递时间(北京时间 UTC+8)")
    assert rows[1][column] == "2026-12-02 03:02"
    # A date filter is a day as HR reads it: 2 December in Shanghai holds this application, 1 December does not.
    on_the_2nd = client.get("/admin/applications/export.csv?since=2026-12-02&until=2026-12-02").data
    on_the_1st = client.get("/admin/applications/export.csv?since=2026-12-01&until=2026-12-01").data
    assert "李明" in on_the_2nd.decode("utf-8-sig") and "李明" not in on_the_1st.decode("utf-8-sig")


def test_a_slot_reads_with_its_weekday_in_the_display_zone(app):
    """A candidate picks a day by its weekday: 2026-12-01 19:02 UTC is Wednesday 03:02 in Shanghai."""
    from types import SimpleNamespace

    from app.process.availability import when
    assert localtime.local_weekday(NOON_UTC) == "周三" and localtime.local_weekday(None) == ""
    slot = SimpleNamespace(start_at=NOON_UTC, end_at=NOON_UTC + dt.timedelta(hours=1))
    assert when(slot) == "12月02日 周三 03:02-04:02"

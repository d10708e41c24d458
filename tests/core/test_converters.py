"""A YYYY-MM-DD query value is read one way (app/core/converters.parse_day) by the analytics page and the
applications workbench: a day that does not exist, another format or the calendar's ends are refused, naming the
field, and every day it returns can be turned into UTC and stepped one day past."""
import datetime as dt

import pytest

from app.core.converters import parse_day


def test_a_date_inputs_value_is_read_as_that_day():
    assert parse_day("2026-03-10") == dt.date(2026, 3, 10)
    assert parse_day(" 2026-03-10 ") == dt.date(2026, 3, 10)
    assert parse_day("0001-01-02") == dt.date(1, 1, 2) and parse_day("9999-12-30") == dt.date(9999, 12, 30)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "yesterday", "20260310", "2026-3-10", "2026-W11-2",
                                   "２０２６-03-10", "2026-03-10T08:00", ""])
def test_no_such_day_is_refused_naming_the_field(value):
    with pytest.raises(ValueError) as refused:
        parse_day(value, "投递日期(从)")
    assert str(refused.value).startswith("投递日期(从):日期格式不对,请用 YYYY-MM-DD")


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_the_calendars_ends_are_refused_as_out_of_range(value):
    with pytest.raises(ValueError) as refused:
        parse_day(value, "投递日期(到)")
    assert str(refused.value).startswith("投递日期(到):日期超出范围")

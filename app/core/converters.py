"""Integers and days from requests, bounded to what the database and the calendar hold: the `<int:...>` URL
converter and `parse_int` for form fields, query arguments and JSON values; `parse_day` for a YYYY-MM-DD query
value (a date filter).

Without the bound, /questions/99999999999999999999/start reached the database and failed there (SQLite:
OverflowError; PostgreSQL: integer out of range) with a 500; now such a URL does not match: 404. Likewise a date
input's year 0001 or 9999 left the calendar when turned into UTC (or the day after): refused as a day.
"""
import datetime as dt
import re

from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer` (the id columns); SQLite holds more
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_int(value, low=0, high=DB_INT_MAX):
    """`value` as an int in [low, high]: an int (not a bool) or a string of ASCII digits; ValueError otherwise.

    Not int() or str.isdigit(): '²'.isdigit() is True and int('²') raises, while int('١٢') and int('１２') read
    Arabic-Indic and full-width digits as 12.
    """
    if isinstance(value, str) and _ASCII_DIGITS.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"not an integer in {low}..{high}: {str(value)[:40]!r}")
    return value


def parse_day(value, label="日期"):
    """`value`, a string YYYY-MM-DD of ASCII digits (what a date input sends), as a date; ValueError naming the
    field `label`, Chinese first, otherwise: a day that does not exist (2026-02-30), another format, or the
    calendar's first or last day (the date input takes years 0001 and 9999), whose start in UTC or the day after
    would leave the calendar. Every other day is safe to turn into UTC and to step one day past."""
    found = _ISO_DAY.fullmatch(str(value).strip())
    try:
        day = dt.date(*map(int, found.groups())) if found else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"{label}:日期格式不对,请用 YYYY-MM-DD Dates are YYYY-MM-DD")
    if not dt.date.min < day < dt.date.max:
        raise ValueError(f"{label}:日期超出范围,请选择实际的日期 Date out of range")
    return day


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max,
                         signed=signed)


def register(app):
    """Call before the blueprints are registered (rules pick their converter when they are added)."""
    app.url_map.converters["int"] = BoundedIntegerConverter

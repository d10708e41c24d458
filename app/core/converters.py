"""Integers from requests, bounded to what the database's integer columns hold: the `<int:...>` URL converter and
`parse_int` for form fields, query arguments and JSON values.

Without the bound, /questions/99999999999999999999/start reached the database and failed there (SQLite:
OverflowError; PostgreSQL: integer out of range) with a 500; now such a URL does not match: 404.
"""
import re

from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer` (the id columns); SQLite holds more
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


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


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max,
                         signed=signed)


def register(app):
    """Call before the blueprints are registered (rules pick their converter when they are added)."""
    app.url_map.converters["int"] = BoundedIntegerConverter

"""URL converters: `<int:...>` ids are bounded to what the database's integer columns hold.

Without the bound, /questions/99999999999999999999/start reached the database and failed there (SQLite:
OverflowError; PostgreSQL: integer out of range) with a 500; now such a URL does not match: 404.
"""
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2**31 - 1  # PostgreSQL `integer` (the id columns); SQLite holds more


class BoundedIntegerConverter(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max,
                         signed=signed)


def register(app):
    """Call before the blueprints are registered (rules pick their converter when they are added)."""
    app.url_map.converters["int"] = BoundedIntegerConverter

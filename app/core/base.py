"""Base model and shared field types."""
import datetime as dt
import json

from peewee import Model, TextField

from app.core.db import database
from app.core.fields import IdField


def utcnow():
    """Naive UTC now: one convention for SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class JSONField(TextField):
    """JSON stored as text, so it behaves the same on SQLite and PostgreSQL."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class BaseModel(Model):
    id = IdField()

    class Meta:
        database = database
        legacy_table_names = False

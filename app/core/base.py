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


class Statuses:
    """A set of statuses (or kinds) declared once: each value with the words people read for it.

        class ResumeStatus(Statuses):
            LABELS = {"pending": "等待读取", "parsed": "已读取", "failed": "读取失败"}

    gives one constant per value (`ResumeStatus.PENDING == "pending"`) and `VALUES`, in the declared order, so a
    value cannot be added without its label. Groups and other label sets in the body (`DONE = ("passed",
    "waived")`) name values as strings; naming one that is not declared is a TypeError at import."""
    LABELS = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        body = dict(vars(cls))
        for value in cls.LABELS:
            if value.upper() in body:
                raise TypeError(f"{cls.__name__}.{value.upper()} is declared by LABELS; do not write it again")
            setattr(cls, value.upper(), value)
        cls.VALUES = tuple(cls.LABELS)
        for name, group in body.items():
            unknown = set(group) - set(cls.LABELS) if name.isupper() and isinstance(group, (tuple, dict)) else ()
            if unknown:
                raise TypeError(f"{cls.__name__}.{name} names undeclared values: {sorted(unknown)}")

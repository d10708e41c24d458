"""The audit trail of stage changes, and managers' notes."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from app.models.base import BaseModel, utcnow
from app.models.candidates import Application


class StageEvent(BaseModel):
    application = ForeignKeyField(Application, backref="stage_events", on_delete="CASCADE")
    from_stage = CharField(max_length=32)
    to_stage = CharField(max_length=32)
    actor = CharField(max_length=64)
    source = CharField(max_length=16)  # web / card / approval / system / cli
    reason = TextField(default="")
    created_at = DateTimeField(default=utcnow)


class Note(BaseModel):
    application = ForeignKeyField(Application, backref="notes", on_delete="CASCADE")
    author = CharField(max_length=64)
    body = TextField()
    created_at = DateTimeField(default=utcnow)

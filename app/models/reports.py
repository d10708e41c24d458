"""The AI interview report: one per interview, built when its last answer is scored."""
from peewee import CharField, DateTimeField, FloatField, ForeignKeyField, IntegerField

from app.models.base import BaseModel, JSONField, utcnow
from app.models.candidates import Interview


class Report(BaseModel):
    interview = ForeignKeyField(Interview, backref="reports", unique=True, on_delete="CASCADE")
    total = FloatField()
    # {name: {"score", "weight", "answers": [answer ids], "evidence": [...]}}, in the job's dimension order
    dimensions = JSONField()
    # [{"code", "message", "question", "severity"}], most serious first (app/services/integrity.py)
    flags = JSONField(default=list)
    # {"checks": [{code, label, ran, found, note}], "flags", "audio_only", "line"}; None on reports built before it
    integrity = JSONField(null=True)
    model_version = CharField(max_length=60)
    # The job version whose competency model (weights) scored it; None before job versions existed
    job_version = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)

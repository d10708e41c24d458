"""The consent history of an interview: one row per decision, never updated or deleted (append-only).

`Interview.consent_*` hold the current state for quick reads; these rows are the evidence of what the candidate
agreed to or withdrew, when, and which text version they saw (PIPL art. 14-15, 29).
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField

from app.models.base import BaseModel, utcnow
from app.models.candidates import Interview


class ConsentRecord(BaseModel):
    interview = ForeignKeyField(Interview, backref="consent_records", on_delete="CASCADE")
    # "recording" or "biometric"
    kind = CharField(max_length=20)
    granted = BooleanField()
    text_version = CharField(max_length=20)
    created_at = DateTimeField(default=utcnow)

    def save(self, *args, **kwargs):
        if self.id is not None:
            raise RuntimeError("consent records are append-only")
        return super().save(*args, **kwargs)

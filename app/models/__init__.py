"""All models; ALL_MODELS is in dependency order (create order)."""
from app.models.base import BaseModel, JSONField, utcnow
from app.models.candidates import Answer, Application, Candidate, Interview, Upload
from app.models.jobs import Dimension, Job, Question
from app.models.pipeline import Note, StageEvent

ALL_MODELS = [Job, Dimension, Question, Candidate, Application, Interview, Answer, Upload, StageEvent, Note]

__all__ = ["ALL_MODELS", "Answer", "Application", "BaseModel", "Candidate", "Dimension", "Interview", "JSONField",
           "Job", "Note", "Question", "StageEvent", "Upload", "utcnow"]

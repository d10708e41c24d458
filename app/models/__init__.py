"""All models; ALL_MODELS is in dependency order (create order)."""
from app.models.base import BaseModel, JSONField, utcnow
from app.models.candidates import Answer, Application, Candidate, Interview, QuestionStart, Upload
from app.models.consent import ConsentRecord
from app.models.jobs import Dimension, Job, Question
from app.models.pipeline import Note, StageEvent
from app.models.reports import Report
from app.models.wecom import Approval, CardMessage, StaffUser, WeComEvent

ALL_MODELS = [Job, Dimension, Question, Candidate, Application, Interview, Answer, Upload, StageEvent, Note, Report,
              WeComEvent, CardMessage, Approval, StaffUser, QuestionStart, ConsentRecord]

__all__ = ["ALL_MODELS", "Answer", "Application", "BaseModel", "Candidate", "ConsentRecord", "Dimension", "Interview",
           "JSONField", "Job", "Note", "Question", "QuestionStart", "Report", "StageEvent", "Upload", "utcnow",
           "WeComEvent", "CardMessage", "Approval", "StaffUser"]

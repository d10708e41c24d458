"""All models; ALL_MODELS is in dependency order (create order)."""
from app.models.base import BaseModel, JSONField, utcnow
from app.models.candidates import (
    Answer,
    AnswerStatus,
    Application,
    Candidate,
    Interview,
    InterviewStatus,
    QuestionStart,
    Upload,
    UploadStatus,
)
from app.models.consent import ConsentRecord
from app.models.jobs import Dimension, Job, Question
from app.models.pipeline import Note, StageEvent
from app.models.ratings import Rating, ScoringProfile
from app.models.reports import Report
from app.models.wecom import Approval, CardMessage, CardStatus, EventStatus, StaffUser, WeComEvent

ALL_MODELS = [Job, Dimension, Question, Candidate, Application, Interview, Answer, Upload, StageEvent, Note, Report,
              WeComEvent, CardMessage, Approval, StaffUser, QuestionStart, Rating, ScoringProfile, ConsentRecord]

__all__ = ["ALL_MODELS", "Answer", "Application", "BaseModel", "Candidate", "ConsentRecord", "Dimension", "Interview",
           "JSONField", "Job", "Note", "Question", "QuestionStart", "Rating", "Report", "ScoringProfile", "StageEvent",
           "Upload", "utcnow", "WeComEvent", "CardMessage", "Approval", "StaffUser", "AnswerStatus", "InterviewStatus",
           "UploadStatus", "CardStatus", "EventStatus"]

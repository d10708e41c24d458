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
from app.models.jobs import Dimension, Job, Question
from app.models.pipeline import Note, StageEvent
from app.models.reports import Report
from app.models.wecom import Approval, CardMessage, CardStatus, EventStatus, StaffUser, WeComEvent
from app.screening.models import FUNNEL_MODELS  # noqa: E402 - the funnel's tables depend on Job and Application

ALL_MODELS = [Job, Dimension, Question, Candidate, Application, Interview, Answer, Upload, StageEvent, Note, Report,
              WeComEvent, CardMessage, Approval, StaffUser, QuestionStart, *FUNNEL_MODELS]

__all__ = ["ALL_MODELS", "Answer", "Application", "BaseModel", "Candidate", "Dimension", "Interview", "JSONField",
           "Job", "Note", "Question", "QuestionStart", "Report", "StageEvent", "Upload", "utcnow",
           "WeComEvent", "CardMessage", "Approval", "StaffUser", "AnswerStatus", "InterviewStatus", "UploadStatus",
           "CardStatus", "EventStatus"]

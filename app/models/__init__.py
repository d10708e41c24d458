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

CORE_MODELS = [Job, Dimension, Question, Candidate, Application, Interview, Answer, Upload, StageEvent, Note, Report,
               WeComEvent, CardMessage, Approval, StaffUser, QuestionStart, Rating,
               ScoringProfile, ConsentRecord]


def __getattr__(name):
    """ALL_MODELS adds the domain packages' models (app/conversation, app/privacy, app/screening, app/analytics,
    app/process, app/notifications), which import this package: resolved on first use, so either side may be
    imported first."""
    if name == "ALL_MODELS":
        from app.analytics.models import ANALYTICS_MODELS
        from app.conversation.models import CONVERSATION_MODELS
        from app.notifications.models import NOTIFICATION_MODELS
        from app.privacy.models import PRIVACY_MODELS
        from app.process.models import PROCESS_MODELS
        from app.screening.models import FUNNEL_MODELS
        return (CORE_MODELS + CONVERSATION_MODELS + PRIVACY_MODELS + FUNNEL_MODELS + ANALYTICS_MODELS
                + PROCESS_MODELS + NOTIFICATION_MODELS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["ALL_MODELS", "Answer", "Application", "BaseModel", "Candidate", "ConsentRecord", "Dimension", "Interview",
           "JSONField", "Job", "Note", "Question", "QuestionStart", "Rating", "Report", "ScoringProfile", "StageEvent",
           "Upload", "utcnow", "WeComEvent", "CardMessage", "Approval", "StaffUser", "AnswerStatus", "InterviewStatus",
           "UploadStatus", "CardStatus", "EventStatus"]

"""Candidates, their applications (candidate x job), interviews and recorded answers."""
from peewee import (
    SQL,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from app.models.base import BaseModel, JSONField, utcnow
from app.models.jobs import Job, Question


class InterviewStatus:
    """invited -> in_progress -> completed; expired (past its link's expiry) or revoked (re-invited) end it."""
    INVITED = "invited"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ENDED = (COMPLETED, EXPIRED, REVOKED)


class AnswerStatus:
    """uploaded -> transcribed -> analysed -> scored; failed once a step has used up its retries."""
    UPLOADED = "uploaded"
    TRANSCRIBED = "transcribed"
    ANALYSED = "analysed"
    SCORED = "scored"
    FAILED = "failed"


class UploadStatus:
    """open -> complete; replaced (a new init of the same attempt); abandoned (its interview ended first)."""
    OPEN = "open"
    COMPLETE = "complete"
    REPLACED = "replaced"
    ABANDONED = "abandoned"


class Candidate(BaseModel):
    name = CharField(max_length=60)
    phone = CharField(max_length=32)
    email = CharField(max_length=120, default="")
    resume_text = TextField(default="")
    created_at = DateTimeField(default=utcnow)

    @property
    def phone_last4(self):
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return digits[-4:]


class Application(BaseModel):
    candidate = ForeignKeyField(Candidate, backref="applications", on_delete="CASCADE")
    job = ForeignKeyField(Job, backref="applications", on_delete="CASCADE")
    stage = CharField(max_length=32, default="applied", index=True)
    # Why processing failed, visible to HR (never silent).
    problem = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("candidate", "job"), True),)


class Interview(BaseModel):
    application = ForeignKeyField(Application, backref="interviews", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    expires_at = DateTimeField()
    status = CharField(max_length=20, default=InterviewStatus.INVITED)  # InterviewStatus
    consent_recording_at = DateTimeField(null=True)
    consent_biometric = BooleanField(null=True)
    consent_biometric_at = DateTimeField(null=True)
    consent_text_version = CharField(max_length=20, default="")
    identity_attempts = IntegerField(default=0)
    identity_verified_at = DateTimeField(null=True)
    reference_image = CharField(max_length=255, default="")
    device_checked_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def audio_only(self):
        return self.consent_biometric is False


class Answer(BaseModel):
    interview = ForeignKeyField(Interview, backref="answers", on_delete="CASCADE")
    question = ForeignKeyField(Question, backref="answers", on_delete="CASCADE")
    attempt = IntegerField(default=1)
    media_key = CharField(max_length=255)
    # Set when the recording was deleted at the end of its retention period (the transcript and scores stay).
    media_purged_at = DateTimeField(null=True)
    mime_type = CharField(max_length=80, default="")
    size_bytes = BigIntegerField(default=0)
    duration_s = FloatField(default=0)
    has_video = BooleanField(default=False)
    # A copy every WeCom webview plays and seeks (MP4 H.264/AAC, faststart), its poster frame, or why it failed.
    playback_key = CharField(max_length=255, default="")
    poster_key = CharField(max_length=255, default="")
    playback_error = TextField(default="")
    status = CharField(max_length=20, default=AnswerStatus.UPLOADED)  # AnswerStatus
    error = TextField(default="")
    transcript = JSONField(null=True)
    features = JSONField(null=True)
    video = JSONField(null=True)
    scores = JSONField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("interview", "question", "attempt"), True),)


class QuestionStart(BaseModel):
    """When an attempt at a question was first shown: the server's clock for the think and answer windows."""
    interview = ForeignKeyField(Interview, backref="question_starts", on_delete="CASCADE")
    question = ForeignKeyField(Question, on_delete="CASCADE")
    attempt = IntegerField()
    shown_at = DateTimeField(default=utcnow)
    # When recording of this attempt first started (set once): its answer window ends answer_seconds later.
    recording_started_at = DateTimeField(null=True)
    # The longest recording accepted now (before the tolerance): answer_seconds, or what was left at a restart.
    recording_limit_s = FloatField(null=True)
    # Restarts after a reload during recording (each one only gets the remaining time).
    recording_restarts = IntegerField(default=0)
    # How often, and for how long in all, the candidate left the page while recording (reported by the H5).
    hidden_count = IntegerField(default=0)
    hidden_seconds = FloatField(default=0)
    # The one make-up window of a last attempt whose time ran out while its recording was lost.
    makeup_started_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("interview", "question", "attempt"), True),)


class Upload(BaseModel):
    """An upload session: chunks land on disk under MEDIA_ROOT/uploads/<id>/ until complete."""
    id = CharField(max_length=32, primary_key=True)
    interview = ForeignKeyField(Interview, backref="uploads", on_delete="CASCADE")
    question = ForeignKeyField(Question, on_delete="CASCADE")
    attempt = IntegerField()
    mime_type = CharField(max_length=80)
    total_bytes = BigIntegerField()
    chunk_bytes = IntegerField()
    total_chunks = IntegerField()
    status = CharField(max_length=20, default=UploadStatus.OPEN)  # UploadStatus
    created_at = DateTimeField(default=utcnow)


# One open upload per attempt: parallel inits of the same attempt cannot both create one (migration 3).
Upload.add_index(Upload.index(Upload.interview, Upload.question, Upload.attempt, unique=True,
                              name="upload_one_open_per_attempt", where=SQL("status = 'open'")))

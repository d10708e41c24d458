"""Tables of the funnel: job versions, screening settings, posting links, intakes, resumes, screenings."""
from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from app.core.base import BaseModel, JSONField, Statuses, utcnow
from app.core.models import Application, Job


class JobVersion(BaseModel):
    """A snapshot of a job as saved (the YAML template dict, screening settings included); never changed."""
    job = ForeignKeyField(Job, backref="versions", on_delete="CASCADE")
    number = IntegerField()
    snapshot = JSONField()
    author = CharField(max_length=64, default="")
    note = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("job", "number"), True),)


class JobScreening(BaseModel):
    """A job's screening settings: criteria, knockout questions and the rules HR turned on."""
    job = ForeignKeyField(Job, backref="screening_settings", unique=True, on_delete="CASCADE")
    criteria = JSONField(default=list)
    questions = JSONField(default=list)
    # Knockout answers may reject only when HR turned this on for the job (the candidate is told why).
    knockout_rejects = BooleanField(default=False)
    # Invite to the AI interview automatically at or above this screening score (None: never). Nothing is ever
    # rejected on a model score (PIPL art. 24).
    auto_invite_at = IntegerField(null=True)
    # Remind HR about applications left unscreened for this many days (shown on the job page; 0: off).
    remind_after_days = IntegerField(default=3)
    updated_at = DateTimeField(default=utcnow)


class PostingLink(BaseModel):
    """A shareable link to a job's posting page; the channel it was made for is recorded on each application."""
    job = ForeignKeyField(Job, backref="posting_links", on_delete="CASCADE")
    code = CharField(max_length=24, unique=True)
    channel = CharField(max_length=32)
    created_by = CharField(max_length=64, default="")
    created_at = DateTimeField(default=utcnow)


class Intake(BaseModel):
    """How an application came in: channel, knockout answers, the candidate's status token (hashed)."""
    application = ForeignKeyField(Application, backref="intakes", unique=True, on_delete="CASCADE")
    channel = CharField(max_length=32, index=True)
    link = ForeignKeyField(PostingLink, null=True, on_delete="SET NULL")
    token_hash = CharField(max_length=64, unique=True)
    answers = JSONField(default=dict)
    job_version = ForeignKeyField(JobVersion, null=True, on_delete="SET NULL")
    times_applied = IntegerField(default=1)
    # What the candidate is told on their page when HR rejects (or a knockout answer rejects) the application.
    candidate_message = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class ResumeStatus(Statuses):
    """pending -> parsed | failed."""
    LABELS = {"pending": "等待读取", "parsed": "已读取", "failed": "读取失败"}


class Resume(BaseModel):
    """An uploaded resume file and what was read from it; the newest of an application is the current one."""
    application = ForeignKeyField(Application, backref="resumes", on_delete="CASCADE")
    file_key = CharField(max_length=255)
    file_name = CharField(max_length=200, default="")
    kind = CharField(max_length=10)          # pdf / docx / image
    size_bytes = BigIntegerField(default=0)
    sha256 = CharField(max_length=64)
    status = CharField(max_length=10, default=ResumeStatus.PENDING)
    error = TextField(default="")
    method = CharField(max_length=10, default="")  # text / ocr
    raw_text = TextField(default="")
    tokens = TextField(default="")                 # jieba tokens, space-separated (BM25 at screening time)
    fields = JSONField(null=True)
    parser_version = CharField(max_length=60, default="")
    created_at = DateTimeField(default=utcnow)
    parsed_at = DateTimeField(null=True)


class Screening(BaseModel):
    """The explained screening of an application's current resume against its job's criteria."""
    application = ForeignKeyField(Application, backref="screenings", unique=True, on_delete="CASCADE")
    resume = ForeignKeyField(Resume, null=True, on_delete="SET NULL")
    job_version = ForeignKeyField(JobVersion, null=True, on_delete="SET NULL")
    score = FloatField(index=True)
    relevance = FloatField(default=0)
    must_met = IntegerField(default=0)
    must_total = IntegerField(default=0)
    knockout_failed = BooleanField(default=False)
    verdicts = JSONField(default=list)
    screener_version = CharField(max_length=60)
    created_at = DateTimeField(default=utcnow)


FUNNEL_MODELS = [JobVersion, JobScreening, PostingLink, Intake, Resume, Screening]

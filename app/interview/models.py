"""The AI interview: interviews, recorded answers and their uploads, the question clock, consent records,
ratings and scoring profiles, reports and the result cards sent for them."""
import dataclasses

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

from app.core.base import BaseModel, JSONField, Statuses, utcnow
from app.core.models import Application, Job, Question


class InterviewStatus(Statuses):
    """invited -> in_progress -> completed; expired (past its link's expiry) or revoked (re-invited) end it."""
    LABELS = {"invited": "已邀请", "in_progress": "进行中", "completed": "已完成",
              "expired": "已过期", "revoked": "已作废"}
    OPEN = ("invited", "in_progress")
    ENDED = ("completed", "expired", "revoked")


class AnswerStatus(Statuses):
    """uploaded -> transcribed -> analysed -> scored; failed once a step has used up its retries."""
    LABELS = {"uploaded": "已上传", "transcribed": "已转写", "analysed": "已分析",
              "scored": "已评分", "failed": "分析失败"}


class UploadStatus(Statuses):
    """open -> complete; replaced (a new init of the same attempt); abandoned (its interview ended first)."""
    LABELS = {"open": "上传中", "complete": "已上传", "replaced": "已被重新上传替换", "abandoned": "已放弃"}


@dataclasses.dataclass(frozen=True)
class AskedQuestion:
    """A question as an interview was sent it (Interview.questions): the attributes of the job's Question the
    interview's readers use, fixed when the interview was opened."""
    id: int
    position: int   # the question's place in its job when the interview was opened (from 0)
    text: str
    dimension_names: list
    think_seconds: int
    answer_seconds: int
    retakes_allowed: int
    anchors: dict

    FIELDS = ("id", "position", "text", "dimension_names", "think_seconds", "answer_seconds", "retakes_allowed",
              "anchors")

    @classmethod
    def snapshot(cls, questions):
        """What Interview.questions stores of a job's `questions` (in their order)."""
        return [{name: getattr(q, name) for name in cls.FIELDS} for q in questions]


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
    # The questions it was sent with, fixed when it was opened (invitations.open_interview; step 30):
    # [{"id", "position", "text", "dimension_names", "think_seconds", "answer_seconds", "retakes_allowed",
    # "anchors"}] in the order the candidate answers them. HR's later edits of the job reach new interviews only.
    questions = JSONField(default=list)

    @property
    def audio_only(self):
        return self.consent_biometric is False

    def asked_questions(self):
        """The questions this interview was sent with, in the candidate's order (AskedQuestion)."""
        return [AskedQuestion(**{name: q[name] for name in AskedQuestion.FIELDS}) for q in self.questions]

    def asked(self, question_id):
        """Question `question_id` as this interview was sent it, or None when it was not sent it."""
        return next((q for q in self.asked_questions() if q.id == question_id), None)


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

    @property
    def asked(self):
        """The question this answers, as its interview was sent it (its text, position, anchors then)."""
        return self.interview.asked(self.question_id)


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
    # The client's id of the recording being sent ("" when it sends none): two tabs of one link recording the same
    # attempt send two recordings, even of the same size, and the one stored second is refused, not dropped.
    recording = CharField(max_length=40, default="")


# One open upload per attempt: parallel inits of the same attempt cannot both create one (migration 3).
Upload.add_index(Upload.index(Upload.interview, Upload.question, Upload.attempt, unique=True,
                              name="upload_one_open_per_attempt", where=SQL("status = 'open'")))


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


class Rating(BaseModel):
    """One rater's 1-5 rating of one dimension of one answer, with what they were shown when they rated."""
    answer = ForeignKeyField(Answer, backref="ratings", on_delete="CASCADE")
    dimension = CharField(max_length=60)
    rater_userid = CharField(max_length=64)
    score = IntegerField()
    # The AI score and versions on the page when the rater rated (raters may anchor on it; calibration knows).
    shown_score = IntegerField(null=True)
    model_version = CharField(max_length=120, default="")
    profile_version = CharField(max_length=120, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("answer", "dimension", "rater_userid"), True),)


class ScoringProfile(BaseModel):
    """Weights fitted to a job's ratings; saved only when held-out agreement improved (app/interview/ratings.py)."""
    job = ForeignKeyField(Job, backref="scoring_profiles", on_delete="CASCADE")
    version = CharField(max_length=120, unique=True)
    weights = JSONField(default=dict)
    metrics = JSONField(default=dict)
    ratings_used = IntegerField(default=0)
    model_version = CharField(max_length=120, default="")
    created_at = DateTimeField(default=utcnow)

    def as_profile(self):
        return {"version": self.version, "weights": self.weights}


class Report(BaseModel):
    interview = ForeignKeyField(Interview, backref="reports", unique=True, on_delete="CASCADE")
    # The weighted total on 0-100; None when no answer could be scored (app/interview/reports.py: 无法评分, not 0)
    total = FloatField(null=True)
    # {name: {"score", "weight", "answers": [{"answer_id", "question", "score"}], "evidence": [...]}}, in the job's
    # dimension order
    dimensions = JSONField()
    # [{"code", "message", "question", "severity"}], most serious first (app/interview/integrity.py)
    flags = JSONField(default=list)
    # {"checks": [{code, label, ran, found, note}], "flags", "audio_only", "line"}; None on reports built before it
    integrity = JSONField(null=True)
    model_version = CharField(max_length=60)
    # The job version whose competency model (weights) scored it; None before job versions existed
    job_version = IntegerField(null=True)
    created_at = DateTimeField(default=utcnow)


class CardStatus(Statuses):
    """sending -> sent -> decided -> updated (buttons greyed out); retry (a transient send failure); failed."""
    LABELS = {"sending": "发送中", "retry": "等待重发", "sent": "已发送", "decided": "已决定,待更新",
              "updated": "已更新", "failed": "发送失败"}


class CardMessage(BaseModel):
    """A template card we sent. `card_key` says which card it is ("ai-result-<application id>", "round-decision-<round
    id>") and is UNIQUE: the same card cannot be sent twice. `task_id` is what WeCom knows it by (its button taps
    carry it): unique per send, because WeCom refuses a task_id its app has ever seen (40058), whatever database
    sent it before (a re-seeded one, staging on the same agent, a restored backup). Rows made before step 24 have
    task_id = card_key. Test and external cards have no card_key."""
    task_id = CharField(max_length=128, unique=True)
    application = ForeignKeyField(Application, backref="cards", null=True, on_delete="CASCADE")
    kind = CharField(max_length=20, default="result")  # result / test
    userids = JSONField(default=list)
    card = JSONField(default=dict)
    status = CharField(max_length=16, default=CardStatus.SENDING)  # CardStatus
    # The latest unused response_code (from the send reply or a click); each works once, for 72 h.
    response_code = CharField(max_length=255, default="")
    response_code_used = BooleanField(default=False)
    decision = CharField(max_length=32, default="")
    decided_by = CharField(max_length=64, default="")
    decided_by_name = CharField(max_length=60, default="")
    error = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    card_key = CharField(max_length=128, unique=True, null=True)   # migration step 24
    # The decision's own moment (its stage or process event's time), written with it: what a decided card says.
    # Not updated_at, which a send finishing after a decision on the page writes later (migration step 29).
    decided_at = DateTimeField(null=True)

    # Which card a row is, as HR reads it on the application page (the task id is WeCom's code, not a name)
    KIND_LABELS = {"result": "AI面试结果卡片", "round": "复试决定卡片", "test": "测试卡片", "external": "卡片"}

    @property
    def status_label(self):
        return CardStatus.LABELS.get(self.status, self.status)

    @property
    def kind_label(self):
        return self.KIND_LABELS.get(self.kind, "卡片")


INTERVIEW_MODELS = [Interview, Answer, Upload, QuestionStart, Report, CardMessage, Rating, ScoringProfile,
                    ConsentRecord]

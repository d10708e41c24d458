"""The shared nouns every domain refers to: jobs with their competency model and questions, candidates,
also their applications and the stage trail, staff roles, received WeCom events."""
from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from app.core.base import BaseModel, JSONField, Statuses, utcnow


class JobStatus(Statuses):
    """A posted job is open (candidates can apply) or closed; LABELS is what HR reads."""
    LABELS = {"open": "招聘中", "closed": "已关闭"}


class Job(BaseModel):
    title = CharField(max_length=120)
    department = CharField(max_length=120, default="")
    location = CharField(max_length=120, default="")
    description = TextField(default="")
    requirements = TextField(default="")
    # WeCom userids of the hiring managers who receive result cards.
    manager_userids = JSONField(default=list)
    # Expressions count toward a score only when the job turns this on (and the candidate consented).
    use_expressions = BooleanField(default=False)
    # the identity step: an SMS code to the phone the candidate applied with, instead of its last 4 digits
    identity_by_sms = BooleanField(default=False)
    status = CharField(max_length=20, default=JobStatus.OPEN)  # JobStatus
    # 岗位类别: jobs of one family are each other's baseline in the analytics bottleneck flags ("" = none)
    family = CharField(max_length=40, default="")
    # The newest JobVersion number (app/screening/job_versions.record keeps it); reports copy it
    version = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    def ordered_questions(self):
        return list(self.questions.order_by(Question.position))

    def ordered_dimensions(self):
        return list(self.dimensions.order_by(Dimension.position))

    @property
    def status_label(self):
        return JobStatus.LABELS.get(self.status, self.status)


class Dimension(BaseModel):
    job = ForeignKeyField(Job, backref="dimensions", on_delete="CASCADE")
    name = CharField(max_length=60)
    description = TextField(default="")
    weight = IntegerField()
    keywords = JSONField(default=list)
    rubric = JSONField(default=list)
    position = IntegerField(default=0)

    class Meta:
        indexes = ((("job", "name"), True),)


class Question(BaseModel):
    job = ForeignKeyField(Job, backref="questions", on_delete="CASCADE")
    position = IntegerField()
    text = TextField()
    # Names of the job's dimensions this question probes.
    dimension_names = JSONField(default=list)
    think_seconds = IntegerField(default=30)
    answer_seconds = IntegerField(default=120)
    retakes_allowed = IntegerField(default=1)
    # Anchor answers written by HR: {dimension name: {"1": text, "3": text, "5": text, ...}} (docs/job-templates.md).
    anchors = JSONField(default=dict)

    class Meta:
        indexes = ((("job", "position"), True),)


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


class StageEvent(BaseModel):
    application = ForeignKeyField(Application, backref="stage_events", on_delete="CASCADE")
    from_stage = CharField(max_length=32)
    to_stage = CharField(max_length=32)
    actor = CharField(max_length=64)
    source = CharField(max_length=16)  # web / card / approval / system / cli
    reason = TextField(default="")   # for staff (the timeline); never shown to the candidate
    # What HR wrote for the candidate with this move (the workbench's 淘汰 message): their stage notice carries it.
    candidate_message = TextField(default="")
    created_at = DateTimeField(default=utcnow)


class Note(BaseModel):
    application = ForeignKeyField(Application, backref="notes", on_delete="CASCADE")
    author = CharField(max_length=64)
    body = TextField()
    created_at = DateTimeField(default=utcnow)


class EventStatus(Statuses):
    """received -> handled | refused (not allowed, e.g. a tap by a non-manager); ignored: nothing to do;
    failed: the handler kept failing until the sweep gave up (wecom_callbacks/handlers.py)."""
    LABELS = {"received": "已接收", "handled": "已处理", "refused": "已拒绝",
              "ignored": "无需处理", "failed": "处理失败"}
    FINAL = ("handled", "refused", "ignored", "failed")


class WeComEvent(BaseModel):
    """A callback as received; `dedupe_key` is UNIQUE so a redelivery cannot be stored (or handled) twice."""
    dedupe_key = CharField(max_length=255, unique=True)
    msg_type = CharField(max_length=32)
    event_type = CharField(max_length=64, default="", index=True)
    from_user = CharField(max_length=64, default="")
    agent_id = IntegerField(null=True)
    raw_xml = TextField()
    payload = JSONField(default=dict)
    status = CharField(max_length=16, default=EventStatus.RECEIVED)  # EventStatus
    result = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    handled_at = DateTimeField(null=True)


class StaffUser(BaseModel):
    """A member who signed in to /admin or /m. HR comes from HR_USERIDS, read on every request, or from `is_hr`,
    a grant made in the database (sign-in never writes it: migration step 19); managers are derived from
    Job.manager_userids."""
    userid = CharField(max_length=64, unique=True)
    name = CharField(max_length=60, default="")
    is_hr = BooleanField(default=False)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)


CORE_MODELS = [Job, Dimension, Question, Candidate, Application, StageEvent, Note, WeComEvent, StaffUser]

"""Step 14, the baseline: every table of release 14, frozen (written by `flask db freeze` on 2026-12-06).

A fresh database starts here. A database made before this release already has these tables (it recorded versions
1-14 with the old migrations) and continues with step 15. Ids are IdField: AUTOINCREMENT on SQLite, so the id of a
deleted row is never handed out again (issue 20.3); step 15 rebuilds an older SQLite database's tables to match.
"""
from peewee import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DoubleField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from app.core.migrations import ops
from app.core.migrations.ops import FrozenModel, IdField


class Job(FrozenModel):
    id = IdField()
    title = CharField(max_length=120)
    department = CharField(max_length=120, default='')
    location = CharField(max_length=120, default='')
    description = TextField(default='')
    requirements = TextField(default='')
    manager_userids = TextField(default='[]')
    use_expressions = BooleanField(default=False)
    status = CharField(max_length=20, default='open')
    family = CharField(max_length=40, default='')
    version = IntegerField(default=0)
    created_at = DateTimeField()

    class Meta:
        table_name = 'job'


class Dimension(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    name = CharField(max_length=60)
    description = TextField(default='')
    weight = IntegerField()
    keywords = TextField(default='[]')
    rubric = TextField(default='[]')
    position = IntegerField(default=0)

    class Meta:
        table_name = 'dimension'
        indexes = ((('job', 'name'), True),)


class Question(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    position = IntegerField()
    text = TextField()
    dimension_names = TextField(default='[]')
    think_seconds = IntegerField(default=30)
    answer_seconds = IntegerField(default=120)
    retakes_allowed = IntegerField(default=1)
    anchors = TextField(default='{}')

    class Meta:
        table_name = 'question'
        indexes = ((('job', 'position'), True),)


class Candidate(FrozenModel):
    id = IdField()
    name = CharField(max_length=60)
    phone = CharField(max_length=32)
    email = CharField(max_length=120, default='')
    resume_text = TextField(default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'candidate'


class Application(FrozenModel):
    id = IdField()
    candidate = ForeignKeyField(Candidate, column_name='candidate_id', on_delete='CASCADE', backref='+')
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    stage = CharField(max_length=32, index=True, default='applied')
    problem = TextField(default='')
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = 'application'
        indexes = ((('candidate', 'job'), True),)


class Interview(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    token_hash = CharField(max_length=64, unique=True)
    expires_at = DateTimeField()
    status = CharField(max_length=20, default='invited')
    consent_recording_at = DateTimeField(null=True)
    consent_biometric = BooleanField(null=True)
    consent_biometric_at = DateTimeField(null=True)
    consent_text_version = CharField(max_length=20, default='')
    identity_attempts = IntegerField(default=0)
    identity_verified_at = DateTimeField(null=True)
    reference_image = CharField(max_length=255, default='')
    device_checked_at = DateTimeField(null=True)
    started_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'interview'


class Answer(FrozenModel):
    id = IdField()
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+')
    question = ForeignKeyField(Question, column_name='question_id', on_delete='CASCADE', backref='+')
    attempt = IntegerField(default=1)
    media_key = CharField(max_length=255)
    media_purged_at = DateTimeField(null=True)
    mime_type = CharField(max_length=80, default='')
    size_bytes = BigIntegerField(default=0)
    duration_s = FloatField(default=0)
    has_video = BooleanField(default=False)
    playback_key = CharField(max_length=255, default='')
    poster_key = CharField(max_length=255, default='')
    playback_error = TextField(default='')
    status = CharField(max_length=20, default='uploaded')
    error = TextField(default='')
    transcript = TextField(null=True)
    features = TextField(null=True)
    video = TextField(null=True)
    scores = TextField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'answer'
        indexes = ((('interview', 'question', 'attempt'), True),)


class Upload(FrozenModel):
    id = CharField(max_length=32, primary_key=True)
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+')
    question = ForeignKeyField(Question, column_name='question_id', on_delete='CASCADE', backref='+')
    attempt = IntegerField()
    mime_type = CharField(max_length=80)
    total_bytes = BigIntegerField()
    chunk_bytes = IntegerField()
    total_chunks = IntegerField()
    status = CharField(max_length=20, default='open')
    created_at = DateTimeField()

    class Meta:
        table_name = 'upload'


class StageEvent(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    from_stage = CharField(max_length=32)
    to_stage = CharField(max_length=32)
    actor = CharField(max_length=64)
    source = CharField(max_length=16)
    reason = TextField(default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'stage_event'


class Note(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    author = CharField(max_length=64)
    body = TextField()
    created_at = DateTimeField()

    class Meta:
        table_name = 'note'


class Report(FrozenModel):
    id = IdField()
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+',
        unique=True)
    total = FloatField()
    dimensions = TextField()
    flags = TextField(default='[]')
    integrity = TextField(null=True)
    model_version = CharField(max_length=60)
    job_version = IntegerField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'report'


class WeComEvent(FrozenModel):
    id = IdField()
    dedupe_key = CharField(max_length=255, unique=True)
    msg_type = CharField(max_length=32)
    event_type = CharField(max_length=64, index=True, default='')
    from_user = CharField(max_length=64, default='')
    agent_id = IntegerField(null=True)
    raw_xml = TextField()
    payload = TextField(default='{}')
    status = CharField(max_length=16, default='received')
    result = TextField(default='')
    created_at = DateTimeField()
    handled_at = DateTimeField(null=True)

    class Meta:
        table_name = 'we_com_event'


class CardMessage(FrozenModel):
    id = IdField()
    task_id = CharField(max_length=128, unique=True)
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        null=True)
    kind = CharField(max_length=20, default='result')
    userids = TextField(default='[]')
    card = TextField(default='{}')
    status = CharField(max_length=16, default='sending')
    response_code = CharField(max_length=255, default='')
    response_code_used = BooleanField(default=False)
    decision = CharField(max_length=32, default='')
    decided_by = CharField(max_length=64, default='')
    decided_by_name = CharField(max_length=60, default='')
    error = TextField(default='')
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = 'card_message'


class Approval(FrozenModel):
    id = IdField()
    sp_no = CharField(max_length=64, unique=True)
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    kind = CharField(max_length=20, default='offer')
    creator = CharField(max_length=64)
    sp_status = IntegerField(default=1)
    detail = TextField(null=True)
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = 'approval'


class StaffUser(FrozenModel):
    id = IdField()
    userid = CharField(max_length=64, unique=True)
    name = CharField(max_length=60, default='')
    is_hr = BooleanField(default=False)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'staff_user'


class QuestionStart(FrozenModel):
    id = IdField()
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+')
    question = ForeignKeyField(Question, column_name='question_id', on_delete='CASCADE', backref='+')
    attempt = IntegerField()
    shown_at = DateTimeField()
    recording_started_at = DateTimeField(null=True)
    recording_limit_s = FloatField(null=True)
    recording_restarts = IntegerField(default=0)
    hidden_count = IntegerField(default=0)
    hidden_seconds = FloatField(default=0)
    makeup_started_at = DateTimeField(null=True)

    class Meta:
        table_name = 'question_start'
        indexes = ((('interview', 'question', 'attempt'), True),)


class Rating(FrozenModel):
    id = IdField()
    answer = ForeignKeyField(Answer, column_name='answer_id', on_delete='CASCADE', backref='+')
    dimension = CharField(max_length=60)
    rater_userid = CharField(max_length=64)
    score = IntegerField()
    shown_score = IntegerField(null=True)
    model_version = CharField(max_length=120, default='')
    profile_version = CharField(max_length=120, default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'rating'
        indexes = ((('answer', 'dimension', 'rater_userid'), True),)


class ScoringProfile(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    version = CharField(max_length=120, unique=True)
    weights = TextField(default='{}')
    metrics = TextField(default='{}')
    ratings_used = IntegerField(default=0)
    model_version = CharField(max_length=120, default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'scoring_profile'


class ConsentRecord(FrozenModel):
    id = IdField()
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+')
    kind = CharField(max_length=20)
    granted = BooleanField()
    text_version = CharField(max_length=20)
    created_at = DateTimeField()

    class Meta:
        table_name = 'consent_record'


class Message(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    sender_kind = CharField(max_length=12)
    sender = CharField(max_length=64)
    channel = CharField(max_length=12)
    body = TextField(default='')
    notice_key = CharField(max_length=64, null=True, unique=True)
    external_msgid = CharField(max_length=128, null=True, unique=True)
    created_at = DateTimeField(index=True)

    class Meta:
        table_name = 'message'


class Attachment(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    message = ForeignKeyField(Message, column_name='message_id', on_delete='CASCADE', backref='+', null=True)
    storage_key = CharField(max_length=255)
    filename = CharField(max_length=120)
    mime_type = CharField(max_length=80)
    kind = CharField(max_length=12)
    size_bytes = BigIntegerField()
    created_at = DateTimeField()

    class Meta:
        table_name = 'attachment'


class AttachmentUpload(FrozenModel):
    id = CharField(max_length=32, primary_key=True)
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    interview = ForeignKeyField(Interview, column_name='interview_id', on_delete='CASCADE', backref='+')
    filename = CharField(max_length=120)
    total_bytes = BigIntegerField()
    chunk_bytes = IntegerField()
    total_chunks = IntegerField()
    status = CharField(max_length=20, default='open')
    attachment = ForeignKeyField(Attachment, column_name='attachment_id', on_delete='SET NULL', backref='+',
        null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'attachment_upload'


class Delivery(FrozenModel):
    id = IdField()
    message = ForeignKeyField(Message, column_name='message_id', on_delete='CASCADE', backref='+')
    channel = CharField(max_length=12)
    state = CharField(max_length=24, default='queued')
    detail = TextField(default='')
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = 'delivery'
        indexes = ((('message', 'channel'), True),)


class ChannelLink(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    kind = CharField(max_length=12)
    address = CharField(max_length=64)
    via = CharField(max_length=64)
    last_inbound_at = DateTimeField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'channel_link'
        indexes = ((('application', 'kind'), True), (('kind', 'via', 'address'), False))


class ReplyTemplate(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    title = CharField(max_length=40)
    body = TextField()
    created_by = CharField(max_length=64)
    created_at = DateTimeField()

    class Meta:
        table_name = 'reply_template'


class DeletionRequest(FrozenModel):
    id = IdField()
    candidate = ForeignKeyField(Candidate, column_name='candidate_id', on_delete='CASCADE', backref='+')
    application = ForeignKeyField(Application, column_name='application_id', on_delete='SET NULL', backref='+',
        null=True)
    requested_by = CharField(max_length=64)
    status = CharField(max_length=12, index=True, default='pending')
    deadline = DateTimeField()
    decided_by = CharField(max_length=64, default='')
    decided_at = DateTimeField(null=True)
    reason = TextField(default='')
    completed_at = DateTimeField(null=True)
    summary = TextField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'deletion_request'


class AccessLog(FrozenModel):
    id = IdField()
    candidate = ForeignKeyField(Candidate, column_name='candidate_id', on_delete='CASCADE', backref='+')
    application_id = IntegerField(null=True)
    actor = CharField(max_length=64)
    action = CharField(max_length=24)
    target = CharField(max_length=64, default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'access_log'
        indexes = ((('candidate', 'created_at'), False),)


class JobVersion(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    number = IntegerField()
    snapshot = TextField()
    author = CharField(max_length=64, default='')
    note = CharField(max_length=200, default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'job_version'
        indexes = ((('job', 'number'), True),)


class JobScreening(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+', unique=True)
    criteria = TextField(default='[]')
    questions = TextField(default='[]')
    knockout_rejects = BooleanField(default=False)
    auto_invite_at = IntegerField(null=True)
    remind_after_days = IntegerField(default=3)
    updated_at = DateTimeField()

    class Meta:
        table_name = 'job_screening'


class PostingLink(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    code = CharField(max_length=24, unique=True)
    channel = CharField(max_length=32)
    created_by = CharField(max_length=64, default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'posting_link'


class Intake(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        unique=True)
    channel = CharField(max_length=32, index=True)
    link = ForeignKeyField(PostingLink, column_name='link_id', on_delete='SET NULL', backref='+', null=True)
    token_hash = CharField(max_length=64, unique=True)
    answers = TextField(default='{}')
    job_version = ForeignKeyField(JobVersion, column_name='job_version_id', on_delete='SET NULL', backref='+',
        null=True)
    times_applied = IntegerField(default=1)
    candidate_message = TextField(default='')
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = 'intake'


class Resume(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    file_key = CharField(max_length=255)
    file_name = CharField(max_length=200, default='')
    kind = CharField(max_length=10)
    size_bytes = BigIntegerField(default=0)
    sha256 = CharField(max_length=64)
    status = CharField(max_length=10, default='pending')
    error = TextField(default='')
    method = CharField(max_length=10, default='')
    raw_text = TextField(default='')
    tokens = TextField(default='')
    fields = TextField(null=True)
    parser_version = CharField(max_length=60, default='')
    created_at = DateTimeField()
    parsed_at = DateTimeField(null=True)

    class Meta:
        table_name = 'resume'


class Screening(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        unique=True)
    resume = ForeignKeyField(Resume, column_name='resume_id', on_delete='SET NULL', backref='+', null=True)
    job_version = ForeignKeyField(JobVersion, column_name='job_version_id', on_delete='SET NULL', backref='+',
        null=True)
    score = FloatField(index=True)
    relevance = FloatField(default=0)
    must_met = IntegerField(default=0)
    must_total = IntegerField(default=0)
    knockout_failed = BooleanField(default=False)
    verdicts = TextField(default='[]')
    screener_version = CharField(max_length=60)
    created_at = DateTimeField()

    class Meta:
        table_name = 'screening'


class ApplicationFact(FrozenModel):
    application_id = IntegerField(primary_key=True)
    job_id = IntegerField()
    applied_at = DateTimeField()
    stage = CharField(max_length=32)
    channel = CharField(max_length=32, default='hr_invite')
    max_step = IntegerField()
    closed = BooleanField()
    total = FloatField(null=True)
    gender = CharField(max_length=20, default='')
    age_band = CharField(max_length=20, default='')
    at_1 = IntegerField(null=True)
    at_2 = IntegerField(null=True)
    at_3 = IntegerField(null=True)
    at_4 = IntegerField(null=True)
    at_5 = IntegerField(null=True)
    at_6 = IntegerField(null=True)
    at_7 = IntegerField(null=True)
    at_8 = IntegerField(null=True)
    at_9 = IntegerField(null=True)

    class Meta:
        table_name = 'analytics_application_fact'
        indexes = ((('job_id', 'applied_at'), False), (('applied_at',), False))


class ScoreFact(FrozenModel):
    id = IdField()
    application_id = IntegerField()
    job_id = IntegerField()
    applied_at = DateTimeField()
    channel = CharField(max_length=32, default='hr_invite')
    dimension = CharField(max_length=60)
    score = FloatField()

    class Meta:
        table_name = 'analytics_score_fact'
        indexes = ((('job_id', 'applied_at'), False), (('application_id',), False), (('applied_at',), False))


class ScorecardFact(FrozenModel):
    scorecard_id = IntegerField(primary_key=True)
    application_id = IntegerField()
    job_id = IntegerField()
    applied_at = DateTimeField()
    channel = CharField(max_length=32, default='hr_invite')
    interviewer = CharField(max_length=64)
    recommendation = CharField(max_length=16)
    mean_score = DoubleField(null=True)
    others_mean = DoubleField(null=True)
    ai_total = DoubleField(null=True)

    class Meta:
        table_name = 'analytics_scorecard_fact'
        indexes = ((('job_id', 'applied_at'), False), (('application_id',), False), (('applied_at',), False))


class ScorecardDimensionFact(FrozenModel):
    id = IdField()
    application_id = IntegerField()
    job_id = IntegerField()
    applied_at = DateTimeField()
    channel = CharField(max_length=32, default='hr_invite')
    dimension = CharField(max_length=60)
    panel_mean = DoubleField()
    ai_score = DoubleField(null=True)

    class Meta:
        table_name = 'analytics_scorecard_dimension_fact'
        indexes = ((('job_id', 'applied_at'), False), (('application_id',), False), (('applied_at',), False))


class RollupState(FrozenModel):
    key = CharField(max_length=40, primary_key=True)
    value = IntegerField(default=0)

    class Meta:
        table_name = 'analytics_rollup_state'


class PerformanceImport(FrozenModel):
    id = IdField()
    filename = CharField(max_length=200)
    actor = CharField(max_length=64)
    rows = TextField(default='[]')
    status = CharField(max_length=12, default='preview')
    created_at = DateTimeField()
    committed_at = DateTimeField(null=True)

    class Meta:
        table_name = 'analytics_performance_import'


class PerformanceRecord(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    period = CharField(max_length=20)
    rating = FloatField()
    kpis = TextField(default='{}')
    source = ForeignKeyField(PerformanceImport, column_name='source_id', on_delete='SET NULL', backref='+',
        null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = 'analytics_performance'
        indexes = ((('application', 'period'), True),)


class WeightChange(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    old_weights = TextField()
    new_weights = TextField()
    evidence = TextField(default='{}')
    version = IntegerField(null=True)
    actor = CharField(max_length=64)
    created_at = DateTimeField()

    class Meta:
        table_name = 'analytics_weight_change'


class AnalyticsFlag(FrozenModel):
    id = IdField()
    key = CharField(max_length=120, unique=True)
    job_id = IntegerField(null=True)
    kind = CharField(max_length=20)
    message = TextField()
    details = TextField(default='{}')
    first_seen = DateTimeField()
    last_seen = DateTimeField()
    active = BooleanField(default=True)
    pushed_at = DateTimeField(null=True)

    class Meta:
        table_name = 'analytics_flag'


class SelfIdentification(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        unique=True)
    gender = CharField(max_length=20, default='')
    age_band = CharField(max_length=20, default='')
    extra = TextField(default='{}')
    consent_version = CharField(max_length=20)
    created_at = DateTimeField()

    class Meta:
        table_name = 'self_identification'


class ImpactSnapshot(FrozenModel):
    id = IdField()
    week = DateField()
    job_id = IntegerField(default=0)
    payload = TextField()
    created_at = DateTimeField()

    class Meta:
        table_name = 'analytics_impact_snapshot'
        indexes = ((('week', 'job_id'), True),)


class InterviewerWindow(FrozenModel):
    id = IdField()
    userid = CharField(max_length=64, index=True)
    start_at = DateTimeField()
    end_at = DateTimeField()
    created_by = CharField(max_length=64)
    created_at = DateTimeField()

    class Meta:
        table_name = 'interviewer_window'


class Round(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        unique=True)
    interviewers = TextField(default='[]')
    duration_min = IntegerField()
    format = CharField(max_length=12)
    place = CharField(max_length=120, default='')
    focus = TextField(default='')
    candidate_answer = CharField(max_length=16, default='')
    candidate_note = TextField(default='')
    created_by = CharField(max_length=64)
    created_at = DateTimeField()

    class Meta:
        table_name = 'round'


class Slot(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+')
    start_at = DateTimeField(index=True)
    end_at = DateTimeField()
    interviewers = TextField(default='[]')
    format = CharField(max_length=12)
    place = CharField(max_length=120, default='')
    cancelled = BooleanField(default=False)
    created_by = CharField(max_length=64)
    created_at = DateTimeField()

    class Meta:
        table_name = 'slot'


class RoundSlot(FrozenModel):
    id = IdField()
    round = ForeignKeyField(Round, column_name='round_id', on_delete='CASCADE', backref='+')
    slot = ForeignKeyField(Slot, column_name='slot_id', on_delete='CASCADE', backref='+')

    class Meta:
        table_name = 'round_slot'
        indexes = ((('round', 'slot'), True),)


class Booking(FrozenModel):
    id = IdField()
    slot = ForeignKeyField(Slot, column_name='slot_id', on_delete='CASCADE', backref='+', unique=True)
    round = ForeignKeyField(Round, column_name='round_id', on_delete='CASCADE', backref='+', unique=True)
    schedule_id = CharField(max_length=128, default='')
    meeting_id = CharField(max_length=128, default='')
    meeting_link = CharField(max_length=255, default='')
    meeting_code = CharField(max_length=32, default='')
    synced_start = DateTimeField(null=True)
    calendar_error = TextField(default='')
    created_at = DateTimeField()

    class Meta:
        table_name = 'booking'


class BusyInterval(FrozenModel):
    id = IdField()
    userid = CharField(max_length=64)
    slot = ForeignKeyField(Slot, column_name='slot_id', on_delete='CASCADE', backref='+')
    start_at = DateTimeField()
    end_at = DateTimeField()

    class Meta:
        table_name = 'busy_interval'
        indexes = ((('userid', 'start_at'), True),)


class Scorecard(FrozenModel):
    id = IdField()
    round = ForeignKeyField(Round, column_name='round_id', on_delete='CASCADE', backref='+')
    interviewer = CharField(max_length=64)
    ratings = TextField(default='{}')
    concerns = TextField(default='[]')
    recommendation = CharField(max_length=16)
    summary = TextField(default='')
    submitted_at = DateTimeField()

    class Meta:
        table_name = 'scorecard'
        indexes = ((('round', 'interviewer'), True),)


class OfferPolicy(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+', unique=True)
    position = CharField(max_length=120, default='')
    level = CharField(max_length=32, default='')
    salary_min = IntegerField(default=0)
    salary_max = IntegerField(default=0)
    min_notice_days = IntegerField(default=14)
    place = CharField(max_length=120, default='')
    probation_months = IntegerField(default=3)
    valid_days = IntegerField(default=7)

    class Meta:
        table_name = 'offer_policy'


class Offer(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        unique=True)
    position = CharField(max_length=120)
    level = CharField(max_length=32, default='')
    salary = IntegerField()
    start_date = DateField()
    place = CharField(max_length=120)
    probation_months = IntegerField()
    expires_on = DateField()
    breaks = TextField(default='[]')
    sp_no = CharField(max_length=64, default='')
    status = CharField(max_length=20)
    answer_text = CharField(max_length=60, default='')
    decline_reason = TextField(default='')
    answered_at = DateTimeField(null=True)
    employee_userid = CharField(max_length=64, default='')
    account_error = TextField(default='')
    created_by = CharField(max_length=64)
    created_at = DateTimeField()

    class Meta:
        table_name = 'offer'


class CheckOrder(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+',
        unique=True)
    provider = CharField(max_length=32, default='self_serve')
    status = CharField(max_length=20, default='awaiting_consent')
    consent_version = CharField(max_length=20, default='')
    consent_at = DateTimeField(null=True)
    vendor_ref = CharField(max_length=128, default='')
    decided_by = CharField(max_length=64, default='')
    decision_note = TextField(default='')
    created_at = DateTimeField()
    updated_at = DateTimeField()

    class Meta:
        table_name = 'check_order'


class CheckItem(FrozenModel):
    id = IdField()
    order = ForeignKeyField(CheckOrder, column_name='order_id', on_delete='CASCADE', backref='+')
    kind = CharField(max_length=20)
    label = CharField(max_length=60)
    status = CharField(max_length=12, default='pending')
    value = CharField(max_length=120, default='')
    attachment_id = IntegerField(null=True)
    note = TextField(default='')
    verified_by = CharField(max_length=64, default='')
    updated_at = DateTimeField()

    class Meta:
        table_name = 'check_item'
        indexes = ((('order', 'kind', 'label'), True),)


class OnboardingItem(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    key = CharField(max_length=32)
    label = CharField(max_length=60)
    kind = CharField(max_length=12)
    status = CharField(max_length=12, default='pending')
    value = TextField(default='')
    attachment_id = IntegerField(null=True)
    note = TextField(default='')
    verified_by = CharField(max_length=64, default='')
    updated_at = DateTimeField()

    class Meta:
        table_name = 'onboarding_item'
        indexes = ((('application', 'key'), True),)


class ProcessEvent(FrozenModel):
    id = IdField()
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    kind = CharField(max_length=32)
    actor = CharField(max_length=64)
    detail = TextField(default='')
    created_at = DateTimeField(index=True)

    class Meta:
        table_name = 'process_event'


class SentNotice(FrozenModel):
    id = IdField()
    key = CharField(max_length=128, unique=True)
    application = ForeignKeyField(Application, column_name='application_id', on_delete='CASCADE', backref='+')
    kind = CharField(max_length=32)
    recipients = TextField(default='[]')
    created_at = DateTimeField()

    class Meta:
        table_name = 'sent_notice'


class ReminderSetting(FrozenModel):
    id = IdField()
    job = ForeignKeyField(Job, column_name='job_id', on_delete='CASCADE', backref='+', unique=True)
    disabled = TextField(default='[]')

    class Meta:
        table_name = 'reminder_setting'


MODELS = [Job, Dimension, Question, Candidate, Application, Interview, Answer, Upload, StageEvent, Note, Report,
          WeComEvent, CardMessage, Approval, StaffUser, QuestionStart, Rating, ScoringProfile, ConsentRecord,
          Message, Attachment, AttachmentUpload, Delivery, ChannelLink, ReplyTemplate, DeletionRequest, AccessLog,
          JobVersion, JobScreening, PostingLink, Intake, Resume, Screening, ApplicationFact, ScoreFact,
          ScorecardFact, ScorecardDimensionFact, RollupState, PerformanceImport, PerformanceRecord, WeightChange,
          AnalyticsFlag, SelfIdentification, ImpactSnapshot, InterviewerWindow, Round, Slot, RoundSlot, Booking,
          BusyInterval, Scorecard, OfferPolicy, Offer, CheckOrder, CheckItem, OnboardingItem, ProcessEvent,
          SentNotice, ReminderSetting]
EXTRA_SQL = [
    'CREATE UNIQUE INDEX "upload_one_open_per_attempt" ON "upload" ("interview_id", "question_id", "attempt") '
    "WHERE status = 'open'",
]


def upgrade(db):
    ops.create_tables(db, MODELS)
    for sql in EXTRA_SQL:
        db.execute_sql(sql)

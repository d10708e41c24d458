"""Numbered schema migrations applied in place (`flask --app wsgi db upgrade`, the Procfile's release step).

A migration is a function of (database, migrator). Never edit one that has shipped: add the next number.
Migration 1 creates the tables of the *current* models (safe=True), so on a fresh database it already makes
what later migrations add. Every later migration must therefore be a no-op when its change is present: use
`add_column_if_missing` / `add_index_if_missing` below (or check `database.get_columns` yourself).
"""
import logging

from peewee import CharField, DateTimeField, IntegerField, Model, SqliteDatabase
from playhouse.migrate import SchemaMigrator

from app.db import database
from app.models.base import utcnow

log = logging.getLogger(__name__)


class SchemaVersion(Model):
    version = IntegerField(primary_key=True)
    name = CharField(max_length=120)
    applied_at = DateTimeField(default=utcnow)

    class Meta:
        database = database
        table_name = "schema_version"


def _initial(db, migrator):
    from app.models import ALL_MODELS
    db.create_tables(ALL_MODELS, safe=True)


def add_column_if_missing(db, migrator, table, name, field):
    """Add a column unless the table already has it (a fresh database got it from migration 1).

    On SQLite a NOT NULL column is added as a nullable one and filled with its default: peewee would make it
    NOT NULL by rebuilding the table, and dropping the old table deletes every row that references it with
    ON DELETE CASCADE (adding a column to `job` emptied dimensions, questions and applications).
    """
    from playhouse.migrate import migrate
    if name in {c.name for c in db.get_columns(table)}:
        return
    if isinstance(db.obj, SqliteDatabase) and not field.null:
        field.null = True
        migrate(migrator.add_column(table, name, field))
        default = field.default() if callable(field.default) else field.default
        db.execute_sql(f'UPDATE "{table}" SET "{name}" = ?', (field.db_value(default),))
        return
    migrate(migrator.add_column(table, name, field))


def add_index_if_missing(db, migrator, table, columns, unique=False):
    """Add an index on `columns` unless one with exactly those columns exists."""
    from playhouse.migrate import migrate
    if not any(list(i.columns) == list(columns) for i in db.get_indexes(table)):
        migrate(migrator.add_index(table, tuple(columns), unique))


def _question_anchors(db, migrator):
    from app.models.base import JSONField
    add_column_if_missing(db, migrator, "question", "anchors", JSONField(default=dict))


def _rater_calibration(db, migrator):
    from app.models.ratings import Rating, ScoringProfile
    db.create_tables([Rating, ScoringProfile], safe=True)


def _answer_playback(db, migrator):
    from peewee import CharField, TextField
    add_column_if_missing(db, migrator, "answer", "playback_key", CharField(max_length=255, default=""))
    add_column_if_missing(db, migrator, "answer", "poster_key", CharField(max_length=255, default=""))
    add_column_if_missing(db, migrator, "answer", "playback_error", TextField(default=""))


def _integrity(db, migrator):
    from peewee import FloatField, IntegerField

    from app.models.base import JSONField
    add_column_if_missing(db, migrator, "report", "integrity", JSONField(null=True))
    add_column_if_missing(db, migrator, "question_start", "hidden_count", IntegerField(default=0))
    add_column_if_missing(db, migrator, "question_start", "hidden_seconds", FloatField(default=0))


def _consent_records(db, migrator):
    """The consent history table; interviews consented before it get one record per consent they hold."""
    from app.models import ConsentRecord, Interview
    if ConsentRecord._meta.table_name in db.get_tables():
        return
    db.create_tables([ConsentRecord], safe=True)
    for row in Interview.select().where(Interview.consent_recording_at.is_null(False)):
        ConsentRecord.create(interview=row.id, kind="recording", granted=True, text_version=row.consent_text_version,
                             created_at=row.consent_recording_at)
        if row.consent_biometric is not None:
            ConsentRecord.create(interview=row.id, kind="biometric", granted=row.consent_biometric,
                                 text_version=row.consent_text_version,
                                 created_at=row.consent_biometric_at or row.consent_recording_at)


def _one_open_upload(db, migrator):
    """A partial unique index: at most one open upload per attempt (older duplicates are marked replaced)."""
    from peewee import fn

    from app.models import Upload
    duplicated = (Upload.select(Upload.interview, Upload.question, Upload.attempt).where(Upload.status == "open")
                  .group_by(Upload.interview, Upload.question, Upload.attempt).having(fn.COUNT(Upload.id) > 1))
    for group in duplicated:
        rows = (Upload.select().where((Upload.interview == group.interview_id) & (Upload.question == group.question_id)
                                      & (Upload.attempt == group.attempt) & (Upload.status == "open"))
                .order_by(Upload.created_at.desc()))
        for row in list(rows)[1:]:
            Upload.update(status="replaced").where(Upload.id == row.id).execute()
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "upload_one_open_per_attempt" ON "upload" '
                   "(\"interview_id\", \"question_id\", \"attempt\") WHERE \"status\" = 'open'")


def _conversation(db, migrator):
    """The conversation domain's tables (app/conversation/models.py); a fresh database has them from 1."""
    from app.conversation.models import CONVERSATION_MODELS
    db.create_tables(CONVERSATION_MODELS, safe=True)


def _privacy(db, migrator):
    """Deletion requests and the access log (app/privacy/models.py); a fresh database has them from 1."""
    from app.privacy.models import PRIVACY_MODELS
    db.create_tables(PRIVACY_MODELS, safe=True)


def _funnel_tables(db, migrator):
    """Issue 11: job versions, screening settings, posting links, intakes, resumes, screenings (new tables only)."""
    from app.screening.models import FUNNEL_MODELS
    db.create_tables(FUNNEL_MODELS, safe=True)
def _analytics(db, migrator):
    """The analytics domain's tables (app/analytics/models.py); a fresh database has them from 1."""
    from app.analytics.models import ANALYTICS_MODELS
    db.create_tables(ANALYTICS_MODELS, safe=True)
def _process(db, migrator):
    """The process domain's tables (app/process/models.py): slots, bookings, scorecards, offers, events."""
    from app.process.models import PROCESS_MODELS
    db.create_tables(PROCESS_MODELS, safe=True)


def _analytics_dimensions(db, migrator):
    """Issue 13: posting channel in the rollups, job families, competency-model versions on jobs and reports."""
    from peewee import CharField, IntegerField

    from app.screening.models import JobVersion
    add_column_if_missing(db, migrator, "job", "family", CharField(max_length=40, default=""))
    add_column_if_missing(db, migrator, "job", "version", IntegerField(default=0))
    db.execute_sql(f"UPDATE job SET version = COALESCE((SELECT MAX(v.number) FROM {JobVersion._meta.table_name} v "
                   "WHERE v.job_id = job.id), 0)")
    add_column_if_missing(db, migrator, "report", "job_version", IntegerField(null=True))
    add_column_if_missing(db, migrator, "analytics_weight_change", "version", IntegerField(null=True))
    for table in ("analytics_application_fact", "analytics_score_fact"):
        add_column_if_missing(db, migrator, table, "channel", CharField(max_length=32, default="hr_invite"))
    # the facts' channel is filled by the next rollup: rebuild it from scratch
    db.execute_sql("DELETE FROM analytics_rollup_state")


def _scorecard_rollup(db, migrator):
    """The scorecard rollup tables (analytics_scorecard_fact, analytics_scorecard_dimension_fact; a fresh database
    has them from 1), filled by the next refresh: clear the marks so it rebuilds every fact."""
    from app.analytics.models import ScorecardDimensionFact, ScorecardFact
    db.create_tables([ScorecardFact, ScorecardDimensionFact], safe=True)
    db.execute_sql("DELETE FROM analytics_rollup_state")


def _notifications(db, migrator):
    """Issue 21: the notifications domain's tables (app/notifications/models.py), new tables only."""
    from app.notifications.models import NOTIFICATION_MODELS
    db.create_tables(NOTIFICATION_MODELS, safe=True)


MIGRATIONS = [
    (1, "initial schema", _initial),
    (2, "question anchor answers", _question_anchors),
    (3, "rater ratings and scoring profiles", _rater_calibration),
    (4, "answer playback copy and poster", _answer_playback),
    (5, "integrity checks: report summary, page left during recording", _integrity),
    (6, "append-only consent records", _consent_records),
    (7, "one open upload per attempt", _one_open_upload),
    (8, "conversation: messages, attachments, deliveries, channel links, reply templates", _conversation),
    (9, "privacy: deletion requests, access log", _privacy),
    (10, "funnel: postings, resumes, screening, job versions", _funnel_tables),
    (11, "analytics: rollups, post-hire performance, weight changes, flags, self-identification", _analytics),
    (12, "process: second-round slots and bookings, scorecards, offers, process events, notices", _process),
    (13, "analytics: channel in the rollups, job families, competency-model versions", _analytics_dimensions),
    (14, "analytics: scorecard rollup for the AI-vs-interviewer sections", _scorecard_rollup),
    (21, "notifications: notices, deliveries per channel, SMS consent, phone codes", _notifications),
]


def pending():
    """Return the migrations not yet applied, in order."""
    database.create_tables([SchemaVersion], safe=True)
    done = {row.version for row in SchemaVersion.select(SchemaVersion.version)}
    return [m for m in MIGRATIONS if m[0] not in done]


def upgrade():
    """Apply every pending migration, each in its own transaction; return the versions applied."""
    applied = []
    migrator = SchemaMigrator.from_database(database.obj)
    for version, name, func in pending():
        with database.atomic():
            func(database, migrator)
            SchemaVersion.create(version=version, name=name)
        log.info("applied migration %s: %s", version, name)
        applied.append(version)
    return applied

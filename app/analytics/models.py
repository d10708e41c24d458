"""Analytics tables: rollups the dashboard reads, post-hire performance, weight changes, flags, and the
candidates' optional self-identification (kept apart: see app/analytics/self_id.py)."""
from peewee import (
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

from app.core.base import BaseModel, JSONField, Statuses, utcnow
from app.core.models import Application, Job


class ApplicationFact(BaseModel):
    """One row per application, rebuilt from its stage events (app/analytics/rollup.py): the furthest funnel step
    it reached, whether it is closed, and when it first reached each step (seconds after it applied)."""
    application_id = IntegerField(primary_key=True)
    job_id = IntegerField()
    applied_at = DateTimeField()
    stage = CharField(max_length=32)
    # How the application came in (app/screening/intake.CHANNELS; "hr_invite" when HR invited without a posting)
    channel = CharField(max_length=32, default="hr_invite")
    max_step = IntegerField()
    closed = BooleanField()
    total = FloatField(null=True)  # the AI report's total, when there is one
    # The candidate's optional self-identification, copied here so the fairness tables need no join; "" when not
    # given. Read only by app/analytics/impact.py and calibration's impact check; a withdrawal clears it at once.
    gender = CharField(max_length=20, default="")
    age_band = CharField(max_length=20, default="")
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
        table_name = "analytics_application_fact"
        indexes = ((("job_id", "applied_at"), False), (("applied_at",), False))


class CohortColumns(BaseModel):
    """The application's columns a cohort filters on (app/analytics/funnel.Cohort.where), copied into each fact
    table below so no view joins; a base for the fact tables, no table of its own."""
    application_id = IntegerField()
    job_id = IntegerField()
    applied_at = DateTimeField()
    channel = CharField(max_length=32, default="hr_invite")

    class Meta:
        indexes = ((("job_id", "applied_at"), False), (("application_id",), False), (("applied_at",), False))


class ScoreFact(CohortColumns):
    """One row per dimension of an application's AI report (and "总分" for the total), for distributions."""
    dimension = CharField(max_length=60)
    score = FloatField()

    class Meta:
        table_name = "analytics_score_fact"


class ScorecardFact(CohortColumns):
    """One row per second-round scorecard (app/process), for the AI-vs-interviewer sections (agreement.py): the
    application's cohort columns, the card's mean 1-5 rating, the mean of the other cards of the same application
    (for the same-panel difference) and the application's AI total, so no view parses a scorecard's ratings.
    DOUBLE PRECISION, not peewee's REAL (float4 on PostgreSQL): a float4 3.3333333 card mean sums differently,
    and a float4 68.2 is below the threshold 68.2 in SQL."""
    scorecard_id = IntegerField(primary_key=True)
    interviewer = CharField(max_length=64)
    recommendation = CharField(max_length=16)
    mean_score = DoubleField(null=True)   # the mean of the card's valid 1-5 scores; null when it has none
    others_mean = DoubleField(null=True)  # the mean of the other cards' mean_score (same application); null if none
    ai_total = DoubleField(null=True)     # the application's AI report total, when there is one

    class Meta:
        table_name = "analytics_scorecard_fact"


class ScorecardDimensionFact(CohortColumns):
    """One row per application and dimension its scorecards rate: the panel's mean 1-5 score and the AI report's
    score of the same dimension (matched by name; null when the report has none)."""
    dimension = CharField(max_length=60)
    panel_mean = DoubleField()
    ai_score = DoubleField(null=True)

    class Meta:
        table_name = "analytics_scorecard_dimension_fact"


class RollupState(BaseModel):
    """High-water marks of what the rollup has read (stage event, report, application and scorecard ids)."""
    key = CharField(max_length=40, primary_key=True)
    value = IntegerField(default=0)
    # A key beside the marks: a random token the rollup changes whenever it rewrites any fact, so what is computed
    # from the facts alone can be kept under it (app/analytics/agreement.py).
    GENERATION = "generation"

    class Meta:
        table_name = "analytics_rollup_state"

    @classmethod
    def generation(cls):
        """The rollup's current generation token; None before its first rewrite."""
        row = cls.get_or_none(cls.key == cls.GENERATION)
        return row.value if row else None


class ImportStatus(Statuses):
    """A performance file: preview (parsed and matched, nothing imported) -> committed (imported whole) | discarded."""
    LABELS = {"preview": "预览(未导入)", "committed": "已导入", "discarded": "已放弃"}


class PerformanceImport(BaseModel):
    """An uploaded performance file: parsed rows with their match, shown as a preview, then committed whole."""
    filename = CharField(max_length=200)
    actor = CharField(max_length=64)
    rows = JSONField(default=list)     # [{"line", "reference", "application_id", "period", "rating", "kpis", "error"}]
    status = CharField(max_length=12, default=ImportStatus.PREVIEW)  # ImportStatus
    created_at = DateTimeField(default=utcnow)
    committed_at = DateTimeField(null=True)

    class Meta:
        table_name = "analytics_performance_import"


class PerformanceRecord(BaseModel):
    """A hire's rating for one period (post-hire performance)."""
    application = ForeignKeyField(Application, backref="performance", on_delete="CASCADE")
    period = CharField(max_length=20)
    rating = FloatField()
    kpis = JSONField(default=dict)
    source = ForeignKeyField(PerformanceImport, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "analytics_performance"
        indexes = ((("application", "period"), True),)


class WeightChange(BaseModel):
    """An approved re-weighting of a job's competency model: old and new weights and the evidence shown."""
    job = ForeignKeyField(Job, backref="weight_changes", on_delete="CASCADE")
    old_weights = JSONField()
    new_weights = JSONField()
    evidence = JSONField(default=dict)
    # The job version (app/screening/job_versions) the approval created: the new competency model
    version = IntegerField(null=True)
    actor = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "analytics_weight_change"


class AnalyticsFlag(BaseModel):
    """A bottleneck or stage-duration flag; `key` identifies it so HR is told in WeCom once."""
    key = CharField(max_length=120, unique=True)
    job_id = IntegerField(null=True)
    kind = CharField(max_length=20)   # rate / duration
    message = TextField()
    details = JSONField(default=dict)
    first_seen = DateTimeField(default=utcnow)
    last_seen = DateTimeField(default=utcnow)
    active = BooleanField(default=True)
    pushed_at = DateTimeField(null=True)

    class Meta:
        table_name = "analytics_flag"


class SelfIdentification(BaseModel):
    """A candidate's optional answers (gender, age band, extendable). Read only by app/analytics/impact.py for
    aggregate adverse-impact tables: never by reviewer pages, cards or scoring (tests/analytics/test_self_id.py)."""
    # Deleted with the application; no backref on purpose (nothing reaches it from an Application).
    application = ForeignKeyField(Application, backref="+", unique=True, on_delete="CASCADE")
    gender = CharField(max_length=20, default="")
    age_band = CharField(max_length=20, default="")
    extra = JSONField(default=dict)
    consent_version = CharField(max_length=20)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "self_identification"


class ImpactSnapshot(BaseModel):
    """The adverse-impact tables as of one week (job_id 0 = all jobs), so a trend is visible."""
    week = DateField()
    job_id = IntegerField(default=0)
    payload = JSONField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "analytics_impact_snapshot"
        indexes = ((("week", "job_id"), True),)


ANALYTICS_MODELS = [ApplicationFact, ScoreFact, ScorecardFact, ScorecardDimensionFact, RollupState, PerformanceImport,
                    PerformanceRecord, WeightChange, AnalyticsFlag, SelfIdentification, ImpactSnapshot]

__all__ = ["ANALYTICS_MODELS", "AnalyticsFlag", "ApplicationFact", "ImpactSnapshot", "PerformanceImport",
           "PerformanceRecord", "RollupState", "ScoreFact", "ScorecardDimensionFact", "ScorecardFact",
           "SelfIdentification", "WeightChange"]

"""Human ratings of answers (1-5 per dimension) and the scoring profiles fitted to them."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from app.models.base import BaseModel, JSONField, utcnow
from app.models.candidates import Answer
from app.models.jobs import Job


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
    """Weights fitted to a job's ratings; saved only when held-out agreement improved (app/services/ratings.py)."""
    job = ForeignKeyField(Job, backref="scoring_profiles", on_delete="CASCADE")
    version = CharField(max_length=120, unique=True)
    weights = JSONField(default=dict)
    metrics = JSONField(default=dict)
    ratings_used = IntegerField(default=0)
    model_version = CharField(max_length=120, default="")
    created_at = DateTimeField(default=utcnow)

    def as_profile(self):
        return {"version": self.version, "weights": self.weights}

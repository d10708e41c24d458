"""A job, its competency model (dimensions with weights) and its structured question bank."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from app.models.base import BaseModel, JSONField, utcnow


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
    status = CharField(max_length=20, default="open")
    # 岗位类别: jobs of one family are each other's baseline in the analytics bottleneck flags ("" = none)
    family = CharField(max_length=40, default="")
    # The newest JobVersion number (app/screening/job_versions.record keeps it); reports copy it
    version = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    def ordered_questions(self):
        return list(self.questions.order_by(Question.position))

    def ordered_dimensions(self):
        return list(self.dimensions.order_by(Dimension.position))


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

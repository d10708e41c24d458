"""Hand-built analytics data for tests: applications along a path of stages with an AI report, a second-round
panel with one scorecard per interviewer, and the cohort tests/analytics/test_agreement.py describes."""
import datetime as dt
import secrets

from app.core.models import Application, Candidate, Job, StaffUser, StageEvent
from app.interview.models import Interview, Report
from app.process.models import Round, Scorecard

T0 = dt.datetime(2026, 3, 2, 9, 0)
DAY = dt.timedelta(days=1)
TO_SECOND_ROUND = ["screened", "ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "second_round"]
RATED = ("专业能力", "沟通表达", "团队协作")  # 团队协作 is on the scorecards only


def as_real_jobs():
    """Rename the synthetic demo jobs without "[演示数据] ": real jobs, whose flags are pushed to HR (a synthetic
    job's never are, app/core/synthetic.py)."""
    prefix = "[演示数据] "
    for job in Job.select().where(Job.title.startswith(prefix)):
        Job.update(title=job.title[len(prefix):]).where(Job.id == job.id).execute()


def candidacy(job, path, total, dims, applied=T0):
    """An application along `path` (a stage a day) with an AI report of `total` and `dims`."""
    n = Candidate.select().count()
    app = Application.create(candidate=Candidate.create(name=f"c{n}", phone=f"1380000{n:04d}"), job=job,
                             stage=path[-1], created_at=applied, updated_at=applied)
    here = "applied"
    for i, stage in enumerate(path, start=1):
        StageEvent.create(application=app, from_stage=here, to_stage=stage, actor="t", source="system",
                          created_at=applied + i * DAY)
        here = stage
    interview = Interview.create(application=app, token_hash=secrets.token_hex(32), expires_at=applied + 7 * DAY)
    Report.create(interview=interview, total=total, model_version="t",
                  dimensions={name: {"score": score, "weight": 25} for name, score in dims.items()})
    return app


def panel(app, marks):
    """A round of `app` with one scorecard per (interviewer, score for every RATED dimension, recommendation)."""
    round_ = Round.create(application=app, interviewers=[w for w, _, _ in marks], duration_min=45, format="onsite",
                          created_by="t")
    for who, score, recommendation in marks:
        Scorecard.create(round=round_, interviewer=who, recommendation=recommendation,
                         ratings={name: {"score": score, "comment": "ok"} for name in RATED})


def hand_built_cohort():
    """20 applications of one job at the second round, rated by iv_a (all), iv_b (the first 10, one point more,
    capped at 5, always strong_yes) and iv_c (the last one). The AI's 专业能力 is 20 x the interviewers' mean,
    its 沟通表达 120 - 20 x the mean (rho +1 and -1), its total 50 + i. Plus applications outside the cohort."""
    job, other = Job.create(title="后端开发工程师"), Job.create(title="销售代表")
    for i in range(20):
        a = 1 + i % 5
        marks = [("iv_a", a, "yes" if a >= 3 else "no")]
        if i < 10:
            marks.append(("iv_b", min(5, a + 1), "strong_yes"))
        if i == 19:
            marks.append(("iv_c", 2, "no"))
        mean = sum(s for _, s, _ in marks) / len(marks)
        path = TO_SECOND_ROUND + (["background_check"] if i % 2 else ["rejected"])
        panel(candidacy(job, path, 50.0 + i, {"专业能力": 20 * mean, "沟通表达": 120 - 20 * mean, "学习能力": 50.0}),
              marks)
    candidacy(job, TO_SECOND_ROUND, 100.0, {"专业能力": 90.0})            # at the second round, no scorecard yet
    candidacy(job, TO_SECOND_ROUND[:-1] + ["rejected"], 0.0, {"专业能力": 0.0})  # stopped by the AI: not in the median
    outsider = {"专业能力": 100.0, "沟通表达": 100.0}
    panel(candidacy(other, TO_SECOND_ROUND, 99.0, outsider), [("iv_a", 1, "no")])
    panel(candidacy(job, TO_SECOND_ROUND, 98.0, outsider, applied=T0 - 60 * DAY), [("iv_a", 1, "no")])
    StaffUser.create(userid="iv_a", name="王面试官")
    return job, other

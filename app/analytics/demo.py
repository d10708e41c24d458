"""Synthetic recruiting data for the demo, the tests and the benchmark (`flask --app wsgi analytics demo-data`).

Every job it makes is titled "[演示数据] ..." and the dashboard says the data is synthetic whenever such a job
exists. Effects are planted, so a newcomer sees each analysis find something:

- a bottleneck: 后端开发工程师's AI stage rejects far more than the other jobs (a higher bar on the AI total);
- a predictive dimension: post-hire performance follows a latent ability that only 逻辑思维 measures;
- adverse impact: in 销售代表's second round women get an offer at half the rate of men;
- AI vs interviewers: every candidacy that finished its second round (moved on or was rejected there) has a
  round with 1-2 scorecards from five demo interviewers (userids demo_iv_*). Their 1-5 ratings follow the AI's
  专业能力 and 逻辑思维 scores closely, 学习能力 moderately and 沟通表达 barely (SIGNAL below), and demo_iv_sun
  (孙老师) rates everything about 0.8 points higher than the others (LENIENT);
- (and a slow stage: 数据分析师's second round takes three times as long as the others');
- channels: 内推 (referral) candidates are twice as likely as the others to be among those who pass the
  screening (drawn from their own random stream after the candidacy is simulated, so nothing else changes).

The jobs come in two families (岗位类别): 技术研发 (后端, 前端, 数据分析师) and 销售与服务 (销售代表, 客服专员), so the
bottleneck flag compares 后端开发工程师 with the other two engineering jobs.
"""
import datetime as dt
import secrets

import numpy as np
from peewee import PostgresqlDatabase, fn

from app.analytics.funnel import DEMO_PREFIX
from app.analytics.models import PerformanceRecord, SelfIdentification
from app.core.base import utcnow
from app.core.db import database
from app.core.models import Application, Candidate, Dimension, Job, StaffUser, StageEvent
from app.interview.models import Interview, Report
from app.process.models import Round, Scorecard
from app.screening.models import Intake

PREFIX = DEMO_PREFIX  # the cohort keeps these jobs apart from real ones (app/analytics/funnel.Cohort.demo)
DIMENSIONS = [("专业能力", 30), ("逻辑思维", 25), ("沟通表达", 25), ("学习能力", 20)]
JOBS = ["后端开发工程师", "前端开发工程师", "数据分析师", "销售代表", "客服专员"]
FAMILIES = {"后端开发工程师": "技术研发", "前端开发工程师": "技术研发", "数据分析师": "技术研发",
            "销售代表": "销售与服务", "客服专员": "销售与服务"}
# channel mix (app/screening/intake.CHANNELS; hr_invite = no Intake row); referral weighs double for passers
CHANNEL_MIX = {"direct": 0.2, "wechat_group": 0.15, "moments": 0.15, "qr_poster": 0.1, "kf": 0.1, "referral": 0.1,
               "hr_invite": 0.2}
BOTTLENECK_JOB, IMPACT_JOB, SLOW_JOB = "后端开发工程师", "销售代表", "数据分析师"
PREDICTIVE = "逻辑思维"
GENDERS, GENDER_P = ["男", "女"], [0.55, 0.45]
AGE_BANDS, AGE_P = ["18-24", "25-34", "35-44", "45+"], [0.25, 0.45, 0.22, 0.08]
SELF_ID_RATE = 0.75
CONSENT_VERSION = "synthetic-demo"
PERIOD = "2026H1"

# mean days spent before leaving each step (exponential)
DWELL = [2.0, 1.0, 1.5, 0.05, 0.01, 2.0, 5.0, 3.0, 14.0]
# where a candidacy goes when it does not pass a step
FAIL_STAGE = ["rejected", "rejected", "expired", "withdrawn", "withdrawn", "rejected", "rejected", "withdrawn",
              "withdrawn"]
# main-line stages walked to reach each step from the one before
PATH = [[], ["screened"], ["ai_invited"], ["ai_in_progress"], ["ai_completed"], ["ai_scored"], ["second_round"],
        ["background_check", "offer_approval", "offer_sent"], ["onboarding"], ["hired"]]
PASS = [0.75, 0.92, 0.82, 0.92, 1.0, None, 0.55, 0.85, 0.95]
AI_BAR, BOTTLENECK_BAR = 60.0, 66.0
# second-round scorecards: how much of an interviewer's rating of a dimension is the AI's score of it (the rest is
# the interviewer's own view), the panel, and the lenient interviewer's bias in rating points
SIGNAL = {"专业能力": 0.85, "逻辑思维": 0.85, "沟通表达": 0.15, "学习能力": 0.5}
INTERVIEWERS = [("demo_iv_zhao", "赵老师（演示）"), ("demo_iv_qian", "钱老师（演示）"),
                ("demo_iv_sun", "孙老师（演示）"), ("demo_iv_li", "李老师（演示）"), ("demo_iv_zhou", "周老师（演示）")]
LENIENT, LENIENT_BIAS = "demo_iv_sun", 0.8


def is_demo_job(title):
    return title.startswith(PREFIX)


def demo_present():
    return Job.select().where(Job.title.startswith(PREFIX)).exists()


def _jobs():
    jobs = []
    for title in JOBS:
        job = Job.get_or_none(Job.title == PREFIX + title)
        if job is None:
            job = Job.create(title=PREFIX + title, department="演示", family=FAMILIES[title], location="上海",
                             description="合成数据,仅用于演示 Synthetic data for the demo", manager_userids=[])
            for pos, (name, weight) in enumerate(DIMENSIONS):
                Dimension.create(job=job, name=name, weight=weight, position=pos, description=f"{name}(演示)")
        jobs.append(job)
    return jobs


def draw_channel(rng, passed_screening):
    """A channel from CHANNEL_MIX, with 内推 (referral) twice as likely for a candidacy that passed the screening."""
    names = list(CHANNEL_MIX)
    weights = np.array([CHANNEL_MIX[c] * (2 if c == "referral" and passed_screening else 1) for c in names])
    return names[rng.choice(len(names), p=weights / weights.sum())]


def _next_id(model):
    return (model.select(fn.MAX(model.id)).scalar() or 0) + 1


def _fix_sequences(models):
    if isinstance(database.obj, PostgresqlDatabase):
        for model in models:
            table = model._meta.table_name
            database.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                 f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))")


PLANTED = ("bottleneck", "impact", "slow", "agreement")


def _interviewers():
    """The demo interviewers' names, so the dashboard shows names (the userids stay recognisable)."""
    StaffUser.insert_many([{"userid": u, "name": n} for u, n in INTERVIEWERS]).on_conflict_ignore().execute()


def scorecard_rows(rng, application_id, round_id, events, dims, plant=PLANTED):
    """Pure: (round row, [scorecard rows]) for a candidacy whose second round has an outcome, else (None, []).

    Each interviewer's rating of a dimension is 3 + 0.9 * (SIGNAL * the AI score standardised + the rest noise),
    rounded into 1-5 (plus LENIENT_BIAS for the lenient one); the recommendation follows the card's mean rating
    and the round's outcome."""
    entered = next((when for _, b, when in events if b == "second_round"), None)
    left = next(((b, when) for a, b, when in events if a == "second_round"), None)
    if entered is None or left is None:
        return None, []
    passed = left[0] != "rejected"
    k = 1 + int(rng.random() < 0.5)
    panel = [INTERVIEWERS[i][0] for i in rng.choice(len(INTERVIEWERS), size=k, replace=False)]
    round_row = {"id": round_id, "application": application_id, "interviewers": panel, "duration_min": 45,
                 "format": "onsite", "place": "上海", "created_by": "demo", "created_at": entered}
    cards = []
    for who in panel:
        noise = rng.normal(size=len(dims) + 1)
        bias = LENIENT_BIAS if who == LENIENT and "agreement" in plant else 0.0
        ratings = {}
        for i, (name, score) in enumerate(dims.items()):
            w = SIGNAL.get(name, 0.5) if "agreement" in plant else 0.5
            latent = w * (score - 62) / 12 + np.sqrt(1 - w * w) * noise[i]
            ratings[name] = {"score": int(np.clip(round(3 + 0.9 * latent + bias), 1, 5)), "comment": "（演示评语）"}
        lean = sum(r["score"] for r in ratings.values()) / len(ratings) - 3 + (0.5 if passed else -0.5) \
            + 0.4 * noise[-1]
        recommendation = "strong_yes" if lean > 1 else "yes" if lean > 0 else "no" if lean > -1 else "strong_no"
        cards.append({"round": round_id, "interviewer": who, "ratings": ratings, "recommendation": recommendation,
                      "summary": "（演示数据）", "submitted_at": entered + (left[1] - entered) * 0.8})
    return round_row, cards


def simulate(rng, job_title, weights, applied_at, now, churn=0.0, plant=PLANTED):
    """Pure: one synthetic candidacy -> (events [(from, to, at)], final stage, dims, total, perf, group).

    group is (gender, age band); weights {dimension: weight}.
    """
    gender = GENDERS[rng.choice(2, p=GENDER_P)]
    age = AGE_BANDS[rng.choice(4, p=AGE_P)]
    ability = rng.normal()
    dims = {name: float(np.clip(62 + 12 * rng.normal(), 0, 100)) for name, _ in DIMENSIONS}
    dims[PREDICTIVE] = float(np.clip(62 + 12 * (0.8 * ability + 0.6 * rng.normal()), 0, 100))
    total = round(sum(dims[d] * w for d, w in weights.items()) / sum(weights.values()), 1)
    perf = float(np.clip(3.2 + 0.45 * ability + 0.45 * rng.normal(), 1, 5))
    events, here, at = [], "applied", applied_at
    for step in range(9):
        slow = 3 if step == 6 and job_title == SLOW_JOB and "slow" in plant else 1
        at = at + dt.timedelta(days=float(rng.exponential(DWELL[step] * slow)))
        if at > now:
            return events, here, dims, total, perf, (gender, age)  # still in progress
        if step == 5:
            bar = BOTTLENECK_BAR if job_title == BOTTLENECK_JOB and "bottleneck" in plant else AI_BAR
            passed = total + rng.normal(0, 3) >= bar
        elif step == 6 and job_title == IMPACT_JOB and gender == "女" and "impact" in plant:
            passed = rng.random() < PASS[6] / 2
        else:
            passed = rng.random() < PASS[step]
        if step == 3 and churn:
            for _ in range(rng.poisson(churn)):  # HR reset a stuck interview: invited again, started again
                events.append((here, "ai_invited", at))
                events.append(("ai_invited", "ai_in_progress", at))
        if not passed:
            events.append((here, FAIL_STAGE[step], at))
            return events, FAIL_STAGE[step], dims, total, perf, (gender, age)
        for stage in PATH[step + 1]:
            events.append((here, stage, at))
            here = stage
    return events, here, dims, total, perf, (gender, age)


def generate(applications=3000, seed=7, days=365, churn=0.0, now=None, batch=2000, plant=PLANTED):
    """Add `applications` synthetic candidacies over the last `days` days; return counts of what was made."""
    rng = np.random.default_rng(seed)
    channel_rng = np.random.default_rng(seed + 1_000_003)  # its own stream: the other draws stay as they were
    card_rng = np.random.default_rng([seed, 2])  # the scorecards' own stream too
    now = now or utcnow()
    jobs = _jobs()
    _interviewers()
    weights = {job.id: {d.name: d.weight for d in job.ordered_dimensions()} for job in jobs}
    titles = {job.id: job.title[len(PREFIX):] for job in jobs}
    made = {"applications": 0, "events": 0, "reports": 0, "hires": 0, "performance": 0, "self_id": 0, "intakes": 0,
            "scorecards": 0}
    next_ids = {m: _next_id(m) for m in (Candidate, Application, Interview, Round)}
    for start in range(0, applications, batch):
        rows = {"cand": [], "app": [], "event": [], "interview": [], "report": [], "perf": [], "self": [],
                "intake": [], "round": [], "card": []}
        for _ in range(min(batch, applications - start)):
            job = jobs[rng.integers(len(jobs))]
            applied_at = now - dt.timedelta(days=float(rng.uniform(0, days)))
            events, stage, dims, total, perf, (gender, age) = simulate(rng, titles[job.id], weights[job.id],
                                                                       applied_at, now, churn, plant)
            cid, aid = next_ids[Candidate], next_ids[Application]
            next_ids[Candidate] += 1
            next_ids[Application] += 1
            rows["cand"].append({"id": cid, "name": f"演示候选人{cid:06d}", "phone": f"199{cid:08d}",
                                 "created_at": applied_at})
            rows["app"].append({"id": aid, "candidate": cid, "job": job.id, "stage": stage,
                                "created_at": applied_at, "updated_at": events[-1][2] if events else applied_at})
            rows["event"] += [{"application": aid, "from_stage": a, "to_stage": b, "actor": "demo", "source": "system",
                               "created_at": when} for a, b, when in events]
            reached = {b for _, b, _ in events}
            channel = draw_channel(channel_rng, "screened" in reached)
            if channel != "hr_invite":
                rows["intake"].append({"application": aid, "channel": channel, "token_hash": secrets.token_hex(32),
                                       "answers": {}, "created_at": applied_at, "updated_at": applied_at})
            if "ai_invited" in reached:
                iid = next_ids[Interview]
                next_ids[Interview] += 1
                invited = next(when for _, b, when in events if b == "ai_invited")
                rows["interview"].append({"id": iid, "application": aid, "token_hash": secrets.token_hex(32),
                                          "expires_at": invited + dt.timedelta(days=7),
                                          "status": "completed" if "ai_completed" in reached else "expired",
                                          "created_at": invited})
                if "ai_scored" in reached:
                    scored = next(when for _, b, when in events if b == "ai_scored")
                    rows["report"].append({"interview": iid, "total": total, "model_version": "synthetic-demo",
                                           "created_at": scored, "dimensions": {
                                               d: {"score": round(s, 1), "weight": weights[job.id][d],
                                                   "answers": [], "evidence": []} for d, s in dims.items()}})
            round_row, cards = scorecard_rows(card_rng, aid, next_ids[Round], events, dims, plant)
            if round_row:
                next_ids[Round] += 1
                rows["round"].append(round_row)
                rows["card"] += cards
            if stage == "hired":
                made["hires"] += 1
                if events[-1][2] < now - dt.timedelta(days=90):
                    rows["perf"].append({"application": aid, "period": PERIOD, "rating": round(perf * 2) / 2,
                                         "kpis": {}, "created_at": now})
            if rng.random() < SELF_ID_RATE:
                rows["self"].append({"application": aid, "gender": gender, "age_band": age,
                                     "consent_version": CONSENT_VERSION, "created_at": applied_at})
        with database.atomic():
            for model, key in ((Candidate, "cand"), (Application, "app"), (StageEvent, "event"),
                               (Interview, "interview"), (Report, "report"), (PerformanceRecord, "perf"),
                               (SelfIdentification, "self"), (Intake, "intake"), (Round, "round"),
                               (Scorecard, "card")):
                data = rows[key]
                for i in range(0, len(data), 1000):
                    model.insert_many(data[i:i + 1000]).execute()
        made["applications"] += len(rows["app"])
        made["events"] += len(rows["event"])
        made["reports"] += len(rows["report"])
        made["performance"] += len(rows["perf"])
        made["self_id"] += len(rows["self"])
        made["intakes"] += len(rows["intake"])
        made["scorecards"] += len(rows["card"])
    _fix_sequences([Candidate, Application, Interview, Round, Scorecard])
    return made

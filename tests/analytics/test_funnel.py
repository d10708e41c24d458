"""The cohort funnel, participation and timings on a hand-built cohort: exact numbers, SQLite and PostgreSQL."""
import datetime as dt

import pytest

from app.analytics import dashboard, rollup
from app.analytics.funnel import (
    Cohort,
    funnel,
    funnel_by_channel,
    offer_acceptance,
    participation,
    time_in_stage,
    time_to_hire,
)
from app.core.errors import BadRequest
from app.core.models import Application, Candidate, Job, StageEvent
from app.screening.models import Intake

T0 = dt.datetime(2026, 3, 2, 9, 0)
DAY = dt.timedelta(days=1)
OFFER_PATH = ["screened", "ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "second_round",
              "background_check", "offer_approval", "offer_sent"]


def candidacy(job, path, applied=T0):
    """An application that applied at `applied` and moved along `path`, one stage a day."""
    n = Candidate.select().count()
    app = Application.create(candidate=Candidate.create(name=f"c{n}", phone=f"1380000{n:04d}"), job=job,
                             stage=path[-1] if path else "applied", created_at=applied, updated_at=applied)
    here = "applied"
    for i, stage in enumerate(path, start=1):
        StageEvent.create(application=app, from_stage=here, to_stage=stage, actor="t", source="system",
                          created_at=applied + i * DAY)
        here = stage
    return app


def hand_built_cohort():
    job, other = Job.create(title="后端开发工程师"), Job.create(title="销售代表")
    candidacy(job, ["rejected"])                                                            # 1: max 0, closed
    candidacy(job, ["screened", "ai_invited", "expired"])                                   # 2: max 2, closed
    candidacy(job, ["ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "rejected"])  # 3: max 5, closed
    candidacy(job, OFFER_PATH + ["onboarding", "hired"])                                    # 4: hired
    candidacy(job, OFFER_PATH + ["withdrawn"])                                              # 5: max 7, closed
    candidacy(job, ["screened"])                                                            # 6: max 1, active
    candidacy(job, ["ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "on_hold"])  # 7: max 5, active
    candidacy(job, ["screened", "ai_invited", "ai_in_progress", "withdrawn"])               # 8: max 3, closed
    candidacy(other, OFFER_PATH + ["onboarding", "hired"])                                  # another job
    candidacy(job, ["rejected"], applied=T0 - 60 * DAY)                                     # before the period
    return job


def test_funnel_counts_on_a_hand_built_cohort(any_db_app):
    job = hand_built_cohort()
    rollup.refresh()
    cohort = Cohort(job_ids=(job.id,), start=T0 - DAY, end=T0 + DAY)
    rows = funnel(cohort)
    assert [r["reached"] for r in rows] == [8, 7, 6, 5, 4, 4, 2, 2, 1, 1]
    assert [r["finished"] for r in rows] == [6, 5, 5, 4, 3, 3, 2, 2, 1, 1]
    assert [r["passed"] for r in rows] == [5, 5, 4, 3, 3, 2, 2, 1, 1, None]
    assert [r["in_progress"] for r in rows] == [0, 1, 0, 0, 0, 1, 0, 0, 0, 0]
    assert rows[5]["pass_rate"] == pytest.approx(2 / 3)
    assert offer_acceptance(rows) == {"offers": 2, "accepted": 1, "rate": 0.5}

    assert participation(cohort, days=7) == {"invited": 6, "started": 5, "completed": 4, "completed_within": 4,
                                             "days": 7, "start_rate": 5 / 6, "complete_rate": 4 / 6}
    assert participation(cohort, days=1)["completed_within"] == 0   # each took two days

    stages = {r["step"]: r for r in time_in_stage(cohort)}
    assert stages["scored"] == {"step": "scored", "label": "AI评分 → 复试", "median_days": 1.0, "p90_days": 1.0,
                                "n": 2}
    # second_round -> offer_sent passes background check and approval: three days
    assert stages["second_round"]["median_days"] == 3.0 and stages["second_round"]["n"] == 2
    assert stages["applied"]["n"] == 5  # screened explicitly (app 3 and 7 were invited straight away)
    assert time_to_hire(cohort) == {"median_days": 11.0, "p90_days": 11.0, "n": 1}

    everyone = funnel(Cohort())
    assert everyone[0]["reached"] == 10 and everyone[-1]["reached"] == 2


def test_rollup_follows_new_events(app):
    job = hand_built_cohort()
    rollup.refresh()
    assert rollup.refresh() == 0                     # nothing new: nothing rewritten
    active = Application.get(Application.stage == "screened")
    from app.core.pipeline import advance_stage
    advance_stage(active.id, "rejected", actor="t", source="system")
    assert rollup.refresh() >= 1
    rows = funnel(Cohort(job_ids=(job.id,), start=T0 - DAY, end=T0 + DAY))
    assert rows[1]["in_progress"] == 0 and rows[1]["finished"] == 6


def test_channel_filter_and_the_funnel_per_channel(any_db_app):
    job = hand_built_cohort()
    mine = list(Application.select().where(Application.job == job).order_by(Application.id))
    # candidacies 1-4 came through 内推, 5 through 朋友圈; 6-8 were invited by HR (no Intake row)
    for i, app in enumerate(mine[:5]):
        Intake.create(application=app, channel="referral" if i < 4 else "moments", token_hash=f"{i:064d}")
    rollup.refresh()
    period = dict(job_ids=(job.id,), start=T0 - DAY, end=T0 + DAY)
    referral = funnel(Cohort(**period, channels=("referral",)))
    assert [r["reached"] for r in referral] == [4, 3, 3, 2, 2, 2, 1, 1, 1, 1]
    assert [r["finished"] for r in referral] == [4, 3, 3, 2, 2, 2, 1, 1, 1, 1]
    assert [r["reached"] for r in funnel(Cohort(**period, channels=("moments",)))] == [1] * 8 + [0, 0]
    assert [r["reached"] for r in funnel(Cohort(**period, channels=("hr_invite",)))][:7] == [3, 3, 2, 2, 1, 1, 0]
    assert [r["reached"] for r in funnel(Cohort(**period, channels=("referral", "moments")))][:2] == [5, 4]

    per_channel = funnel_by_channel(Cohort(**period))
    assert {c: rows[0]["reached"] for c, rows in per_channel.items()} == {"referral": 4, "moments": 1, "hr_invite": 3}
    section = dashboard.channel_section(Cohort(**period))
    assert section["columns"] == ["渠道", "投递", "收到AI面试邀请", "完成AI面试", "进入复试", "入职", "已有结果",
                                  "入职率（已有结果）"]
    assert section["rows"][0] == ["内推", 4, "75%", "50%", "25%", "25%", 4, "25%"]
    assert section["rows"][1] == ["HR邀请", 3, "67%", "33%", "0%", "0%", 1, "0%"]

    cohort, _, _ = dashboard.parse_filters({"channel": "referral", "job": str(job.id)})
    assert cohort.channels == ("referral",)
    with pytest.raises(BadRequest):
        dashboard.parse_filters({"channel": "carrier_pigeon"})


def test_count_axes_show_whole_people(any_db_app):
    """A funnel of one candidate drew 0.2, 0.4 ... people on its axis."""
    job = hand_built_cohort()
    rollup.refresh()
    cohort = Cohort(job_ids=(job.id,), start=T0 - DAY, end=T0 + DAY)
    count_axis = dashboard.funnel_section(cohort)["chart"]["yAxis"][0]
    assert count_axis["name"] == "人数" and count_axis["minInterval"] == 1

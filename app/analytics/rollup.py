"""The rollup the dashboard reads: one ApplicationFact per application, one ScoreFact per report dimension, and
for the second-round scorecards one ScorecardFact per scorecard and one ScorecardDimensionFact per application and
rated dimension.

The dashboard never scans the stage events (a million rows) nor parses a scorecard: `refresh()` reads only what
is new since its high-water marks (stage event, report, application and scorecard ids) and rewrites the facts of
the applications it touched (all of an application's rows at once, so a scorecard's "other cards of the same
application" are at hand). A large backlog (a first run, a bulk import) is rebuilt in id-ordered chunks instead.
Each rewrite is idempotent, so re-reading a few events (the small overlap below covers transactions committing out
of id order) changes nothing. A change that adds no id (a deletion removes reports, scorecards and
self-identification) calls `rewrite(application_ids)` itself.
"""
import json
import logging
import secrets

from peewee import fn

from app.analytics.agreement import TOTAL, card_scores
from app.analytics.models import (
    ApplicationFact,
    RollupState,
    ScorecardDimensionFact,
    ScorecardFact,
    ScoreFact,
    SelfIdentification,
)
from app.analytics.steps import STAGE_STEP, is_closed
from app.core.db import database
from app.core.models import Application, StageEvent
from app.interview.models import Interview, Report
from app.process.models import Round, Scorecard
from app.screening.models import Intake

HR_INVITE = "hr_invite"  # the channel of an application HR created by inviting (no posting, no Intake)

log = logging.getLogger(__name__)

OVERLAP = 200          # ids re-read below each mark
FULL_REBUILD_AT = 20000  # more touched applications than this: rebuild in chunks
CHUNK = 2000
FACTS = (ApplicationFact, ScoreFact, ScorecardFact, ScorecardDimensionFact)  # each keyed by application_id


def _marks():
    return {row.key: row.value for row in RollupState.select()}


def _set_mark(key, value):
    (RollupState.insert(key=key, value=value)
     .on_conflict(conflict_target=[RollupState.key], update={RollupState.value: value}).execute())


def _tops():
    """The newest stage event, report, application and scorecard ids: what a rewrite started now will have seen."""
    return {"event": StageEvent.select(fn.MAX(StageEvent.id)).scalar() or 0,
            "report": Report.select(fn.MAX(Report.id)).scalar() or 0,
            "application": Application.select(fn.MAX(Application.id)).scalar() or 0,
            "scorecard": Scorecard.select(fn.MAX(Scorecard.id)).scalar() or 0}


def _save_marks(tops):
    with database.atomic():
        for key, value in tops.items():
            _set_mark(key, value)


def refresh(overlap=OVERLAP):
    """Bring the facts up to date; return how many applications were rewritten. `overlap`: how many ids below each
    mark are read again (rows committed late, out of id order)."""
    marks, tops = _marks(), _tops()
    if "event" in marks and all(marks.get(key, 0) == value for key, value in tops.items()):
        return 0
    if not marks:
        return rebuild(tops)
    touched = set()
    touched.update(r for (r,) in StageEvent.select(StageEvent.application)
                   .where(StageEvent.id > marks.get("event", 0) - overlap).tuples())
    touched.update(r for (r,) in Report.select(Interview.application).join(Interview)
                   .where(Report.id > marks.get("report", 0) - overlap).tuples())
    touched.update(r for (r,) in Application.select(Application.id)
                   .where(Application.id > marks.get("application", 0) - overlap).tuples())
    touched.update(r for (r,) in Scorecard.select(Round.application).join(Round)
                   .where(Scorecard.id > marks.get("scorecard", 0) - overlap).tuples())
    if len(touched) > FULL_REBUILD_AT:
        return rebuild(tops)
    count = rewrite(touched)
    _save_marks(tops)
    return count


def rewrite(application_ids):
    """Rewrite the facts of these applications now, from what is stored (in CHUNKs); return how many.

    For a change the high-water marks do not see: a deletion (app/privacy/deletion.py) removes reports,
    scorecards and self-identification and adds no id, so `refresh` would keep the old copies. Runs inside the
    caller's transaction when there is one; the marks are left alone."""
    ids = sorted(set(application_ids))
    for i in range(0, len(ids), CHUNK):
        _rewrite(ids[i:i + CHUNK])
    return len(ids)


def rebuild(tops=None):
    """Rewrite every fact, CHUNK applications at a time (ordered by id), then set the marks to the ids read
    before it started (so the next refresh re-reads anything that came in meanwhile)."""
    tops = tops or _tops()
    with database.atomic():
        for model in FACTS:
            model.delete().execute()
    count, last = 0, 0
    while True:
        ids = [r for (r,) in Application.select(Application.id).where(Application.id > last)
               .order_by(Application.id).limit(CHUNK).tuples()]
        if not ids:
            _save_marks(tops)
            return count
        _rewrite(ids, fresh=True)
        count += len(ids)
        last = ids[-1]


def facts_for(apps, events, reports, groups=None, channels=None):
    """Pure: the fact rows and score rows of applications.

    apps: [(id, job_id, created_at, stage)]; events: {app id: [(to_stage, created_at)] oldest first};
    reports: {app id: (total, {dimension: {"score": ...}})}; groups: {app id: (gender, age band)};
    channels: {app id: channel} (HR_INVITE when absent: HR invited without a posting).
    """
    groups, channels = groups or {}, channels or {}
    facts, scores = [], []
    for app_id, job_id, created_at, stage in apps:
        at, max_step = {}, STAGE_STEP.get(stage, 0)
        for to_stage, when in events.get(app_id, ()):
            step = STAGE_STEP.get(to_stage)
            if step is None:
                continue
            max_step = max(max_step, step)
            if step and step not in at:
                at[step] = max(0, int((when - created_at).total_seconds()))
        report = reports.get(app_id)
        channel = channels.get(app_id) or HR_INVITE
        row = {"application_id": app_id, "job_id": job_id, "applied_at": created_at, "stage": stage,
               "channel": channel,
               "max_step": max_step, "closed": is_closed(stage), "total": report[0] if report else None,
               "gender": groups.get(app_id, ("", ""))[0], "age_band": groups.get(app_id, ("", ""))[1]}
        row.update({f"at_{k}": at.get(k) for k in range(1, 10)})
        facts.append(row)
        if report:
            for name, dim in (report[1] or {}).items():
                if isinstance(dim, dict) and dim.get("score") is not None:
                    scores.append({"application_id": app_id, "job_id": job_id, "applied_at": created_at,
                                   "channel": channel, "dimension": name[:60], "score": float(dim["score"])})
            if report[0] is not None:
                scores.append({"application_id": app_id, "job_id": job_id, "applied_at": created_at,
                               "channel": channel, "dimension": "总分", "score": float(report[0])})
    return facts, scores


def scorecard_facts(facts, cards, reports):
    """Pure: the scorecard rows and the scorecard-dimension rows of applications.

    facts: facts_for's fact rows (the cohort columns and the AI total are copied from them); cards: {app id:
    [(scorecard id, interviewer, ratings, recommendation)]}, ratings as stored ({dimension: {"score": 1-5, ...}});
    reports: as for facts_for (the AI's dimension scores, matched to the scorecards' dimensions by name)."""
    card_rows, dim_rows = [], []
    for fact in facts:
        app_id = fact["application_id"]
        if not cards.get(app_id):
            continue
        same = {k: fact[k] for k in ("application_id", "job_id", "applied_at", "channel")}
        scored = [(card_id, who, card_scores(json.loads(ratings) if isinstance(ratings, str) else ratings), rec)
                  for card_id, who, ratings, rec in cards[app_id]]
        means = [(who, sum(s.values()) / len(s)) for _, who, s, _ in scored if s]
        for card_id, who, scores, rec in scored:
            others = [m for w, m in means if w != who]
            card_rows.append({"scorecard_id": card_id, **same, "interviewer": who, "recommendation": rec,
                              "mean_score": sum(scores.values()) / len(scores) if scores else None,
                              "others_mean": sum(others) / len(others) if others else None,
                              "ai_total": fact["total"]})
        report = reports.get(app_id)
        ai = {name: float(dim["score"]) for name, dim in ((report[1] or {}) if report else {}).items()
              if name != TOTAL and isinstance(dim, dict) and dim.get("score") is not None}
        panel = {}
        for _, _, scores, _ in scored:
            for name, score in scores.items():
                panel.setdefault(name, []).append(score)
        for name, marks in panel.items():
            dim_rows.append({**same, "dimension": name[:60], "panel_mean": sum(marks) / len(marks),
                             "ai_score": ai.get(name)})
    return card_rows, dim_rows


def _rewrite(ids, fresh=False):
    apps = list(Application.select(Application.id, Application.job, Application.created_at, Application.stage)
                .where(Application.id.in_(ids)).tuples())
    events = {}
    for app_id, to_stage, when in (StageEvent.select(StageEvent.application, StageEvent.to_stage,
                                                     StageEvent.created_at)
                                   .where(StageEvent.application.in_(ids))
                                   .order_by(StageEvent.application, StageEvent.created_at, StageEvent.id).tuples()):
        events.setdefault(app_id, []).append((to_stage, when))
    reports = {}
    for app_id, total, dims in (Report.select(Interview.application, Report.total, Report.dimensions)
                                .join(Interview).where(Interview.application.in_(ids))
                                .order_by(Report.id).tuples()):
        reports[app_id] = (total, dims)  # the newest report wins
    groups = {a: (g or "", b or "") for a, g, b in (SelfIdentification.select(
        SelfIdentification.application, SelfIdentification.gender, SelfIdentification.age_band)
        .where(SelfIdentification.application.in_(ids)).tuples())}
    channels = dict(Intake.select(Intake.application, Intake.channel).where(Intake.application.in_(ids)).tuples())
    cards = {}
    for card_id, app_id, who, ratings, recommendation in (
            Scorecard.select(Scorecard.id, Round.application, Scorecard.interviewer, Scorecard.ratings,
                             Scorecard.recommendation).join(Round).where(Round.application.in_(ids))
            .order_by(Scorecard.id).tuples()):
        cards.setdefault(app_id, []).append((card_id, who, ratings, recommendation))
    facts, scores = facts_for(apps, events, reports, groups, channels)
    card_rows, dim_rows = scorecard_facts(facts, cards, reports)
    with database.atomic():
        if not fresh:
            for model in FACTS:
                model.delete().where(model.application_id.in_(ids)).execute()
        for model, rows in ((ApplicationFact, facts), (ScoreFact, scores), (ScorecardFact, card_rows),
                            (ScorecardDimensionFact, dim_rows)):
            _insert(model, rows)
        _set_mark(RollupState.GENERATION, secrets.randbits(31))


def _insert(model, rows, chunk=500):
    """INSERT rows (dicts with the same keys) 500 to a statement, the SQL written once per chunk size: peewee's
    insert_many builds a node per value, about two thirds of a full rebuild's time."""
    if not rows:
        return
    fields = [model._meta.fields[name] for name in rows[0]]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    one = "(" + ", ".join([database.param] * len(fields)) + ")"
    head = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        params = [f.db_value(row[f.name]) for row in part for f in fields]
        database.execute_sql(head + ", ".join([one] * len(part)), params)

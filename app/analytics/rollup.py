"""The rollup the dashboard reads: one ApplicationFact per application and one ScoreFact per report dimension.

The dashboard never scans the stage events (a million rows): `refresh()` reads only what is new since its
high-water marks (stage event, report and application ids) and rewrites the facts of the applications it
touched. A large backlog (a first run, a bulk import) is rebuilt in id-ordered chunks instead. Each rewrite is
idempotent, so re-reading a few events (the small overlap below covers transactions committing out of id order)
changes nothing.
"""
import logging

from peewee import fn

from app.analytics.models import ApplicationFact, RollupState, ScoreFact, SelfIdentification
from app.analytics.steps import STAGE_STEP, is_closed
from app.db import database
from app.models import Application, Interview, Report, StageEvent
from app.screening.models import Intake

HR_INVITE = "hr_invite"  # the channel of an application HR created by inviting (no posting, no Intake)

log = logging.getLogger(__name__)

OVERLAP = 200          # ids re-read below each mark
FULL_REBUILD_AT = 20000  # more touched applications than this: rebuild in chunks
CHUNK = 2000


def _marks():
    return {row.key: row.value for row in RollupState.select()}


def _set_mark(key, value):
    (RollupState.insert(key=key, value=value)
     .on_conflict(conflict_target=[RollupState.key], update={RollupState.value: value}).execute())


def refresh():
    """Bring the facts up to date; return how many applications were rewritten."""
    marks = _marks()
    top_event = StageEvent.select(fn.MAX(StageEvent.id)).scalar() or 0
    top_report = Report.select(fn.MAX(Report.id)).scalar() or 0
    top_app = Application.select(fn.MAX(Application.id)).scalar() or 0
    seen = (marks.get("event", 0), marks.get("report", 0), marks.get("application", 0))
    if seen == (top_event, top_report, top_app) and "event" in marks:
        return 0
    if not marks:
        count = rebuild()
    else:
        touched = set()
        touched.update(r for (r,) in StageEvent.select(StageEvent.application)
                       .where(StageEvent.id > seen[0] - OVERLAP).tuples())
        touched.update(r for (r,) in Report.select(Interview.application).join(Interview)
                       .where(Report.id > seen[1] - OVERLAP).tuples())
        touched.update(r for (r,) in Application.select(Application.id)
                       .where(Application.id > seen[2] - OVERLAP).tuples())
        if len(touched) > FULL_REBUILD_AT:
            count = rebuild()
        else:
            ids = sorted(touched)
            for i in range(0, len(ids), CHUNK):
                _rewrite(ids[i:i + CHUNK])
            count = len(ids)
    with database.atomic():
        _set_mark("event", top_event)
        _set_mark("report", top_report)
        _set_mark("application", top_app)
    return count


def rebuild():
    """Rewrite every fact, CHUNK applications at a time (ordered by id)."""
    with database.atomic():
        ApplicationFact.delete().execute()
        ScoreFact.delete().execute()
    count, last = 0, 0
    while True:
        ids = [r for (r,) in Application.select(Application.id).where(Application.id > last)
               .order_by(Application.id).limit(CHUNK).tuples()]
        if not ids:
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
    facts, scores = facts_for(apps, events, reports, groups, channels)
    with database.atomic():
        if not fresh:
            ApplicationFact.delete().where(ApplicationFact.application_id.in_(ids)).execute()
            ScoreFact.delete().where(ScoreFact.application_id.in_(ids)).execute()
        for i in range(0, len(facts), 500):
            ApplicationFact.insert_many(facts[i:i + 500]).execute()
        for i in range(0, len(scores), 500):
            ScoreFact.insert_many(scores[i:i + 500]).execute()

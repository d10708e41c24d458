"""The applications workbench: filters, sorting, search, paging over thousands of rows, and export of the
filtered list (CSV, XLSX). Views pass the query string in; everything else happens here."""
import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN, fn

from app.core import phones, spreadsheets
from app.core.converters import parse_day, parse_int
from app.core.job_labels import all_job_labels
from app.core.localtime import local_time, to_utc, zone_label
from app.core.models import Application, Candidate, Job
from app.core.pipeline import STAGE_LABELS
from app.interview.models import Interview, Report
from app.interview.reports import UNSCORED
from app.screening import ownership
from app.screening.intake import CHANNELS
from app.screening.matching import STRENGTHS
from app.screening.models import Intake, Screening

PER_PAGE = 50
EXPORT_LIMIT = 20000
SORTS = {
    "score": lambda: (Screening.score.desc(nulls="LAST"), Application.id.desc()),
    # No AI total (no report yet, or none of its answers could be scored: 无法评分) goes last, never as a 0.
    "ai": lambda: (fn.COALESCE(_AI.c.ai_total, -1).desc(), Application.id.desc()),
    "newest": lambda: (Application.created_at.desc(), Application.id.desc()),
    "oldest": lambda: (Application.created_at, Application.id),
    "name": lambda: (Candidate.name, Application.id),
}
# A refused value is named as the filter form labels its field
FIELD_LABELS = {"job": "岗位", "score_min": "筛选分(最低)", "score_max": "筛选分(最高)", "page": "页码",
                "since": "投递日期(从)", "until": "投递日期(到)"}
SORT_LABELS = {"score": "筛选分", "ai": "AI面试分", "newest": "最新投递", "oldest": "最早投递", "name": "姓名"}
_AI = (Report.select(Interview.application.alias("app_id"), fn.MAX(Report.total).alias("ai_total"),
                     fn.COUNT(Report.id).alias("ai_reports"))
       .join(Interview).group_by(Interview.application).alias("ai"))


@dataclass
class Filters:
    job: int | None = None
    stage: str = ""
    channel: str = ""
    score_min: float | None = None
    score_max: float | None = None
    must: str = ""            # "all": every must-have met; "knockout": a knockout failed
    since: dt.date | None = None
    until: dt.date | None = None
    q: str = ""
    sort: str = "score"
    page: int = 1
    errors: list = field(default_factory=list)

    @classmethod
    def from_args(cls, args):
        """Filters from a query string; a bad value is dropped and named in `errors`, never a 500."""
        f = cls(stage=args.get("stage", "") if args.get("stage") in STAGE_LABELS else "",
                channel=args.get("channel", "") if args.get("channel") in CHANNELS else "",
                must=args.get("must", "") if args.get("must") in ("all", "knockout") else "",
                q=(args.get("q") or "").strip()[:60], sort=args.get("sort") if args.get("sort") in SORTS else "score")
        for name, cast in (("job", parse_int), ("score_min", float), ("score_max", float), ("page", parse_int),
                           ("since", parse_day), ("until", parse_day)):
            raw = (args.get(name) or "").strip()
            if raw:
                try:
                    setattr(f, name, cast(raw))
                except ValueError:
                    f.errors.append(FIELD_LABELS[name])
        f.page = max(1, f.page)
        return f

    @property
    def crossed(self):
        """What a range whose start is past its end (nothing can match it) says to HR."""
        said = []
        if self.since and self.until and self.since > self.until:
            said.append(f"投递日期的开始({self.since})晚于结束({self.until}),请调换")
        if self.score_min is not None and self.score_max is not None and self.score_min > self.score_max:
            said.append(f"筛选分的最低({self.score_min:g})高于最高({self.score_max:g}),请调换")
        return said

    def query_args(self, **changes):
        """The filters as query arguments (for links that change one thing)."""
        values = {"job": self.job, "stage": self.stage, "channel": self.channel, "score_min": self.score_min,
                  "score_max": self.score_max, "must": self.must, "since": self.since, "until": self.until,
                  "q": self.q, "sort": self.sort, "page": self.page} | changes
        return {k: v for k, v in values.items() if v not in (None, "", 1) or (k == "page" and v != 1)}


def _query(staff, f):
    query = (Application.select(Application, Candidate, Job, Screening, Intake, _AI.c.ai_total, _AI.c.ai_reports)
             .join(Candidate).switch(Application).join(Job).switch(Application)
             .join(Screening, JOIN.LEFT_OUTER, on=(Screening.application == Application.id))
             .switch(Application).join(Intake, JOIN.LEFT_OUTER, on=(Intake.application == Application.id))
             .switch(Application).join(_AI, JOIN.LEFT_OUTER, on=(_AI.c.app_id == Application.id), attr="ai"))
    if not staff.is_hr:
        query = query.where(Application.job.in_(list(staff.job_ids) or [0]))
    if f.job:
        query = query.where(Application.job == f.job)
    if f.stage:
        query = query.where(Application.stage == f.stage)
    if f.channel == "hr_invite":
        query = query.where(Intake.id.is_null())
    elif f.channel:
        query = query.where(Intake.channel == f.channel)
    if f.score_min is not None:
        query = query.where(Screening.score >= f.score_min)
    if f.score_max is not None:
        query = query.where(Screening.score <= f.score_max)
    if f.must == "all":
        query = query.where(Screening.must_met == Screening.must_total)
    elif f.must == "knockout":
        query = query.where(Screening.knockout_failed == True)  # noqa: E712 - peewee expression
    if f.since:  # days as HR reads them, in the display zone
        query = query.where(Application.created_at >= to_utc(dt.datetime.combine(f.since, dt.time())))
    if f.until:
        query = query.where(Application.created_at < to_utc(dt.datetime.combine(f.until + dt.timedelta(days=1),
                                                                                 dt.time())))
    if f.q:
        like = f"%{f.q}%"
        query = query.where(Candidate.name.contains(f.q) | Candidate.phone.contains(phones.search_text(f.q))
                            | (Candidate.email ** like))
    return query.order_by(*SORTS[f.sort]())


def page(staff, f):
    """(rows, total, pages) of one page of the filtered list; a page past the last is the last (`f.page` says so)."""
    query = _query(staff, f)
    total = query.count()
    pages = max(1, -(-total // PER_PAGE))
    f.page = min(f.page, pages)
    applications = list(query.paginate(f.page, PER_PAGE))
    same_phone = ownership.same_phone_counts(applications)
    labels = all_job_labels()
    rows = [_row(a, labels, same_phone.get(a.id, 0)) for a in applications]
    return rows, total, pages


def row_of(staff, application_id):
    """One application as a workbench row (its reasons grouped as on the list), or None when the member may not
    see it."""
    found = _query(staff, Filters()).where(Application.id == application_id).first()
    return _row(found, all_job_labels()) if found is not None else None


def _row(a, labels, same_phone=0):
    screening = getattr(a, "screening", None)
    intake = getattr(a, "intake", None)
    verdicts = [dict(v, strength_label=STRENGTHS.get(v.get("strength") or "", ""))
                for v in (screening.verdicts if screening and screening.id else [])]
    flags = []
    if a.problem:
        flags.append(a.problem)
    if screening and screening.id and screening.knockout_failed:
        flags.append("未通过淘汰问题")
    if intake and intake.id and intake.times_applied > 1:
        flags.append(f"重复投递 {intake.times_applied} 次(旧版本按手机号合并)")
    ai = getattr(a, "ai", None)
    ai_total = getattr(ai, "ai_total", None)   # the best AI report (subquery _AI)
    return {"id": a.id, "name": a.candidate.name, "phone": a.candidate.phone,
            "job": labels.get(a.job_id, a.job.title), "job_id": a.job_id,
            "stage": a.stage, "stage_label": STAGE_LABELS.get(a.stage, a.stage),
            "channel": CHANNELS.get(intake.channel, intake.channel) if intake and intake.id else CHANNELS["hr_invite"],
            "score": screening.score if screening and screening.id else None,
            "must": f"{screening.must_met}/{screening.must_total}" if screening and screening.id else "",
            "ai_total": round(ai_total, 1) if ai_total is not None else None,
            # a report without a total: none of its answers could be scored (无法评分, not a 0)
            "ai_unscored": ai_total is None and bool(getattr(ai, "ai_reports", 0)),
            "applied_at": a.created_at, "updated_at": a.updated_at, "flags": flags, "same_phone": same_phone,
            "matched": [v for v in verdicts if v["verdict"] == "matched"],
            "missing": [v for v in verdicts if v["verdict"] == "missing"],
            "uncertain": [v for v in verdicts if v["verdict"] == "uncertain"]}


COLUMNS = [("id", "编号"), ("name", "姓名"), ("phone", "手机号"), ("job", "岗位"), ("stage_label", "阶段"),
           ("channel", "渠道"), ("score", "筛选分"), ("must", "必须项满足"), ("ai_total", "AI面试分"),
           ("applied_at", "投递时间"), ("reasons", "筛选理由"), ("flags", "提示")]


def _header():
    """The column titles; the time column says its zone (app/core/localtime.py)."""
    return [f"{label}({zone_label()})" if key == "applied_at" else label for key, label in COLUMNS]


def _export_rows(staff, f):
    labels = all_job_labels()
    for a in _query(staff, f).limit(EXPORT_LIMIT):
        row = _row(a, labels)
        row["reasons"] = ";".join([f"✓{v['label']}" for v in row["matched"]] + [f"✗{v['label']}" for v in
                                   row["missing"]] + [f"?{v['label']}" for v in row["uncertain"]])
        row["flags"] = ";".join(row["flags"])
        if row["ai_unscored"]:
            row["ai_total"] = UNSCORED
        row["applied_at"] = local_time(row["applied_at"], "%Y-%m-%d %H:%M")
        yield [("" if row[key] is None else row[key]) for key, _ in COLUMNS]


def export_csv(staff, f):
    return spreadsheets.csv_bytes(_header(), _export_rows(staff, f))


def export_xlsx(staff, f):
    return spreadsheets.xlsx_bytes("应聘记录", _header(), _export_rows(staff, f))

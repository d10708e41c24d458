"""A job's screening settings as the YAML template and the job editor hold them (`screening:` in a template)."""
import datetime as dt

from app.core.base import utcnow
from app.core.models import Application
from app.screening import criteria as criteria_text
from app.screening.models import JobScreening
from app.screening.requirements import derive

KEYS = {"criteria", "questions", "knockout_rejects", "auto_invite_at", "remind_after_days"}


def validate(raw, requirements="", location="", fail=None):
    """Normalised settings from a template's `screening:` mapping (None: derive criteria from the requirements).

    `fail(where, problem)` raises the caller's error type."""
    def _fail(where, problem):
        if fail:
            fail(where, problem)
        raise ValueError(f"{where}: {problem}")

    if raw is None:
        return {"criteria": derive(requirements, location), "questions": [], "knockout_rejects": False,
                "auto_invite_at": None, "remind_after_days": 3}
    if not isinstance(raw, dict):
        _fail("screening", "应为映射 must be a mapping")
    unknown = set(raw) - KEYS
    if unknown:
        _fail("screening", f"未知字段 unknown keys: {', '.join(sorted(unknown))}")
    try:
        questions = criteria_text.parse_questions(criteria_text.questions_to_text(_questions(raw.get("questions"))))
        text = str(raw.get("criteria") or "")
        # Blank criteria: suggest them from the requirements (HR edits them afterwards).
        criteria = (criteria_text.parse_text(text, questions) if text.strip()
                    else derive(requirements, location))
    except (criteria_text.CriteriaError, KeyError, TypeError) as exc:
        _fail("screening", getattr(exc, "message", f"格式错误 malformed ({exc})"))
    threshold = raw.get("auto_invite_at")
    if threshold is not None and (not isinstance(threshold, int) or isinstance(threshold, bool)
                                  or not 0 <= threshold <= 100):
        _fail("screening.auto_invite_at", "应为 0-100 的整数或留空 must be an integer 0-100 or empty")
    days = raw.get("remind_after_days", 3)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 60:
        _fail("screening.remind_after_days", "应为 0-60 的整数 must be an integer 0-60")
    return {"criteria": criteria, "questions": questions, "knockout_rejects": bool(raw.get("knockout_rejects")),
            "auto_invite_at": threshold, "remind_after_days": days}


def _questions(raw):
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise TypeError("questions must be a list")
    return [{"id": str(q["id"]), "text": str(q["text"]), "options": [str(o) for o in q["options"]],
             "accept": [str(a) for a in q["accept"]]} for q in raw]


def to_template(job_id):
    row = JobScreening.get_or_none(JobScreening.job == job_id)
    if row is None:
        return None
    return {"criteria": criteria_text.to_text(row.criteria or []), "questions": list(row.questions or []),
            "knockout_rejects": row.knockout_rejects, "auto_invite_at": row.auto_invite_at,
            "remind_after_days": row.remind_after_days}


def save(job_id, settings):
    """Store the settings of a job (inside the caller's transaction)."""
    fields = dict(settings, updated_at=utcnow())
    if not JobScreening.update(**fields).where(JobScreening.job == job_id).execute():
        JobScreening.create(job=job_id, **fields)


def settings_of(job_id):
    """A job's screening settings (the defaults when the job never saved any)."""
    return JobScreening.get_or_none(JobScreening.job == job_id) or JobScreening(job=job_id)


def waiting(job_id, days, now=None):
    """The job's applications still at 已投递 (nobody acted on them) more than `days` days after they came in,
    oldest first: the job page's ⏰ line and HR's reminder about them (app/process/reminders.py)."""
    due = (now or utcnow()) - dt.timedelta(days=days)
    return (Application.select().where((Application.job == job_id) & (Application.stage == "applied")
                                       & (Application.created_at < due)).order_by(Application.created_at))


def questions_by_id(job_ids):
    """{job_id: {question id: text}} of the jobs' current knockout questions (an answer keeps its id when the
    job later drops the question)."""
    return {s.job_id: {q.get("id"): q.get("text", "") for q in s.questions or []}
            for s in JobScreening.select().where(JobScreening.job.in_(list(job_ids)))}

"""Step 30: `interview.questions`, the questions an interview was sent with (id, position, text, dimension_names,
think_seconds, answer_seconds, retakes_allowed, anchors, in the job's order), fixed when it is opened: HR's later
edits of the job reach the interviews opened after them only. The interviews made so far get their job's questions
as they are now (their answers point at those rows), so every interview is read one way."""
import json

from app.core.migrations import ops

FROZEN = ops.load(__file__)

COLUMNS = ("id", "position", "text", "dimension_names", "think_seconds", "answer_seconds", "retakes_allowed",
           "anchors")
JSON_COLUMNS = ("dimension_names", "anchors")


def upgrade(db):
    ops.add_columns(db, FROZEN["interview"], "questions", fill={"questions": "[]"})
    by_job = {}
    rows = db.execute_sql(f"SELECT job_id, {', '.join(COLUMNS)} FROM question ORDER BY job_id, position")
    for job_id, *values in rows.fetchall():
        question = dict(zip(COLUMNS, values, strict=True))
        for name in JSON_COLUMNS:
            question[name] = _json(question[name])
        by_job.setdefault(job_id, []).append(question)
    param = db.param   # ? on SQLite, %s on PostgreSQL
    for job_id, questions in by_job.items():
        db.execute_sql(f"UPDATE interview SET questions = {param} WHERE application_id IN "
                       f"(SELECT id FROM application WHERE job_id = {param})",
                       (json.dumps(questions, ensure_ascii=False, sort_keys=True), job_id))


def _json(text):
    """A JSON column's value; text that is not JSON (the app never writes any) is kept as it is, not lost."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text

"""Step 23: `report.total` may be NULL: a report none of whose answers could be scored has no total (无法评分),
not 0 (app/interview/reports.py).

Reports built before stored 0.0 for such an interview (the weighted mean of nothing). They are told apart from a
real 0 by their dimensions: no answer of any dimension has a score. Those become NULL here, once, in the data,
rather than by a read rule: the workbench sorts by the column in SQL and the analytics rollup copies it into its
facts and averages it there, and each would need the rule again. The facts the rollup already made from those
reports are mended the same way (their total and AI total NULL, their "总分" rows gone), and the rollup's
generation changes, so nothing computed from the old facts is kept.
"""
import json

from app.core.migrations import ops

FROZEN = ops.load(__file__)


def _unscorable(dimensions) -> bool:
    """No answer of any dimension has a score (an old report's 0.0 from nothing)."""
    try:
        dims = json.loads(dimensions) if isinstance(dimensions, str) else dimensions
    except ValueError:
        return False
    if not isinstance(dims, dict):
        return False
    return not any(a.get("score") is not None for d in dims.values() if isinstance(d, dict)
                   for a in d.get("answers") or [] if isinstance(a, dict))


def _allow_null(db):
    if ops.is_sqlite(db):
        ops.rebuild_sqlite_table(db, FROZEN["report"])
    else:
        db.execute_sql('ALTER TABLE "report" ALTER COLUMN "total" DROP NOT NULL')


def upgrade(db):
    _allow_null(db)
    mark = db.param   # ? on SQLite, %s on PostgreSQL
    rows = db.execute_sql(f'SELECT r.id, i.application_id, r.dimensions FROM "report" r JOIN "interview" i '
                          f'ON i.id = r.interview_id WHERE r.total = {mark}', (0.0,)).fetchall()
    unscorable = [(report_id, app_id) for report_id, app_id, dims in rows if _unscorable(dims)]
    for report_id, app_id in unscorable:
        db.execute_sql(f'UPDATE "report" SET total = NULL WHERE id = {mark}', (report_id,))
        db.execute_sql(f'UPDATE "analytics_application_fact" SET total = NULL WHERE application_id = {mark} '
                       f'AND total = {mark}', (app_id, 0.0))
        db.execute_sql(f'UPDATE "analytics_scorecard_fact" SET ai_total = NULL WHERE application_id = {mark} '
                       f'AND ai_total = {mark}', (app_id, 0.0))
        db.execute_sql(f'DELETE FROM "analytics_score_fact" WHERE application_id = {mark} AND dimension = {mark} '
                       f'AND score = {mark}', (app_id, "总分", 0.0))
    if unscorable:
        db.execute_sql("UPDATE \"analytics_rollup_state\" SET value = CASE WHEN value > 1000000000 THEN value - 1 "
                       "ELSE value + 1 END WHERE \"key\" = 'generation'")

"""Step 23 on SQLite and PostgreSQL: an old report whose 0.0 came from no scored answer reads as 无法评分 (total
NULL), in the report and in the analytics facts made from it; a real score of 0 stays."""
import json

from app.core.db import database
from app.core.migrations import upgrade
from tests.core.test_migrations import _wipe
from tests.support.rows import fill_every_table

SILENT = {"沟通": {"score": None, "weight": 50, "answers": [{"answer_id": 1, "question": 0, "score": None}]}}
ZERO = {"沟通": {"score": 0, "weight": 50, "answers": [{"answer_id": 2, "question": 0, "score": 0}]}}


def test_old_reports_with_a_total_from_no_scored_answer_lose_it(any_db_app):
    _wipe()
    upgrade(until=22)
    fill_every_table(database.obj)
    (silent, silent_app), (zero, zero_app) = database.execute_sql(
        'SELECT r.id, i.application_id FROM report r JOIN interview i ON i.id = r.interview_id ORDER BY r.id'
    ).fetchall()
    mark = database.param
    for report_id, dims in ((silent, SILENT), (zero, ZERO)):
        database.execute_sql(f"UPDATE report SET total = {mark}, dimensions = {mark} WHERE id = {mark}",
                             (0.0, json.dumps(dims), report_id))
    for app_id in (silent_app, zero_app):
        database.execute_sql(f"UPDATE analytics_application_fact SET total = {mark}, application_id = {mark} "
                             f"WHERE application_id = (SELECT MIN(application_id) FROM analytics_application_fact "
                             f"WHERE total <> {mark})", (0.0, app_id, 0.0))
        database.execute_sql(f"INSERT INTO analytics_score_fact (application_id, job_id, applied_at, channel, "
                             f"dimension, score) VALUES ({mark}, 1, '2026-12-01 09:00:00', 'x', {mark}, {mark})",
                             (app_id, "总分", 0.0))
    database.execute_sql("INSERT INTO analytics_rollup_state (\"key\", value) VALUES ('generation', 7)")
    upgrade()
    totals = dict(database.execute_sql("SELECT id, total FROM report").fetchall())
    assert totals[silent] is None and totals[zero] == 0.0
    facts = dict(database.execute_sql("SELECT application_id, total FROM analytics_application_fact").fetchall())
    assert facts[silent_app] is None and facts[zero_app] == 0.0
    left = database.execute_sql(f"SELECT application_id FROM analytics_score_fact WHERE dimension = {mark}",
                                ("总分",)).fetchall()
    assert [a for (a,) in left] == [zero_app]
    assert database.execute_sql("SELECT value FROM analytics_rollup_state WHERE \"key\" = 'generation'"
                                ).fetchone()[0] != 7    # nothing computed from the old facts is kept

"""What a late withdrawal of biometric consent left behind: the analytics facts kept the report's old total until the
nightly rebuild, and a result card WeCom can no longer change kept its face line without anyone being told."""
from app.analytics import rollup
from app.analytics.models import ApplicationFact, ScoreFact
from app.interview import answer_analysis, answer_jobs, late_withdrawal, withdrawn_report
from app.interview.models import Answer, Report
from tests.privacy.test_late_biometric_withdrawal import _finished_with_face_flags


def _facts(application_id):
    fact = ApplicationFact.get_by_id(application_id)
    scores = {row.dimension: row.score for row in ScoreFact.select().where(ScoreFact.application_id == application_id)}
    return fact.total, scores


def test_the_facts_follow_the_report_written_again(any_db_app, redis_conn):
    """Before: ApplicationFact.total and the ScoreFacts kept the total read before the re-scoring (the report keeps
    its id, so the rollup's high-water marks never saw it) until `analytics refresh --rebuild`."""
    interview, report, with_expressions, _ = _finished_with_face_flags()
    application_id = interview.application_id
    rollup.refresh()
    assert _facts(application_id)[0] == report.total
    late_withdrawal.record_withdrawal(interview.id)
    rescored = answer_analysis.score(with_expressions.id)
    answer_jobs.continue_answer(rescored)          # the chain: REFRESH_REPORT, as a worker would run it
    refreshed = withdrawn_report.refresh_report(interview.id)
    assert refreshed.total != report.total         # the expressions counted: the total moved
    total, scores = _facts(application_id)
    assert total == refreshed.total and scores["总分"] == refreshed.total
    assert {name: d["score"] for name, d in refreshed.dimensions.items() if d["score"] is not None} == {
        name: score for name, score in scores.items() if name != "总分"}
    assert Answer.get_by_id(with_expressions.id).scores == rescored.scores
    assert Report.select().count() == 1

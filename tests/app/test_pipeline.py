"""The pipeline state machine on SQLite and PostgreSQL, with follow-up jobs in the real Redis queue."""
import datetime as dt

import pytest
from rq import Queue

from app.conversation.services import POST_STAGE_NOTICE
from app.core import follow_ups, pipeline
from app.core.base import utcnow
from app.core.models import Application, Candidate, StageEvent
from app.core.queues import FAST
from app.interview.decisions import NOTIFY_HR
from app.interview.models import Interview, Report
from app.interview.result_cards import PUSH_RESULT_CARD
from app.notifications.stage_notices import SEND_DECISION_NOTICE
from app.process.scheduling import APPLICATION_CLOSED


def _application(job):
    cand = Candidate.create(name="王小明", phone="13900001111")
    return Application.create(candidate=cand, job=job)


def _report(application):
    interview = Interview.create(application=application, token_hash="h" * 64, status="completed",
                                 expires_at=utcnow() + dt.timedelta(days=1))
    return Report.create(interview=interview, total=70.0, dimensions={}, flags=[], model_version="t")


def test_legal_move_writes_stage_and_audit_and_queues_nothing_without_follow_ups(any_db_app, demo_job, redis_conn):
    app_row = _application(demo_job)
    # screened: no follow-up (ai_invited now posts the candidate's notice, app/core/phases.NOTICES)
    pipeline.advance_stage(app_row.id, "screened", actor="hr_lina", source="web", reason="resume ok")
    assert Application.get_by_id(app_row.id).stage == "screened"
    trail = pipeline.history(app_row.id)
    assert [(e.from_stage, e.to_stage, e.actor, e.source) for e in trail] == [
        ("applied", "screened", "hr_lina", "web")]
    assert not follow_ups.has_follow_ups("screened")
    assert len(Queue(FAST, connection=redis_conn)) == 0  # a stage with no follow-up enqueues no job at all


def test_ai_scored_queues_the_result_card_with_the_report_id(any_db_app, demo_job, redis_conn):
    app_row = _application(demo_job)
    Application.update(stage="ai_completed").where(Application.id == app_row.id).execute()
    report = _report(app_row)
    pipeline.advance_stage(app_row.id, "ai_scored", actor="system", source="system")
    jobs_queued = Queue(FAST, connection=redis_conn).get_jobs()
    assert [(j.func_name, j.args, j.id) for j in jobs_queued] == [
        (PUSH_RESULT_CARD.func, (report.id,), f"result-card-report-{report.id}")]


def test_repeated_transition_is_a_noop(any_db_app, demo_job, redis_conn):
    app_row = _application(demo_job)
    pipeline.advance_stage(app_row.id, "rejected", actor="a", source="web")
    assert pipeline.advance_stage(app_row.id, "rejected", actor="a", source="web") is None
    assert StageEvent.select().where(StageEvent.application == app_row.id).count() == 1
    queued = Queue(FAST, connection=redis_conn).get_jobs()
    # once, not twice: HR's note, the candidate's notice (page, then SMS / WeChat), the booking check of a closed
    # application
    assert [j.func_name for j in queued] == [NOTIFY_HR.func, POST_STAGE_NOTICE.func, SEND_DECISION_NOTICE.func,
                                             APPLICATION_CLOSED.func]


def test_illegal_transition_is_refused_and_changes_nothing(any_db_app, demo_job, redis_conn):
    app_row = _application(demo_job)
    with pytest.raises(pipeline.IllegalTransition) as info:
        pipeline.advance_stage(app_row.id, "hired", actor="a", source="web")
    assert info.value.status == 409 and "不能从" in info.value.message
    assert Application.get_by_id(app_row.id).stage == "applied"
    assert StageEvent.select().count() == 0
    assert len(Queue(FAST, connection=redis_conn)) == 0


def test_failed_transaction_enqueues_nothing(any_db_app, demo_job, redis_conn):
    from app.core.tx import transaction
    app_row = _application(demo_job)
    with pytest.raises(RuntimeError), transaction():
        pipeline.advance_stage(app_row.id, "rejected", actor="a", source="web")
        raise RuntimeError("boom after the move")
    assert Application.get_by_id(app_row.id).stage == "applied"
    assert StageEvent.select().count() == 0
    assert len(Queue(FAST, connection=redis_conn)) == 0


def test_every_active_stage_can_be_rejected_and_hired_is_final():
    for stage in pipeline.ACTIVE:
        assert pipeline.can_move(stage, "rejected"), stage
    assert pipeline.LEGAL_MOVES["hired"] == frozenset()
    assert pipeline.LEGAL_MOVES["withdrawn"] == frozenset()
    # A rejection can only be reopened into a manager's decision again (with a reason: decision_changes.py).
    assert pipeline.LEGAL_MOVES["rejected"] == frozenset({"second_round", "on_hold"})

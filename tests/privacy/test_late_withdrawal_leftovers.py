"""What a late withdrawal of biometric consent left behind: the analytics facts kept the report's old total until the
nightly rebuild, and a result card WeCom can no longer change kept its face line without anyone being told."""
from app.analytics import rollup
from app.analytics.models import ApplicationFact, ScoreFact
from app.core.links import report_url
from app.core.models import WeComEvent
from app.interview import answer_analysis, answer_jobs, late_withdrawal, withdrawn_report
from app.interview.models import Answer, CardMessage, Report
from app.interview.withdrawn_report import CODE_USED, UNCHANGED_NOTE
from tests.privacy.helpers import card_with_a_face_line, finished_with_face_flags
from tests.support.wecom import markdown_texts, run_fast_worker, tap_stored
from wecom_callbacks import handlers


def _facts(application_id):
    fact = ApplicationFact.get_by_id(application_id)
    scores = {row.dimension: row.score for row in ScoreFact.select().where(ScoreFact.application_id == application_id)}
    return fact.total, scores


def test_the_facts_follow_the_report_written_again(any_db_app, redis_conn):
    """Before: ApplicationFact.total and the ScoreFacts kept the total read before the re-scoring (the report keeps
    its id, so the rollup's high-water marks never saw it) until `analytics refresh --rebuild`."""
    interview, report, with_expressions, _ = finished_with_face_flags()
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


def _told(box):
    return [text for text in markdown_texts(box, "zhangwei") if UNCHANGED_NOTE in text]


def test_a_greyed_card_cannot_change_so_its_recipients_are_told(wecom_env, backend_job, redis_conn):
    """Before: the decided (greyed) card kept 「…不是同一人」 and nobody was told; the row's error was all."""
    app, app_url, box = wecom_env
    interview, report, card = card_with_a_face_line(box, backend_job)
    tap_stored(box, "zhangwei", card.task_id, f"d:{interview.application_id}:second_round")
    handlers.handle_event(WeComEvent.get().id)
    run_fast_worker(redis_conn)                                   # the card greys out with the decision
    assert CardMessage.get_by_id(card.id).response_code_used
    updates = len(box.requests_to("update_template_card"))

    late_withdrawal.record_withdrawal(interview.id)
    run_fast_worker(redis_conn)
    assert "不是同一人" in box.card(card.task_id, "zhangwei")["card"]["sub_title_text"]   # WeCom keeps it
    assert len(box.requests_to("update_template_card")) == updates                        # nothing tried
    told = _told(box)
    assert len(told) == 1 and report_url(report.id) in told[0]
    assert "同一人" not in told[0]
    assert CardMessage.get_by_id(card.id).error.startswith(CODE_USED)
    assert withdrawn_report.amend_result_card(report.id) == "done"      # again: no second message
    assert len(_told(box)) == 1


def test_a_card_past_wecoms_72_hours_cannot_change_so_its_recipients_are_told(wecom_env, backend_job, redis_conn):
    """Nobody decided, but the send's response code is older than 72 hours: WeCom refuses the update."""
    app, app_url, box = wecom_env
    interview, report, card = card_with_a_face_line(box, backend_job)
    # Three days pass on the sandbox's clock: the send's response code is past WeCom's 72 hours.
    box.app.extensions["sandbox_store"].run("UPDATE response_codes SET created_at = created_at - ?", 73 * 3600)

    late_withdrawal.record_withdrawal(interview.id)
    run_fast_worker(redis_conn)
    assert [r["errcode"] for r in box.requests_to("update_template_card")] != [0]
    assert "不是同一人" in box.card(card.task_id, "zhangwei")["card"]["sub_title_text"]
    told = _told(box)
    assert len(told) == 1 and report_url(report.id) in told[0]
    row = CardMessage.get_by_id(card.id)
    assert row.response_code_used and row.error.startswith(CODE_USED)
    assert withdrawn_report.amend_result_card(report.id) == "done"
    assert len(_told(box)) == 1


def test_an_updated_card_needs_no_message(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    interview, report, card = card_with_a_face_line(box, backend_job)
    late_withdrawal.record_withdrawal(interview.id)
    run_fast_worker(redis_conn)
    assert "同一人" not in box.card(card.task_id, "zhangwei")["card"]["sub_title_text"]
    assert _told(box) == []

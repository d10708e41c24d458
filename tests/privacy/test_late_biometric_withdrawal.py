"""A withdrawal of biometric consent that reaches HR after the interview ended (the candidate's own consent step
answers 409 interview_finished): HR records it on /admin/privacy/candidates/<id>, and the face results go from the
answers, the report already built and the result card already sent (updated, not sent again)."""
import pytest

from app.core.access_log import AccessLog
from app.core.errors import Conflict
from app.core.jobs import get_queue
from app.interview import answer_analysis, answer_jobs, withdrawn_report
from app.interview import flow as interview_flow
from app.interview.answer_jobs import SCORE_ANSWER
from app.interview.biometrics import WITHDRAWN, WITHDRAWN_NOTE
from app.interview.integrity import FACE_CODES
from app.interview.models import Answer, AnswerStatus, CardMessage, ConsentRecord, Interview, Report
from app.interview.withdrawn_report import CARD_NOTE, REFRESH_REPORT
from tests.privacy.helpers import card_with_a_face_line, finished_with_face_flags
from tests.support.reports import sign_in_as
from tests.support.wecom import run_fast_worker


def _face_free(report):
    assert not {f["code"] for f in report.flags} & set(FACE_CODES), report.flags
    assert not {f["code"] for f in report.integrity["flags"]} & set(FACE_CODES)
    face = next(c for c in report.integrity["checks"] if c["code"] == "face")
    assert (face["ran"], face["found"], face["note"]) == (False, 0, WITHDRAWN_NOTE)
    assert "人脸" not in report.integrity["line"] and "同一人" not in report.integrity["line"]


def test_hr_records_a_late_withdrawal_and_the_report_loses_its_face_flags(any_db_app, redis_conn):
    """Before: no path recorded a withdrawal once the interview ended, and the built report kept 不是同一人.
    On both databases (PostgreSQL: the interview's row lock is taken by the withdrawal and by the rewrite)."""
    client = any_db_app.test_client()
    interview, report, with_expressions, without = finished_with_face_flags()
    candidate_id = interview.application.candidate_id
    old_score = Answer.get_by_id(with_expressions.id).scores
    # The candidate's own page refuses: the interview is finished.
    with pytest.raises(Conflict):
        interview_flow.give_consent(interview.id, True, False, interview_flow.CONSENT_VERSION)

    sign_in_as(client, "hr_lina")
    page = client.get(f"/admin/privacy/candidates/{candidate_id}").get_data(as_text=True)
    assert 'data-testid="biometric-panel"' in page and "记录撤回并删除人脸结果" in page
    url = f"/admin/privacy/candidates/{candidate_id}/interviews/{interview.id}/withdraw-biometric"
    client.post(url)   # without the confirmation box: nothing happens
    assert Interview.get_by_id(interview.id).consent_biometric is True
    res = client.post(url, data={"confirm": "yes"})
    assert res.status_code == 302

    interview = Interview.get_by_id(interview.id)
    assert interview.consent_biometric is False and interview.reference_image == ""
    last = ConsentRecord.select().where(ConsentRecord.interview == interview.id).order_by(ConsentRecord.id.desc()).get()
    assert (last.kind, last.granted) == ("biometric", False)
    for row in (with_expressions, without):
        assert Answer.get_by_id(row.id).video == {"skipped": WITHDRAWN, "flags": []}
    # The answer scored with expressions is scored again; the other keeps its score.
    assert Answer.get_by_id(with_expressions.id).status == AnswerStatus.ANALYSED
    assert get_queue(SCORE_ANSWER.queue).fetch_job(SCORE_ANSWER.make_job_id((with_expressions.id,))) is not None
    assert Answer.get_by_id(without.id).status == AnswerStatus.SCORED
    # The report has no face flag or check any more, says why, and waits for the re-scored answer.
    amended = Report.get_by_id(report.id)
    _face_free(amended)
    assert amended.integrity["rescoring"] is True
    # Audited like HR's other privacy actions.
    row = AccessLog.get(AccessLog.action == "withdraw_biometric")
    assert (row.actor, row.candidate_id, row.target) == ("hr_lina", candidate_id, f"interview:{interview.id}")
    page = client.get(f"/admin/privacy/candidates/{candidate_id}").get_data(as_text=True)
    assert "记录撤回生物识别同意" in page and 'data-testid="biometric-panel"' not in page

    # The re-scored answer continues with the report written again (not a second report), without expressions.
    rescored = answer_analysis.score(with_expressions.id)
    assert rescored.scores != old_score
    answer_jobs.continue_answer(rescored)
    assert get_queue(REFRESH_REPORT.queue).fetch_job(
        REFRESH_REPORT.make_job_id((interview.id,), f"a{rescored.id}")) is not None
    refreshed = withdrawn_report.refresh_report(interview.id)
    assert refreshed.id == report.id and Report.select().count() == 1
    _face_free(refreshed)
    assert "rescoring" not in refreshed.integrity
    dims = {name: [a["score"] for a in d["answers"] if a["answer_id"] == rescored.id]
            for name, d in refreshed.dimensions.items()}
    assert dims == {name: [r["score"]] for name, r in rescored.scores["dimensions"].items() if name in dims}

    # Twice is refused with a message, not a 500, and writes nothing.
    res = client.post(url, data={"confirm": "yes"}, follow_redirects=True)
    assert res.status_code == 200 and "没有生效的生物识别同意" in res.get_data(as_text=True)
    assert AccessLog.select().where(AccessLog.action == "withdraw_biometric").count() == 1


def test_only_hr_records_a_withdrawal(app, client):
    interview, report, _, _ = finished_with_face_flags()
    candidate_id = interview.application.candidate_id
    url = f"/admin/privacy/candidates/{candidate_id}/interviews/{interview.id}/withdraw-biometric"
    assert client.post(url, data={"confirm": "yes"}).status_code in (302, 401)   # not signed in: to the sign-in
    sign_in_as(client, "zhangwei")   # the job's manager reads the report but may not change consent
    assert client.post(url, data={"confirm": "yes"}).status_code == 403
    assert client.get(f"/admin/privacy/candidates/{candidate_id}").status_code == 403
    sign_in_as(client, "hr_lina")
    other = f"/admin/privacy/candidates/{candidate_id + 1}/interviews/{interview.id}/withdraw-biometric"
    assert client.post(other, data={"confirm": "yes"}).status_code == 404   # not this candidate's interview
    assert Interview.get_by_id(interview.id).consent_biometric is True
    assert Report.get_by_id(report.id).flags == report.flags
    assert not AccessLog.select().where(AccessLog.action == "withdraw_biometric").exists()


def test_a_sent_result_card_is_updated_not_sent_again(wecom_env, backend_job, redis_conn):
    """Before: the manager's card kept 「答题人与参考照片…不是同一人」 after the withdrawal."""
    app, app_url, box = wecom_env
    interview, report, card = card_with_a_face_line(box, backend_job)
    application = interview.application

    client = app.test_client()
    sign_in_as(client, "hr_lina")
    page = client.get(f"/admin/privacy/candidates/{application.candidate_id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    res = client.post(f"/admin/privacy/candidates/{application.candidate_id}/interviews/{interview.id}"
                      "/withdraw-biometric", data={"confirm": "yes", "csrf_token": token})
    assert res.status_code == 302
    run_fast_worker(redis_conn)

    seen = box.card(card.task_id, "zhangwei")
    assert "同一人" not in seen["card"]["sub_title_text"] and "人脸" not in seen["card"]["sub_title_text"]
    assert seen["card"]["quote_area"]["quote_text"] == CARD_NOTE
    assert not seen.get("replace_name") and "replace_text" not in seen["card"]   # still undecided: buttons live
    assert seen["card"]["button_list"] == CardMessage.get_by_id(card.id).card["button_list"]
    # One card sent, one update with the send's response code; the row keeps the amended card.
    assert [m["msgtype"] for m in box.messages("zhangwei")] == ["template_card"]
    assert [r["errcode"] for r in box.requests_to("update_template_card")] == [0]
    row = CardMessage.get_by_id(card.id)
    assert row.response_code_used and "同一人" not in row.card["sub_title_text"]
    assert CardMessage.select().count() == 1
    assert withdrawn_report.amend_result_card(report.id) == "done"   # run again: nothing more goes to WeCom
    assert len(box.requests_to("update_template_card")) == 1 and not CardMessage.get_by_id(card.id).error
    # A tap still decides (its callback carries a new response code).
    status, _ = box.tap("zhangwei", card.task_id, f"d:{application.id}:second_round")
    assert status == 200

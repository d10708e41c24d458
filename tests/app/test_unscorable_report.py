"""An interview none of whose answers could be scored (no speech on any answer: the scorer abstained on each) has
no total, not a total of 0: every page and card says 无法评分 with the reason, lists sort it apart from the weak
candidates, analytics averages leave it out, and the manager can still decide after watching."""
import re

import pytest

from app.core import pipeline
from app.core.base import utcnow
from app.core.models import Application, StageEvent
from app.interview import flow as interview_flow
from app.interview import reports
from app.interview.invitations import invite_candidate
from app.interview.models import Answer, Interview, Report
from app.interview.result_cards import build_result_card
from tests.support.reports import sign_in_as

SILENT = "说的内容太少（0 个字），无法可靠评分"


def _interview(job, name="李明", phone="13800001234"):
    interview, _ = invite_candidate(job.id, name, phone)
    interview_flow.give_consent(interview.id, True, True, interview_flow.CONSENT_VERSION)
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    return Interview.get_by_id(interview.id)


def _answer(interview, question, text, score):
    """An answer the scorer scored `score` on each of its dimensions (None: abstained, as on a silent answer)."""
    dims = {d: {"score": score, "level": None if score is None else 3, "reasons": [],
                **({"abstained": SILENT} if score is None else {})} for d in question.dimension_names}
    Answer.create(interview=interview, question=question, media_key=f"answers/x/{question.id}.webm", has_video=True,
                  duration_s=30.0, status="scored", transcript={"text": text, "segments": []},
                  video={"flags": [], "identity": {"verdict": "same"}},
                  scores={"dimensions": dims, "model_version": "t",
                          "reliability": {"reliable": score is not None, "reason": "" if score else SILENT}})


def _reported(job, score=None, name="李明", phone="13800001234"):
    """A finished interview whose every answer scored `score` (None: nothing was heard), built into its report the
    way the worker builds it; the application is at ai_scored."""
    interview = _interview(job, name, phone)
    for question in job.ordered_questions():
        _answer(interview, question, "" if score is None else "我负责订单系统的慢查询优化,加了联合索引。", score)
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="t", source="system")
    return reports.build_report(interview.id)


@pytest.fixture
def silent(app, demo_job):
    return _reported(demo_job)


def test_a_report_without_a_scorable_answer_has_no_total_and_says_why(silent, demo_job):
    n = len(demo_job.ordered_questions())
    assert silent.total is None and Report.get_by_id(silent.id).total is None
    assert reports.basis(silent) == (0, n)
    assert reports.basis_line(silent) == f"0/{n} 题可评分:没有听到回答"
    assert reports.score_band(silent.total) == "" and reports.total_text(silent.total) == "无法评分"
    event = (StageEvent.select().where(StageEvent.application == silent.interview.application_id)
             .order_by(StageEvent.id.desc()).first())
    assert event.to_stage == "ai_scored" and event.reason == "AI评分完成,无法评分"


def test_both_cards_say_it_cannot_be_scored(silent, demo_job):
    from app.process import round_decisions
    from app.process.models import Round
    application = Application.get_by_id(silent.interview.application_id)
    n = len(demo_job.ordered_questions())
    card = build_result_card(application, reports.card_summary(silent, "http://x/m/reports/1"), "t1")
    assert card["horizontal_content_list"][0] == {"keyname": "总分", "value": "无法评分"}
    assert card["sub_title_text"].startswith(f"0/{n} 题可评分:没有听到回答")
    assert "0.0" not in str(card) and "待提升" not in str(card)
    round_ = Round.create(application=application, interviewers=["wangfang"], duration_min=60, format="meeting",
                          created_by="hr_lina")
    card = round_decisions.build_card(round_)
    assert card["horizontal_content_list"][0] == {"keyname": "AI总分", "value": "无法评分"}


def test_the_report_page_says_it_cannot_be_scored_and_the_manager_still_decides(client, silent, demo_job):
    sign_in_as(client, "zhangwei")
    html = client.get(f"/m/reports/{silent.id}").get_data(as_text=True)
    head = re.search(r'<div class="total[^"]*".*?</div>', html, re.S).group(0)
    assert "无法评分" in head and "unscored" in head and "0.0" not in head and "待提升" not in head
    assert f"0/{len(demo_job.ordered_questions())} 题可评分:没有听到回答" in html
    resp = client.post(f"/m/reports/{silent.id}/decide", data={"decision": "second_round"})
    assert resp.status_code == 302
    assert Application.get_by_id(silent.interview.application_id).stage == "second_round"


def test_the_application_page_says_it_cannot_be_scored_and_its_buttons_decide(client, silent):
    sign_in_as(client, "zhangwei")
    app_id = silent.interview.application_id
    html = client.get(f"/m/applications/{app_id}").get_data(as_text=True)
    panel = re.search(r"<h2>AI面试报告</h2>.*?</div>", html, re.S).group(0)
    assert "无法评分" in panel and "没有听到回答" in panel and "0.0" not in panel
    assert f'action="/m/applications/{app_id}/decide"' in html
    client.post(f"/m/applications/{app_id}/decide", data={"decision": "on_hold"})
    assert Application.get_by_id(app_id).stage == "on_hold"


def test_the_workbench_shows_it_apart_and_sorts_it_after_the_weak_candidates(client, silent, demo_job):
    weak = _reported(demo_job, score=12, name="王强", phone="13900005678")
    assert weak.total == 12.0
    sign_in_as(client, "hr_lina")
    html = client.get("/admin/applications?sort=ai").get_data(as_text=True)
    rows = re.findall(r'<tr data-application="(\d+)">(.*?)</tr>', html, re.S)
    order = [int(app_id) for app_id, _ in rows]
    assert order.index(weak.interview.application_id) < order.index(silent.interview.application_id)
    silent_row = dict(rows)[str(silent.interview.application_id)]
    assert "无法评分" in silent_row and "0.0" not in silent_row
    assert "12.0" in dict(rows)[str(weak.interview.application_id)]
    csv = client.get("/admin/applications/export.csv").get_data(as_text=True)
    assert "无法评分" in csv


def test_the_round_comparison_says_it_cannot_be_scored(client, silent):
    from app.process import scorecards
    from tests.process.helpers import held_round, scorecard_form
    application = Application.get_by_id(silent.interview.application_id)
    pipeline.advance_stage(application.id, "second_round", actor="zhangwei", source="web")
    round_, _ = held_round(application)
    scorecards.submit(round_.id, "wangfang", scorecard_form(round_, 4, comment="回答清楚"))
    sign_in_as(client, "hr_lina")
    html = client.get(f"/m/rounds/{round_.id}").get_data(as_text=True)
    row = re.search(r"<tr><td>推荐</td><td>(.*?)</td>", html).group(1)
    assert row == "无法评分"


def test_an_analytics_average_leaves_it_out(silent, demo_job):
    from app.analytics import rollup
    from app.analytics.funnel import Cohort, score_distribution
    _reported(demo_job, score=80, name="王强", phone="13900005678")
    rollup.refresh()
    total = score_distribution(Cohort(job_ids=(demo_job.id,)))["总分"]
    assert (total["n"], total["mean"]) == (1, 80.0)

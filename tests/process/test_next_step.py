"""The staff application page says what comes next, and who it waits on, at the screening and AI-interview
stages too (it said 当前阶段没有待办 until the second round)."""
import re

from app.core.models import Application, Candidate
from app.core.pipeline import advance_stage
from app.interview import flow
from app.interview.invitations import invite_candidate
from tests.support.app import import_job
from tests.support.reports import sign_in_as


def _next(client, application_id):
    html = client.get(f"/m/applications/{application_id}").get_data(as_text=True)
    found = re.search(r'data-testid="next-step">([^<]*)</p><p class="muted"[^>]*>等待:([^<]*)<', html)
    return found.groups() if found else None


def _move(application_id, *stages):
    for stage in stages:
        advance_stage(application_id, stage, actor="hr_lina", source="web")


def test_each_interview_stage_says_what_is_next(app, client):
    job = import_job("backend-engineer.yaml")
    interview, _ = invite_candidate(job.id, "李明", "13800001234")
    sign_in_as(client, "hr_lina")
    what, who = _next(client, interview.application_id)
    assert "等候选人打开链接开始 AI 面试" in what and "前有效" in what and who == "候选人"

    flow.give_consent(interview.id, recording=True, biometric=False, text_version=flow.CONSENT_VERSION)
    flow.verify_identity(interview.id, "李明", "1234")
    what, who = _next(client, interview.application_id)
    total = len(job.ordered_questions())
    assert f"候选人作答中:已答 0/{total} 题" in what and who == "候选人"

    _move(interview.application_id, "ai_in_progress", "ai_completed")
    assert _next(client, interview.application_id) == ("AI 正在转写和评分;报告出来后用人经理会收到企业微信卡片", "系统")
    _move(interview.application_id, "ai_scored")
    assert _next(client, interview.application_id)[1] == "用人经理"
    _move(interview.application_id, "on_hold")
    assert _next(client, interview.application_id) == ("待定:再看 AI 报告后决定进入复试或淘汰", "用人经理")


def test_screening_stages_wait_on_hr(app, client):
    job = import_job("backend-engineer.yaml")
    interview, _ = invite_candidate(job.id, "王芳", "13900005678")
    sign_in_as(client, "hr_lina")
    _move(interview.application_id, "expired")
    assert _next(client, interview.application_id) == ("AI 面试链接已过期,候选人未完成:可重新邀请", "HR")
    # An application HR holds while screening (the workbench's 暂缓) waits on HR, not on a report.
    applicant = Application.create(candidate=Candidate.create(name="钱七", phone="13600002222"), job=job)
    assert _next(client, applicant.id) == ("查看简历与筛选理由,决定是否邀请 AI 面试", "HR")
    _move(applicant.id, "on_hold")
    assert _next(client, applicant.id) == ("暂缓:决定是否邀请 AI 面试", "HR")

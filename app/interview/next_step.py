"""What the staff application page says comes next while an application is at an AI-interview stage, and who it
waits on (app/process/staff_panel.next_step asks here for these stages)."""
from app.core.localtime import local_time
from app.core.models import StageEvent
from app.interview.flow import progress
from app.interview.invitations import latest_interview

STAGES = ("ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "on_hold", "expired")


def next_step(application):
    """(what is next, who is waiting on it), or (None, None) at a stage this module does not describe."""
    stage = application.stage
    if stage == "ai_completed":
        return "AI 正在转写和评分;报告出来后用人经理会收到企业微信卡片", "系统"
    if stage == "ai_scored":
        return "查看 AI 报告并决定:进入复试、待定或淘汰", "用人经理"
    if stage == "on_hold":
        return _on_hold(application)
    if stage == "expired":
        return "AI 面试链接已过期,候选人未完成:可重新邀请", "HR"
    if stage not in STAGES:
        return None, None
    interview = latest_interview(application.id)
    if interview is None:
        return "等候选人完成 AI 面试", "候选人"
    until = f"链接 {local_time(interview.expires_at)} 前有效"
    state = progress(interview)
    if state.answered == 0 and state.step == "landing":
        return f"等候选人打开链接开始 AI 面试({until})", "候选人"
    return f"候选人作答中:已答 {state.answered}/{state.total} 题({until})", "候选人"


def _on_hold(application):
    """待定 means three things, by where the application came from."""
    came_from = (StageEvent.select(StageEvent.from_stage)
                 .where((StageEvent.application == application.id) & (StageEvent.to_stage == "on_hold"))
                 .order_by(StageEvent.id.desc()).scalar())
    if came_from in ("applied", "screened"):
        return "暂缓:决定是否邀请 AI 面试", "HR"
    if came_from == "offer_approval":
        return "录用审批未通过:决定回到复试还是结束流程", "HR"
    return "待定:再看 AI 报告后决定进入复试或淘汰", "用人经理"

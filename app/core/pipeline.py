"""The hiring pipeline: one state machine, one audit trail.

Every stage change goes through advance_stage: it checks the move is legal, writes the new stage and a
StageEvent in one transaction, and enqueues the stage's follow-up jobs (app/core/follow_ups.py) after
commit. Repeating a move that already happened (WeCom retrying a callback) is a no-op.
"""
import logging

from app.core import follow_ups
from app.core.base import utcnow
from app.core.errors import Conflict, found
from app.core.models import Application, StageEvent
from app.core.tx import after_commit, transaction

log = logging.getLogger(__name__)

MAIN_LINE = ["applied", "screened", "ai_invited", "ai_in_progress", "ai_completed", "ai_scored", "second_round",
             "background_check", "offer_approval", "offer_sent", "onboarding", "hired"]
CLOSED = ["rejected", "withdrawn", "expired"]
ON_HOLD = "on_hold"
STAGES = MAIN_LINE + [ON_HOLD] + CLOSED

STAGE_LABELS = {
    "applied": "已投递", "screened": "简历通过", "ai_invited": "已邀请AI面试", "ai_in_progress": "AI面试中",
    "ai_completed": "AI面试已完成", "ai_scored": "AI报告已出", "second_round": "进入复试",
    "background_check": "背景调查", "offer_approval": "Offer审批中", "offer_sent": "已发Offer",
    "onboarding": "入职中", "hired": "已入职", "on_hold": "待定", "rejected": "淘汰", "withdrawn": "候选人撤回",
    "expired": "邀请已过期",
}

ACTIVE = [s for s in MAIN_LINE if s != "hired"] + [ON_HOLD]

# Where a stage change came from, as the audit trail shows it.
SOURCE_LABELS = {"card": "企业微信卡片", "web": "网页", "approval": "审批", "system": "系统", "cli": "命令行",
                 "workbench": "筛选工作台", "privacy": "数据删除"}
# Who did it, where a stage or process event names no staff member (a staff userid reads as the member's name).
ACTOR_LABELS = {"candidate": "候选人", "system": "系统", "cli": "命令行", "demo": "演示数据"}


def _legal_moves():
    moves = {stage: set() for stage in STAGES}
    for here, there in zip(MAIN_LINE, MAIN_LINE[1:], strict=False):
        moves[here].add(there)
    moves["applied"].add("ai_invited")          # HR may invite without a separate screening step
    moves["applied"].add(ON_HOLD)               # HR holds an applicant while screening (the workbench)
    moves["screened"].add(ON_HOLD)
    moves["ai_scored"].add(ON_HOLD)             # a manager taps 待定
    moves[ON_HOLD] |= {"second_round", "ai_invited"}
    moves["offer_approval"].add(ON_HOLD)        # approval rejected: back to HR
    moves["background_check"].add("offer_sent")  # an offer within the job's policy needs no approval (app/process)
    moves["offer_approval"].add("background_check")  # HR withdraws the offer to make a new one (app/process)
    moves["offer_sent"].add("background_check")
    moves["expired"].add("ai_invited")          # re-invite
    moves["ai_in_progress"].add("ai_invited")   # HR resets a stuck interview
    for stage in ACTIVE:
        moves[stage] |= set(CLOSED)
    moves["ai_scored"].discard("expired")
    # A manager's decision on the AI report may be changed, with a reason (app/interview/decision_changes.py).
    moves["second_round"].add(ON_HOLD)
    moves["rejected"] |= {"second_round", ON_HOLD}
    return {stage: frozenset(targets) for stage, targets in moves.items()}


LEGAL_MOVES = _legal_moves()


class IllegalTransition(Conflict):
    code = "illegal_transition"


def can_move(from_stage, to_stage):
    return to_stage in LEGAL_MOVES.get(from_stage, ())


def advance_stage(application_id, to_stage, *, actor, source, reason="", candidate_message="", follow_up=True):
    """Move an application to `to_stage`; return the StageEvent, or None when it is already there. `reason` is for
    staff; `candidate_message`, what HR wrote for the candidate (their stage notice carries it). `follow_up`:
    enqueue the stage's follow-ups after the commit (the deletion's withdrawal runs none)."""
    if to_stage not in LEGAL_MOVES:
        raise IllegalTransition(f"未知阶段 Unknown stage: {to_stage}")
    with transaction():
        app = found(Application.get_or_none(Application.id == application_id),
                    "找不到该应聘记录 Application not found", code="application_not_found")
        if app.stage == to_stage:
            return None
        if not can_move(app.stage, to_stage):
            raise IllegalTransition(
                f"不能从「{STAGE_LABELS[app.stage]}」转到「{STAGE_LABELS[to_stage]}」 "
                f"Cannot move from {app.stage} to {to_stage}",
                from_stage=app.stage, to_stage=to_stage)
        # A conditional update, not read-then-write: two racing movers cannot both win.
        changed = (Application.update(stage=to_stage, updated_at=utcnow())
                   .where((Application.id == app.id) & (Application.stage == app.stage)).execute())
        if not changed:
            current = Application.get_by_id(app.id).stage
            if current == to_stage:
                return None
            raise IllegalTransition(f"阶段已被他人修改 Stage changed concurrently to {current}",
                                    from_stage=current, to_stage=to_stage)
        event = StageEvent.create(application=app, from_stage=app.stage, to_stage=to_stage, actor=actor,
                                  source=source, reason=reason, candidate_message=candidate_message[:500])
        if follow_up and follow_ups.has_follow_ups(to_stage):
            after_commit(lambda: follow_ups.enqueue_follow_ups(event))
    log.info("application %s: %s -> %s by %s (%s)", application_id, event.from_stage, to_stage, actor, source)
    return event


def history(application_id):
    """The audit trail of one application, oldest first."""
    return list(StageEvent.select().where(StageEvent.application == application_id)
                .order_by(StageEvent.created_at, StageEvent.id))


def last_change(application_id):
    """The application's newest StageEvent, the move to its stage (None before any move)."""
    return (StageEvent.select().where(StageEvent.application == application_id)
            .order_by(StageEvent.created_at.desc(), StageEvent.id.desc()).first())

"""Audited process steps that are not stage changes, and the application's timeline (stages and steps)."""
from app.core.base import utcnow
from app.core.errors import BadRequest
from app.core.models import StageEvent
from app.core.pipeline import SOURCE_LABELS, STAGE_LABELS
from app.process.models import ItemStatus, ProcessEvent
from app.screening.intake import CHANNELS
from app.screening.models import Intake

KIND_LABELS = {
    "round_opened": "安排复试", "slot_offered": "提供面试时间", "slot_removed": "撤回面试时间",
    "booked": "候选人选定时间", "booking_cancelled": "取消预约", "declined": "候选人婉拒复试",
    "other_time": "候选人希望换时间", "calendar_synced": "企业微信日程已建", "calendar_moved": "企业微信日程已改时间",
    "calendar_failed": "企业微信日程失败",
    "scorecard": "提交评分表", "scorecards_complete": "评分表已全部提交", "round_hold": "复试后待定",
    "offer_created": "Offer 已填写", "offer_sent": "Offer 已发出", "offer_accepted": "候选人接受 Offer",
    "offer_declined": "候选人拒绝 Offer", "offer_expired": "Offer 已过期", "offer_withdrawn": "HR 撤回 Offer",
    "reminder": "提醒",
    "account_created": "已创建企业微信账号", "account_failed": "创建企业微信账号失败",
    "check_started": "背景调查已开始", "check_consent": "候选人授权背景调查", "check_item": "背景调查核验项",
    "check_verifying": "材料已齐,HR 核实中", "check_collecting": "候选人重新提交,等其余材料",
    "check_passed": "背景调查通过", "check_problem": "背景调查发现问题",
    "check_waived": "HR 决定继续", "check_failed": "背景调查未通过", "onboarding_item": "入职清单",
    "approval_revoked": "录用审批通过后被撤销",
    # The AI interview's identity lock (app/interview/identity_lock.py), recorded by the staff page.
    "identity_unlocked": "HR 解锁身份核验", "reinvited": "HR 重新邀请 AI 面试",
}


def record(application_id, kind, actor, detail=""):
    return ProcessEvent.create(application=application_id, kind=kind, actor=actor, detail=detail[:2000])


def timeline(application_id, hidden_details=()):
    """The application coming in, its stage changes and process steps, oldest first:
    [{at, label, actor, detail, stage}]; the steps of a kind in `hidden_details` without their detail (a blind
    panel member's page: that a scorecard came in, not its recommendation)."""
    items = [{"at": e.created_at, "label": f"{STAGE_LABELS.get(e.from_stage, e.from_stage)} → "
                                           f"{STAGE_LABELS.get(e.to_stage, e.to_stage)}",
              "actor": e.actor, "detail": " · ".join(x for x in (SOURCE_LABELS.get(e.source, e.source), e.reason)
                                                      if x), "stage": True}
             for e in StageEvent.select().where(StageEvent.application == application_id)]
    items += [{"at": e.created_at, "label": KIND_LABELS.get(e.kind, e.kind), "actor": e.actor,
               "detail": "" if e.kind in hidden_details else e.detail, "stage": False}
              for e in ProcessEvent.select().where(ProcessEvent.application == application_id)]
    came_in = Intake.get_or_none(Intake.application == application_id)
    if came_in is not None:  # an application that came in through a posting starts there (no stage event)
        items.append({"at": came_in.created_at, "label": "投递", "actor": "候选人",
                      "detail": CHANNELS.get(came_in.channel, came_in.channel), "stage": True})
    return sorted(items, key=lambda i: i["at"])


def review_item(application_id, item, actor, ok, note, *, kind, problem_word, ask):
    """HR's review of a check or checklist item the candidate submitted (the caller checked it is HR's and
    submitted): verified, or a problem with a note (`ask` when there is none), written on the item and audited as
    `kind` ("<label>:已核实" or "<label>:<problem_word> <note>"). Call inside a transaction; returns the note."""
    note = (note or "").strip()[:500]
    if not ok and not note:
        raise BadRequest(ask, code="note_required")
    type(item).update(status=ItemStatus.VERIFIED if ok else ItemStatus.PROBLEM, note=note, verified_by=actor,
                      updated_at=utcnow()).where(type(item).id == item.id).execute()
    record(application_id, kind, actor, f"{item.label}:{'已核实' if ok else problem_word + ' ' + note}")
    return note

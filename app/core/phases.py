"""What a candidate reads about where they are: plain words, no internal stages (ai_scored, on_hold ...).

This module owns the candidate's words for the pipeline: the status page, the stage notices in the conversation
and the data export read it. Staff pages keep pipeline.STAGE_LABELS.
"""
import dataclasses
import datetime as dt
from dataclasses import dataclass

# The steps a candidate sees, in order (the status page's progress bar).
STEPS = ("投递", "AI面试", "评估", "复试", "录用")


@dataclass(frozen=True)
class Phase:
    key: str
    step: int          # index into STEPS
    title: str         # where they are, in plain words
    next_step: str     # what happens next
    final: bool = False
    days: int = 0      # "by when": working days from the stage change (0 = no promise)
    tone: str = "info"  # info / success / closed


_EVALUATING = Phase("evaluating", 2, "面试已提交,正在评估",
                    "用人部门会认真看你的每一个回答,结果出来后会在这里通知你。", days=5)

PHASES = {
    "applied": Phase("applied", 0, "已收到你的申请", "HR 会查看你的资料,合适的话会邀请你参加 AI 面试。", days=5),
    "screened": Phase("screened", 0, "你的资料已通过初步查看", "HR 会尽快邀请你参加 AI 面试。", days=3),
    "ai_invited": Phase("ai_invited", 1, "等待你完成 AI 面试", "请在链接有效期内打开面试链接完成作答。"),
    "ai_in_progress": Phase("ai_in_progress", 1, "AI 面试进行中", "继续完成剩余题目即可,已完成的回答不会丢失。"),
    "ai_completed": _EVALUATING,
    "ai_scored": _EVALUATING,
    "on_hold": _EVALUATING,
    "offer_approval": Phase("deciding", 3, "正在做最终决定", "公司正在走内部流程,有结果会第一时间通知你。", days=5),
    "second_round": Phase("second_round", 3, "恭喜,你已进入复试",
                          "HR 安排好复试后,可选的时间、约好的时间和面试方式会显示在下方「复试」里,并在本页通知你。",
                          days=3, tone="success"),
    # One wording for a check under way and one passed (the process section beside it says which): 「背景调查中」
    # read wrong beside 「背景调查 · 已通过」 while HR prepared the offer (not 「背景调查阶段」: the stage
    # notice in the messages reads 「进入背景调查阶段」).
    "background_check": Phase("background_check", 3, "背景调查与录用决定",
                              "我们会核实你的履历信息,可能需要你配合提供材料;核实完成后,公司会做最终的录用决定。",
                              days=7),
    "offer_sent": Phase("offer_sent", 4, "录用通知已发出", "请查看录用通知并回复是否接受。", tone="success"),
    "onboarding": Phase("onboarding", 4, "入职准备中", "请按入职清单准备材料,HR 会协助你办理。", tone="success"),
    "hired": Phase("hired", 4, "欢迎加入!", "入职手续已完成。", final=True, tone="success"),
    "rejected": Phase("rejected", 2, "本次招聘流程已结束",
                      "感谢你投入时间参加面试。很遗憾这次未能继续推进,这不是对你能力的否定。"
                      "如果 HR 给你留了反馈,会显示在下方消息中;"
                      "你的资料会按隐私政策保存,今后有合适的岗位我们会再联系你。",
                      final=True, tone="closed"),
    "withdrawn": Phase("withdrawn", 0, "你已撤回申请", "感谢你的关注,欢迎今后再来应聘。", final=True, tone="closed"),
    "expired": Phase("expired", 1, "面试邀请已过期", "如果你仍有意向,请在下方给 HR 留言,我们会重新发送邀请。",
                     tone="closed"),
}

# The system closes an application as withdrawn only when its offer went unanswered past the reply-by date
# (app/process/offers.expire_due): the candidate did not withdraw, and must not read that they did.
OFFER_LAPSED = Phase("offer_lapsed", 4, "录用通知已过期",
                     "录用通知在答复期限内没有收到你的答复,本次流程已结束。如有疑问,请在下方给 HR 留言。",
                     final=True, tone="closed")
# HR withdrew an offer the candidate had (app/process/offer_withdrawal.py: offer_sent -> background_check): the
# candidate is still in the process, not back at a background check. It promises no corrected offer: only HR's
# words, when HR let them be told (the stage event's candidate_message), may say one is coming.
OFFER_WITHDRAWN = Phase("offer_withdrawn", 3, "录用通知已被公司撤回",
                        "公司撤回了之前发出的录用通知,你的应聘仍在进行中。HR 会在下方消息中与你联系后续安排。")
OFFER_WITHDRAWN_TOLD = ("公司撤回了之前发出的录用通知,你的应聘仍在进行中。{hr}「{message}」"
                        "HR 会在下方消息中与你联系后续安排。")
OFFER_LAPSED_NOTICE = "你「{job}」的录用通知已过答复期限,本次流程已结束。如有疑问,可在这里给 HR 留言。"

# System notices posted into the conversation when the application reaches these stages (the follow-up table
# enqueues POST_STAGE_NOTICE for them). Internal moves (ai_scored, on_hold, offer_approval) post nothing.
NOTICES = {
    "ai_invited": "你收到了「{job}」的 AI 面试邀请,请在 {expires} 前完成。",
    "ai_completed": "你的 AI 面试回答已全部提交,感谢参加。评估结果出来后会在这里通知你。",
    "second_round": "好消息:你已通过 AI 面试评估,进入复试。可选的复试时间发出后,会在这里通知你。",
    "background_check": "你的应聘进入背景调查阶段,如需材料 HR 会在这里联系你。",
    "offer_sent": "录用通知已发出,请留意查收。",
    "hired": "欢迎加入{company}!",
    "rejected": "感谢你应聘「{job}」。经过认真评估,这次很遗憾未能进入下一轮。祝你求职顺利。",
    "withdrawn": "你已撤回「{job}」的申请。",
    "expired": "你的 AI 面试邀请已过期。如仍有意向,可在这里给 HR 留言。",
}
HR_MESSAGE = "HR 的说明:"


def phase_for(stage, event=None):
    """The Phase a candidate sees for an internal stage (unknown stages read as being evaluated). `event`, the
    StageEvent that moved the application to `stage`, tells a lapsed offer from a candidate's own withdrawal, an
    offer HR withdrew (with HR's words when HR let the candidate read them) or cancelled in its approval (or whose
    approval was refused: on hold) from a background check, and how far a rejected candidate got (the progress
    bar stops at the step they were rejected at, 评估 at the earliest). An event that did not move it to `stage`
    says nothing of it."""
    if event is not None and event.to_stage != stage:
        event = None
    if event is not None and stage == "withdrawn" and event.actor == "system":
        return OFFER_LAPSED
    if event is not None and stage == "background_check" and event.from_stage == "offer_sent":
        message = event.candidate_message.strip()
        return dataclasses.replace(OFFER_WITHDRAWN, next_step=OFFER_WITHDRAWN_TOLD.format(
            hr=HR_MESSAGE, message=message)) if message else OFFER_WITHDRAWN
    if event is not None and stage in ("background_check", "on_hold") and event.from_stage == "offer_approval":
        # HR cancelled an offer that awaited its approval, or the approval was refused (on hold): the candidate
        # never saw the offer, and reads what they read while it awaited the approval (the company is deciding),
        # not a background check that is over nor an interview being evaluated.
        return PHASES["offer_approval"]
    phase = PHASES.get(stage, _EVALUATING)
    if event is not None and stage == "rejected" and event.from_stage in PHASES:
        return dataclasses.replace(phase, step=max(phase.step, PHASES[event.from_stage].step))
    return phase


def applicant_title(stage):
    """Where an applicant stands before any interview, for their page (/p/applied): HR holding them at screening
    (on_hold) still means their application is being looked at, not that an interview is being evaluated."""
    return PHASES["applied" if stage == "on_hold" else stage].title if stage in PHASES else _EVALUATING.title


def add_working_days(start, days):
    """`start` plus `days` working days (Monday to Friday; public holidays are not known here)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def notice_text(stage, *, job, company, expires="", actor="", message=""):
    """The notice for reaching `stage` (`actor`: who moved it), or None when the candidate is not told about it.
    `message`: what HR wrote for the candidate with the move (StageEvent.candidate_message), quoted under it; a
    reason HR wrote for staff is never passed here."""
    template = OFFER_LAPSED_NOTICE if stage == "withdrawn" and actor == "system" else NOTICES.get(stage)
    if not template:
        return None
    text = template.format(job=job, company=company, expires=expires)
    return f"{text}\n{HR_MESSAGE}{message.strip()}" if message.strip() else text

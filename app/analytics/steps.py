"""The ten funnel steps the dashboard counts, and which pipeline stage reaches which step.

A candidacy "reached" a step when any of its stage events went to a stage at or beyond it on the main line
(app/core/pipeline.MAIN_LINE), so HR inviting straight from 已投递 counts as passing the screening.
"""
from app.core.pipeline import CLOSED

# (key, label, what "not passing" this step is called in a flag sentence)
STEPS = [
    ("applied", "已投递", "简历筛选淘汰率"),
    ("screened", "简历通过", "未发AI面试邀请率"),
    ("ai_invited", "已邀请AI面试", "未开始AI面试率"),
    ("started", "开始AI面试", "AI面试中途放弃率"),
    ("completed", "完成AI面试", "未出AI报告率"),
    ("scored", "AI评分", "AI面试淘汰率"),
    ("second_round", "复试", "复试淘汰率"),
    ("offer", "发Offer", "Offer被拒率"),
    ("accepted", "接受Offer", "未入职率"),
    ("hired", "入职", ""),
]
STEP_KEYS = [key for key, _, _ in STEPS]
STEP_LABELS = [label for _, label, _ in STEPS]
HIRED = len(STEPS) - 1
SCORED = STEP_KEYS.index("scored")
OFFER = STEP_KEYS.index("offer")

STAGE_STEP = {
    "applied": 0, "screened": 1, "ai_invited": 2, "ai_in_progress": 3, "ai_completed": 4, "ai_scored": 5,
    "second_round": 6, "background_check": 6, "offer_approval": 6, "offer_sent": 7, "onboarding": 8, "hired": 9,
}


def is_closed(stage):
    return stage in CLOSED

"""The hiring manager's decision on an AI report: the one list of options and when they may be taken.

The result card, the report page and the application page all read this module, so they always offer the same
buttons with the same words. A decision's key is the stage it moves the application to.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    key: str         # the target stage
    label: str       # the button's text
    done_label: str  # what the card's greyed-out button says afterwards (then "· who")
    card_style: int  # WeCom template_card button style (1 blue, 2 grey, 3 red)
    web_style: str   # WeUI button class: weui-btn_<web_style>


DECISIONS = (
    Decision("second_round", "进入复试", "已进入复试", 1, "primary"),
    Decision("on_hold", "待定", "已设为待定", 2, "default"),
    Decision("rejected", "淘汰", "已淘汰", 3, "warn"),
)
BY_KEY = {d.key: d for d in DECISIONS}
# The stages at which a manager decides on the AI report: right after it, or after putting it on hold.
DECIDABLE_STAGES = frozenset({"ai_scored", "on_hold"})
# After 进入复试 or 淘汰 the decision can still be changed, with a reason (app/interview/decision_changes.py):
# by HR at any time, by the manager who made it within DECISION_CHANGE_MINUTES.
CHANGEABLE_STAGES = frozenset({"second_round", "rejected"})
DEFAULT_CHANGE_MINUTES = 30
# 淘汰 from a staff page needs a confirmation (the WeCom card cannot ask; its tap is final until changed).
CONFIRM = frozenset({"rejected"})


def get(key):
    """The Decision for `key`, or None."""
    return BY_KEY.get(key)


def can_decide(stage):
    """Whether a manager may decide on the AI report of an application at `stage`."""
    return stage in DECIDABLE_STAGES


def options(stage):
    """The decisions offered at `stage`, each with whether it is the current state: [(Decision, current)]."""
    if not can_decide(stage):
        return []
    return [(d, d.key == stage) for d in DECISIONS]

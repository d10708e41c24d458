"""The hiring manager's decision after the second round: the one list of options (app/services/decision_options
is the AI-report decision; this one is separate). pass moves to background_check; reject to rejected; hold keeps
the application at second_round and is an audited step (the pipeline's on_hold belongs to the AI report)."""
from dataclasses import dataclass

from app.core import pipeline, staff
from app.core.errors import BadRequest, Conflict, found
from app.core.models import Application
from app.core.tx import transaction
from app.process import audit
from app.process.models import Round, Scorecard


@dataclass(frozen=True)
class RoundDecision:
    key: str
    label: str
    target: str | None  # the stage it moves to; None: no stage change
    web_style: str      # b1 / b2 / b3 of the staff pages


DECISIONS = (
    RoundDecision("pass", "通过,进入背调", "background_check", "b1"),
    RoundDecision("hold", "待定", None, "b2"),
    RoundDecision("reject", "不通过", "rejected", "b3"),
)
BY_KEY = {d.key: d for d in DECISIONS}
STAGE = "second_round"


def get(key):
    return BY_KEY.get(key)


def can_decide(application):
    """A decision needs the application at second_round and at least one submitted scorecard."""
    round_ = Round.get_or_none(Round.application == application.id)
    return bool(application.stage == STAGE and round_ is not None
                and Scorecard.select().where(Scorecard.round == round_.id).exists())


def decide(application_id, key, actor, reason=""):
    """Apply the decision; returns the StageEvent (pass / reject) or the ProcessEvent (hold)."""
    option = get(key)
    if option is None:
        raise BadRequest(f"未知决定 Unknown decision {key!r}", code="bad_decision")
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    staff.require_manager(actor, application.job_id, "做复试决定")
    if not can_decide(application):
        raise Conflict("复试评分表提交后才能做决定 Decide once a scorecard is in", code="not_decidable")
    detail = f"{option.label}" + (f":{reason.strip()[:500]}" if reason and reason.strip() else "")
    with transaction():
        if option.target is None:
            return audit.record(application_id, "round_hold", actor, detail)
        return pipeline.advance_stage(application_id, option.target, actor=actor, source="web",
                                      reason=f"复试决定 {detail}")

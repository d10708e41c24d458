"""What the candidate reads after their offer's WeCom approval ends without an offer: still 正在做最终决定, at 复试's
step, never back at 评估 (they never saw the offer)."""
from app.core import phases
from app.core.models import StageEvent


def _moved(from_stage, to_stage):
    return StageEvent(from_stage=from_stage, to_stage=to_stage, actor="approval", source="approval",
                      candidate_message="")


def test_a_refused_approval_reads_as_the_company_deciding_not_as_evaluating():
    deciding = phases.PHASES["offer_approval"]
    assert phases.phase_for("on_hold", _moved("offer_approval", "on_hold")) == deciding
    assert phases.phase_for("background_check", _moved("offer_approval", "background_check")) == deciding
    # HR holding a candidate after the AI interview still reads as being evaluated.
    assert phases.phase_for("on_hold", _moved("ai_scored", "on_hold")).title == "面试已提交,正在评估"
    assert phases.phase_for("on_hold").step == 2

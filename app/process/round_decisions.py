"""The hiring manager's decision after the second round, on the staff pages or with one tap on a WeCom card: the
one list of options (app/interview/decision_options is the AI-report decision; this one is separate). pass moves
to background_check; reject to rejected; hold keeps the application at second_round and is an audited step (the
pipeline's on_hold belongs to the AI report).

Once every scorecard is in, the job's managers (HR when the job has none) get a card with each interviewer's
recommendation and the three buttons. A tap decides as the page does; the card's buttons then grey out naming
who decided, and a decision taken on the page greys the card too."""
from dataclasses import dataclass

from app.core import jobs, links, pipeline, staff
from app.core.errors import AppError, BadRequest, Conflict, found
from app.core.jobs import JobSpec
from app.core.models import Application, EventStatus, StageEvent
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview import result_cards
from app.interview.refused_taps import ANSWER_REFUSED_TAP
from app.interview.reports import latest_report, total_text
from app.process import audit
from app.process.models import RECOMMENDATIONS, ProcessEvent, Round, Scorecard
from app.wecom import users
from app.wecom.cards import MAX_HORIZONTAL, button_card, decision_key, parse_decision_key


@dataclass(frozen=True)
class RoundDecision:
    key: str
    label: str
    target: str | None  # the stage it moves to; None: no stage change
    web_style: str      # b1 / b2 / b3 of the staff pages
    card_label: str     # the card's button (also what it shows greyed out: "通过 · 张伟")
    card_style: int     # WeCom template_card button style (1 blue, 2 grey, 3 red)


DECISIONS = (
    RoundDecision("pass", "通过,进入背调", "background_check", "b1", "通过", 1),
    RoundDecision("hold", "待定", None, "b2", "待定", 2),
    RoundDecision("reject", "不通过", "rejected", "b3", "不通过", 3),
)
BY_KEY = {d.key: d for d in DECISIONS}
STAGE = "second_round"
CARD_KEY = "r"   # the kind in this card's button keys (app/wecom/cards.decision_key; "d": the AI result card)


def get(key):
    return BY_KEY.get(key)


def can_decide(application):
    """A decision needs the application at second_round and at least one submitted scorecard."""
    round_ = Round.get_or_none(Round.application == application.id)
    return bool(application.stage == STAGE and round_ is not None
                and Scorecard.select().where(Scorecard.round == round_.id).exists())


def decide(application_id, key, actor, reason="", *, source="web", response_code=None):
    """Apply the decision; returns the StageEvent (pass / reject) or the ProcessEvent (hold), None for a card's tap
    repeating the card's decision (Conflict for a tap racing another decision on it). The round's card, if
    one went out, is marked with it and greyed out after commit (`response_code`: the tap's, when on the card)."""
    option = get(key)
    if option is None:
        raise BadRequest(f"未知决定 Unknown decision {key!r}", code="bad_decision")
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    member = staff.require_manager(actor, application.job_id, "做复试决定")
    if application.stage != STAGE:   # decided already (on another phone, on the page) or closed
        now = pipeline.STAGE_LABELS.get(application.stage, application.stage)
        raise Conflict(f"该应聘已不在复试阶段(现为「{now}」),不能再做复试决定 "
                       f"The application has moved on to {application.stage}", code="stage_moved")
    if not can_decide(application):
        raise Conflict("复试评分表提交后才能做决定 Decide once a scorecard is in", code="not_decidable")
    detail = f"{option.label}" + (f":{reason.strip()[:500]}" if reason and reason.strip() else "")
    with transaction():
        if source == "card" and _decided_on_card(application_id, key):
            return None  # the same tap again (a second tap before the card greyed out): no second hold or move
        if option.target is None:
            event = audit.record(application_id, "round_hold", actor, detail)
        else:
            event = pipeline.advance_stage(application_id, option.target, actor=actor, source=source,
                                           reason=f"复试决定 {detail}")
        _mark_card(application_id, key, actor, member.name or users.display_name(actor), response_code,
                   event.created_at if event else None)
        return event


def decided_note(application_id):
    """The latest second-round decision as the round page states it: {"label", "who", "when", "source"} (source ""
    for a hold, which moves no stage), or None before any."""
    targets = {d.target: d for d in DECISIONS if d.target}
    move = (StageEvent.select().where((StageEvent.application == application_id) & (StageEvent.from_stage == STAGE)
                                      & StageEvent.to_stage.in_(list(targets)))
            .order_by(StageEvent.created_at.desc(), StageEvent.id.desc()).first())
    hold = (ProcessEvent.select().where((ProcessEvent.application == application_id)
                                        & (ProcessEvent.kind == "round_hold"))
            .order_by(ProcessEvent.created_at.desc(), ProcessEvent.id.desc()).first())
    latest = max((e for e in (move, hold) if e is not None), key=lambda e: e.created_at, default=None)
    if latest is None:
        return None
    return result_cards.decided_note((targets[move.to_stage] if latest is move else BY_KEY["hold"]).label, latest)


# -- the WeCom card ------------------------------------------------------------------------------------------
def card_key(round_id):
    """Which card the round's decision card is (CardMessage.card_key, UNIQUE): one per round, so it goes out at
    most once (its WeCom task_id is new per send: result_cards.send_once)."""
    return f"round-decision-{round_id}"


def build_card(round_):
    """The card: the AI total, each interviewer's recommendation, the three decisions; a tap on the card itself
    opens the round's page (scorecards side by side with the AI scores)."""
    application = round_.application
    report = latest_report(application.id)
    votes = [(users.display_name(c.interviewer), RECOMMENDATIONS.get(c.recommendation, c.recommendation))
             for c in Scorecard.select().where(Scorecard.round == round_.id).order_by(Scorecard.submitted_at)]
    horizontal = ([("AI总分", total_text(report.total))] if report else []) + votes
    return button_card(
        task_id=card_key(round_.id), title=f"复试决定:{application.candidate.name}", desc=application.job.title,
        sub_title=f"评分表已全部提交({len(votes)} 份)。点卡片查看各维度评分与 AI 评分对比",
        horizontal=horizontal[:MAX_HORIZONTAL], url=links.absolute(f"/m/rounds/{round_.id}"), source="复试",
        buttons=[(d.card_label, decision_key(CARD_KEY, application.id, d.key), d.card_style) for d in DECISIONS])


def push_card(round_id):
    """Send the round's decision card to the job's managers once every scorecard is in; return the CardMessage,
    or None when the application has moved on already (decided on the page before the job ran)."""
    round_ = Round.get_or_none(Round.id == round_id)
    if round_ is None or round_.application.stage != STAGE:
        return None
    application = round_.application
    return result_cards.send_once(card_key(round_id), application, "round", result_cards.recipients(application),
                                  build_card(round_))


def _decided_on_card(application_id, key):
    """Whether the round's card already carries `key`; Conflict when it carries another decision: a tap that raced
    the first one (WeCom greys the buttons once the card is updated), so its tapper decided on what is no longer
    there. A later change is made on the page."""
    round_ = Round.get_or_none(Round.application == application_id)
    card = result_cards.card_of(card_key(round_.id)) if round_ else None
    if card is None or not card.decision:
        return False
    result_cards.refuse_raced_tap(card.decision, key)
    return True


def _mark_card(application_id, key, actor, name, response_code, at):
    """Inside the decision's transaction: write the decision on the round's card with its moment `at` (the time of
    the event it made) and grey it out after commit."""
    round_ = Round.get_or_none(Round.application == application_id)
    card = result_cards.card_of(card_key(round_.id)) if round_ else None
    if card is None or card.decision:
        return
    result_cards.mark_decided(card, key, actor, name, response_code, at)
    jobs.enqueue_after_commit(result_cards.UPDATE_DECISION_CARD, card.id, key)


def handle_card_event(event):
    """A tap on a round card (a template_card_event WeComEvent): decide, or say why not."""
    message = event.payload["message"]
    application_id, key = parse_decision_key(message.get("EventKey"), CARD_KEY, BY_KEY)
    try:
        result = decide(application_id, key, event.from_user, source="card",
                        response_code=message.get("ResponseCode"))
    except AppError as exc:
        # The tapper's card greys out with where things stand and they are told why (app/interview/refused_taps).
        jobs.enqueue(ANSWER_REFUSED_TAP, event.id, exc.code, application_id, BY_KEY[key].card_label)
        return EventStatus.REFUSED, f"{exc.code}: {exc.message}"
    if result is None:
        return EventStatus.HANDLED, "no change (already decided)"
    return EventStatus.HANDLED, f"{type(result).__name__.lower()} {result.id}"


PUSH_ROUND_CARD = JobSpec(push_card, FAST, "round-card-{0}")

"""A decision card's tap the app refused (decided on another phone or on the page, the application closed, a member
who may not decide): the tapper's own card greys out showing where things stand (with the tap's response code, so
the card stops offering buttons that no longer work), and the tapper is told who decided what and when.

Both decision cards use it: the AI result card (app/interview/decisions) and the second round's
(app/process/round_decisions)."""
import logging

from app.core import links, pipeline, synthetic
from app.core.jobs import JobSpec
from app.core.models import Application, StageEvent, WeComEvent
from app.core.queues import FAST
from app.interview import decision_options
from app.interview.models import CardMessage
from app.interview.result_cards import ERASED_LABEL, replace_name, who_and_when, with_name
from app.wecom import WeComError, WeComRetryableError
from app.wecom.cards import grey_card
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)

NOT_ALLOWED_LABEL = "无权决定"
# Refusals that say nothing about the application: the tapper may not decide, or the card's button is unknown.
NOT_ALLOWED = "not_job_manager"


def _latest_move(application):
    return (StageEvent.select().where(StageEvent.application == application.id)
            .order_by(StageEvent.created_at.desc(), StageEvent.id.desc()).first())


def where_it_stands(application, card):
    """(the greyed-out button text, the sentence saying who decided what and when) for a refused tap."""
    if card is not None and card.decision and decision_options.get(card.decision) is None \
            and card.decision not in pipeline.STAGE_LABELS:
        # A decision that moves no stage (the second round's 待定): the card row says who and when.
        who, when = who_and_when(card.decided_by, card.decided_at, card.decided_by_name)
        label = replace_name(card.decision, who, card.card)
        return label, f"{who} 已于 {when}选择「{label.split(' · ')[0]}」"
    move = _latest_move(application)
    stage = application.stage
    option = decision_options.get(stage)
    what = pipeline.STAGE_LABELS[stage]
    if move is None:
        return what[:10], f"当前为「{what}」"
    who, when = who_and_when(move.actor, move.created_at, source=move.source)
    staff_move = move.actor not in pipeline.ACTOR_LABELS
    if card is not None and card.decision and card.decided_by_name:
        label = replace_name(card.decision, card.decided_by_name, card.card)
    else:
        label = with_name(option.done_label if option else what, who) if staff_move else what
    said = f"{who} 已于 {when}定为「{what}」" if staff_move else f"该应聘已于 {when}变为「{what}」"
    return label[:10], said


def answer_refused_tap(event_id, code, application_id, tapped):
    """Grey the tapper's card out with where things stand and tell them why their tap `tapped` did nothing.
    Returns the greyed-out text ("" when the card could not be greyed)."""
    event = WeComEvent.get_or_none(WeComEvent.id == event_id)
    if event is None or synthetic.is_synthetic(application_id):
        return ""
    message = event.payload.get("message") or {}
    userid, task_id, code_ = event.from_user, message.get("TaskId") or "", message.get("ResponseCode") or ""
    application = Application.get_or_none(Application.id == application_id)
    card = CardMessage.get_or_none(CardMessage.task_id == task_id) if task_id else None
    if code == NOT_ALLOWED:
        label, why = NOT_ALLOWED_LABEL, "只有HR或该岗位的用人经理可以做这个决定"
    elif application is None:
        label, why = ERASED_LABEL, "该应聘记录已不存在"
    else:
        label, why = where_it_stands(application, card)
    greyed = _grey(userid, task_id, code_, label, card.card if card else None, why)
    subject = (f"**{plain(application.candidate.name)}** · {plain(application.job.title)}" if application
               else "一张决定卡片")
    link = f"\n[查看应聘记录]({links.application_url(application.id)})" if application and code != NOT_ALLOWED else ""
    send_markdown([userid], f"{subject}\n> 你在卡片上选择的「{plain(tapped)}」未生效。{why}。{link}")
    return greyed


def _grey(userid, task_id, response_code, label, card, why):
    """The tapper's card greyed out with `label`, and `why` (who decided what and when) quoted on it when the card
    as sent is known (the greyed button has no room for the time)."""
    if not response_code:
        return ""
    try:
        grey_card([userid], response_code, label, card, why)
    except WeComRetryableError:
        raise
    except WeComError as exc:
        # The tap's code was used by an earlier run of this job, or expired: the message still tells them.
        log.info("refused tap on card %s: not greyed (%s)", task_id, exc)
        return ""
    return label


ANSWER_REFUSED_TAP = JobSpec(answer_refused_tap, FAST, "refused-tap-{0}")

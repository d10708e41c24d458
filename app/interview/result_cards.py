"""The AI result card: build it, send it once to the job's managers, grey its buttons out after a decision."""
import datetime as dt
import logging
import secrets

from peewee import IntegrityError

from app.core import links, staff, synthetic
from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, found
from app.core.jobs import JobSpec
from app.core.localtime import local_time, zone_short
from app.core.models import Application, StageEvent
from app.core.pipeline import SOURCE_LABELS, STAGE_LABELS
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview import decision_options
from app.interview.models import CardMessage, CardStatus, Report
from app.interview.reports import card_summary, latest_report, one_decimal, total_text
from app.wecom import WeComError, WeComRetryableError
from app.wecom.cards import (
    MAX_HORIZONTAL,
    REPLACE_MAX,
    button_card,
    decision_key,
    grey_card,
    parse_decision_key,
    send_template_card,
    update_card_button,
)
from app.wecom.users import actor_name

log = logging.getLogger(__name__)

# WeCom's errcode for a refused parameter, a task_id its app has seen before among them: sent again with a new one.
TASK_ID_USED = 40058
SEND_TRIES = 3
# A send in progress longer than this died with its worker (the WeCom client's timeouts bound a live send to
# well under it), so the sweep may claim the card again: a killed worker's card goes out within about a minute.
SENDING_STALE = dt.timedelta(seconds=40)
CARD_KEY = "d"   # the kind in this card's button keys (app/wecom/cards.decision_key)


def _stale():
    return CardMessage.updated_at < utcnow() - SENDING_STALE


def unsent_result_cards():
    """Report ids of applications at ai_scored whose result card was never sent, failed transiently or went stale
    (the synthetic demo data's are never sent: app/core/synthetic.py)."""

    ids = []
    for application in Application.select(Application.id).where(
            (Application.stage == "ai_scored") & Application.job.not_in(synthetic.synthetic_jobs())):
        if needs_send(card_of(result_card_key(application.id))):
            report = latest_report(application.id)
            if report is not None:
                ids.append(report.id)
    return ids


def needs_send(card):
    """Whether the sweep should (re)send a card: never recorded, failed transiently, or its send died with its
    worker (send_once claims it again then)."""
    return card is None or card.status == CardStatus.RETRY or (
        card.status == CardStatus.SENDING and card.updated_at < utcnow() - SENDING_STALE)


def mark_decided(card, decision, actor, name, response_code=None, at=None):
    """Write a decision on its card (inside the decision's transaction) with its moment `at` (the time of the event
    the decision made; now when it made none); UPDATE_DECISION_CARD greys it out. A tap's response code replaces the
    send's: each works once."""
    now = utcnow()
    fields = {"decision": decision, "decided_by": actor, "decided_by_name": name, "decided_at": at or now,
              "updated_at": now}
    if card.status != CardStatus.UPDATED:
        fields["status"] = CardStatus.DECIDED
    if response_code:
        fields.update(response_code=response_code, response_code_used=False)
    CardMessage.update(**fields).where(CardMessage.id == card.id).execute()


def refuse_raced_tap(card_decision, decision):
    """A tap on a card that already carries another decision (made on another phone, or on the page while the tap
    was on its way) is not a decision on what its tapper saw: Conflict. WeCom greys a card's buttons once it is
    updated, so such a tap raced the first one (or the card's update failed); a later change is made on the page."""
    if card_decision and card_decision != decision:
        raise Conflict("卡片上的决定已由他人做出 The card was decided already", code="already_decided")


def who_and_when(actor, at, name="", source=""):
    """Who decided and when, as every decided card, refused tap and page says it: (`name` or the actor's name,
    "12-07 14:05(北京时间)" in local time, or with where when `source` is given: "12-07 14:05(北京时间,网页)")."""
    where = f",{SOURCE_LABELS.get(source, source)}" if source else ""
    return name or actor_name(actor), f"{local_time(at)}({zone_short()}{where})"


def decided_note(label, event):
    """A decision as the pages a card opens state it: {"label", "who", "when" (local time), "source"}; `event` is
    the StageEvent it made, or an audited step that moves no stage (its source is "")."""
    source = getattr(event, "source", "")
    who, when = who_and_when(event.actor, event.created_at)
    return {"label": label, "who": who, "when": when, "source": SOURCE_LABELS.get(source, source)}


def cards_awaiting_update(application_id=None):
    """(card id, decision) of decided cards whose buttons are not greyed out yet and can still be."""
    query = CardMessage.select(CardMessage.id, CardMessage.decision).where(
        (CardMessage.decision != "") & (CardMessage.status != CardStatus.UPDATED)
        & (CardMessage.response_code != "") & (CardMessage.response_code_used == False))  # noqa: E712
    if application_id is not None:
        query = query.where(CardMessage.application == application_id)
    return [(card.id, card.decision) for card in query]


def result_card_key(application_id):
    """Which card the application's result card is (CardMessage.card_key, UNIQUE): it exists at most once."""
    return f"ai-result-{application_id}"


def card_of(card_key):
    """The CardMessage of a card key, or None."""
    return CardMessage.get_or_none(CardMessage.card_key == card_key)


def task_id_of(card_key):
    """The WeCom task_id the card went out under ("" before it was recorded): what its taps carry."""
    card = card_of(card_key)
    return card.task_id if card else ""


def new_task_id(card_key):
    """A WeCom task_id for one send of the card: the key and a random part, since WeCom refuses a task_id its app
    has ever seen, whichever database sent it (a re-seeded demo, staging on the same agent, a restored backup)."""
    return f"{card_key[:110]}-{secrets.token_hex(6)}"


def button_key(application_id, decision):
    """A button's key: which application and which decision (parsed back by parse_button_key)."""
    return decision_key(CARD_KEY, application_id, decision)


def parse_button_key(key):
    """(application_id, decision) from a result card's button key; BadRequest for anything else."""
    return parse_decision_key(key, CARD_KEY, decision_options.BY_KEY)


def _words(decision, card):
    """(the decision's button text, what its greyed-out button says): an AI-report decision's label and done label,
    or on another decision card (the second round's) the text of the button that was pressed, twice."""
    option = decision_options.get(decision)
    if option:
        return option.label, option.done_label
    pressed = next((b.get("text") for b in (card or {}).get("button_list", [])
                    if str(b.get("key", "")).rsplit(":", 1)[-1] == decision), decision)
    return pressed, pressed


def replace_name(decision, name, card=None):
    """The greyed-out button text, e.g. "已进入复试 · 张伟" (WeCom allows 10 characters: no room for the time)."""
    return with_name(_words(decision, card)[1], name)


def with_name(label, name):
    """"label · name" in WeCom's REPLACE_MAX characters: the name cut to fit, or left out with its "·" when not one
    character of it fits (「已邀请AI面试 · 李娜」 was cut to 「已邀请AI面试 · 」)."""
    room = REPLACE_MAX - len(label) - len(" · ")
    return f"{label} · {name[:room]}" if name and room > 0 else label[:REPLACE_MAX]


def decided_line(row):
    """Who decided what on the card and when, in local time: "张伟 于 12-07 14:05(北京时间)决定「进入复试」" (the
    card row's decided_at is the decision's moment: written with it, and again when HR changes it; not its
    updated_at, which a send finishing after a decision made on the page writes later)."""
    who, when = who_and_when(row.decided_by, row.decided_at, row.decided_by_name)
    return f"{who} 于 {when}决定「{_words(row.decision, row.card)[0]}」"


def build_result_card(application, summary, task_id="", title_prefix="AI面试结果"):
    """The card: total with its band (无法评分 and why when no answer could be scored), dimensions in the job's
    order, the integrity line, the decision buttons."""

    total = total_text(summary["total"]) + (f" {summary['band']}" if summary.get("band") else "")
    dims = [(name, one_decimal(score)) for name, score in summary.get("dimensions", [])]
    horizontal = [("总分", total)] + dims[: MAX_HORIZONTAL - 1]
    flags = summary.get("flags") or []
    line = summary.get("integrity") or ("；".join(flags[:2]) if flags else "未发现异常")
    sub = f"⚠ {line}" if flags else line
    if summary.get("basis"):
        sub = f"{summary['basis']} · {sub}"
    return button_card(
        task_id=task_id or result_card_key(application.id), title=f"{title_prefix}:{application.candidate.name}",
        desc=application.job.title,
        sub_title=sub, horizontal=horizontal, url=summary.get("report_url"), source="AI面试",
        buttons=[(d.label, button_key(application.id, d.key), d.card_style) for d in decision_options.DECISIONS])


def recipients(application):
    """The job's managers; HR when a job has none (someone must decide)."""
    return list(application.job.manager_userids or []) or staff.hr_userids()


def push_result_card(report_id):
    """Send the report's result card to the job's managers once; return the CardMessage.

    Running it twice sends nothing the second time (the card_key row is UNIQUE).
    """

    report = found(Report.get_or_none(Report.id == report_id),
                   f"报告 {report_id} 不存在 Report not found", code="report_not_found")
    application = report.interview.application
    _retire_earlier_card(application.id, report)
    summary = card_summary(report, links.report_url(report.id))
    return send_once(result_card_key(application.id), application, "result", recipients(application),
                     build_result_card(application, summary))


def _retire_earlier_card(application_id, report):
    """A result card sent before this report was made is an earlier interview's (HR invited the candidate again
    after 待定): its row gives the card key up, so this report's card goes out; the old card keeps what it shows."""
    key = result_card_key(application_id)
    (CardMessage.update(card_key=f"{key}-before-{report.id}")
     .where((CardMessage.card_key == key) & (CardMessage.created_at < report.created_at)).execute())


def send_once(card_key, application, kind, userids, card):
    """Record the card under its UNIQUE card key with a new task id and send it; return the CardMessage. A card
    already sent, or being sent by a live run, is not sent again; one whose send failed transiently, or died with
    its worker, is. A synthetic demo application's card is not sent (None): nobody is behind it."""
    if synthetic.is_synthetic(application.id):
        log.info("card %s not sent: synthetic demo data", card_key)
        return None
    task_id = new_task_id(card_key)
    try:
        with transaction():
            row = CardMessage.create(card_key=card_key, task_id=task_id, application=application, kind=kind,
                                     userids=userids, card={**card, "task_id": task_id}, status=CardStatus.SENDING)
    except IntegrityError:
        row = card_of(card_key)
        # A send that failed transiently is retried; "sending" means another run owns it, unless that run
        # died (a worker killed mid-send): then the row is stale and may be claimed again.
        claimable = (CardMessage.status == CardStatus.RETRY) | ((CardMessage.status == CardStatus.SENDING) & _stale())
        claimed = (CardMessage.update(status=CardStatus.SENDING, updated_at=utcnow())
                   .where((CardMessage.id == row.id) & claimable).execute())
        if not claimed:
            return row
    return _send(row.id)


def send_test_card(application_id, userid):
    """Send a decision card for an application to one member (admin page); its buttons really decide."""
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    if not userid:
        raise BadRequest("请选择接收人 Choose a recipient", code="recipient_required")
    task_id = f"test-{application_id}-{secrets.token_hex(6)}"
    summary = {"total": 0.0, "dimensions": [], "flags": ["测试卡片,不是AI评分结果"],
               "report_url": links.application_url(application_id)}
    card = build_result_card(application, summary, task_id, title_prefix="测试卡片")
    row = CardMessage.create(task_id=task_id, application=application, kind="test", userids=[userid], card=card,
                             status=CardStatus.SENDING)
    return _send(row.id)


def _send(card_id):
    row = CardMessage.get_by_id(card_id)
    try:
        answer = _send_template(row)
    except WeComRetryableError as exc:
        CardMessage.update(status=CardStatus.RETRY, error=str(exc), updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        raise
    except WeComError as exc:
        CardMessage.update(status=CardStatus.FAILED, error=str(exc), updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        raise
    CardMessage.update(status=CardStatus.SENT, response_code=answer.get("response_code", ""), response_code_used=False,
                       error="", updated_at=utcnow()).where(CardMessage.id == row.id).execute()
    log.info("card %s sent to %s", row.task_id, row.userids)
    return CardMessage.get_by_id(row.id)


def _send_template(row):
    """Send the row's card; a 40058 (the task_id used before on this agent, or another refused parameter) is
    tried again under a new task_id, kept on the row (button taps find the card by it), SEND_TRIES times in all."""
    for attempt in range(SEND_TRIES):
        try:
            return send_template_card(row.userids, row.card)
        except WeComError as exc:
            if exc.errcode != TASK_ID_USED or isinstance(exc, WeComRetryableError) or attempt == SEND_TRIES - 1:
                raise
            task_id = new_task_id(row.card_key or row.task_id.rsplit("-", 1)[0])
            log.warning("card %s refused (%s): sending it again as %s", row.task_id, exc, task_id)
            row.task_id, row.card = task_id, {**row.card, "task_id": task_id}
            CardMessage.update(task_id=task_id, card=row.card, error=str(exc), updated_at=utcnow()).where(
                CardMessage.id == row.id).execute()


def update_decision_card(card_id, decision):
    """Grey the card's buttons out showing `decision` and who made it; True once done.

    A job enqueued for a decision that was changed since does nothing (the newer decision has its own job).
    """
    row = CardMessage.get_or_none(CardMessage.id == card_id)
    if row is None or not row.decision or row.decision != decision:
        return False
    if row.status == CardStatus.UPDATED:
        return True
    if not row.response_code or row.response_code_used:
        CardMessage.update(error="没有可用的 response_code no usable response_code").where(
            CardMessage.id == row.id).execute()
        return False
    try:
        # The whole card again, its buttons greyed with who decided and a line saying when: the button's text
        # has no room for the time. One response code, used once, as for a button update.
        grey_card(row.userids, row.response_code,
                  replace_name(row.decision, row.decided_by_name or row.decided_by, row.card), row.card,
                  decided_line(row))
    except WeComRetryableError:
        raise
    except WeComError as exc:
        # The code was refused (used or expired): retrying cannot help.
        CardMessage.update(response_code_used=True, error=str(exc), updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        log.warning("card %s could not be updated: %s", row.task_id, exc)
        return False
    CardMessage.update(status=CardStatus.UPDATED, response_code_used=True, error="", updated_at=utcnow()).where(
        CardMessage.id == row.id).execute()
    return True


DECISION_CARD_KINDS = ("result", "round", "test", "external")   # the cards whose buttons decide


def grey_closed_cards(stage_event_id):
    """The application closed before anyone decided on its card (the candidate withdrew, the invitation expired):
    each undecided decision card greys out saying so ("候选人撤回"), so nobody taps a button that cannot work any
    more. Returns how many were greyed. A card already decided keeps what it shows."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    if event is None or synthetic.is_synthetic(event.application_id):
        return 0
    label = STAGE_LABELS[event.to_stage][:10]
    rows = CardMessage.select().where(
        (CardMessage.application == event.application_id) & CardMessage.kind.in_(DECISION_CARD_KINDS)
        & (CardMessage.decision == "") & (CardMessage.response_code != "")
        & (CardMessage.response_code_used == False))  # noqa: E712
    greyed = 0
    for row in rows:
        try:
            update_card_button(row.userids, row.response_code, label)
        except WeComRetryableError:
            raise
        except WeComError as exc:
            log.warning("card %s of a closed application could not be greyed out: %s", row.task_id, exc)
            CardMessage.update(response_code_used=True, error=str(exc)).where(CardMessage.id == row.id).execute()
            continue
        CardMessage.update(status=CardStatus.UPDATED, response_code_used=True, error="", updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        greyed += 1
    return greyed


ERASED_LABEL = "候选人数据已删除"


def cards_to_grey_on_erasure(application_ids):
    """(task_id, userids, response_code) of the applications' cards whose buttons can still be greyed out."""
    rows = CardMessage.select().where(CardMessage.application.in_(application_ids) & (CardMessage.response_code != "")
                                      & (CardMessage.response_code_used == False))  # noqa: E712
    return [(row.task_id, list(row.userids or []), row.response_code) for row in rows]


def grey_erased_card(task_id, userids, response_code):
    """Grey out a deleted candidate's card ("候选人数据已删除"): no decision can be taken on it any more.

    The card row is gone with the candidate's data, so the job carries what the update needs. A refused code (used
    or expired after 72 h) cannot be retried; the card's buttons then only lead to the report page, which says the
    data was deleted, and a tap is refused because the application is closed.
    """
    try:
        update_card_button(userids, response_code, ERASED_LABEL)
    except WeComRetryableError:
        raise
    except WeComError as exc:
        log.warning("card %s of a deleted candidate could not be greyed out: %s", task_id, exc)
        return False
    return True


PUSH_RESULT_CARD = JobSpec(push_result_card, FAST, "result-card-report-{0}")
UPDATE_DECISION_CARD = JobSpec(update_decision_card, FAST, "card-update-{0}-{1}")
GREY_ERASED_CARD = JobSpec(grey_erased_card, FAST, "grey-erased-card-{0}")
GREY_CLOSED_CARDS = JobSpec(grey_closed_cards, FAST, "grey-closed-cards-{0}")

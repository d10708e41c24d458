"""The AI result card: build it, send it once to the job's managers, grey its buttons out after a decision."""
import datetime as dt
import logging
import secrets

from peewee import IntegrityError

from app.errors import BadRequest, NotFound
from app.extensions import settings
from app.models import Application, CardMessage, utcnow
from app.services.tx import transaction
from app.wecom import WeComError, WeComRetryableError
from app.wecom.cards import MAX_HORIZONTAL, button_card, send_template_card, update_card_button

log = logging.getLogger(__name__)

# (button text, decision = target stage, WeCom button style)
DECISION_BUTTONS = [("进入复试", "second_round", 1), ("待定", "on_hold", 2), ("淘汰", "rejected", 3)]
# What the greyed-out button says after a decision, followed by who decided.
DECIDED_LABELS = {"second_round": "已进入复试", "on_hold": "已设为待定", "rejected": "已淘汰"}


SENDING_STALE = dt.timedelta(minutes=5)


def unsent_result_cards():
    """Ids of applications at ai_scored whose result card was never sent, failed transiently or went stale."""
    ids = []
    for application in Application.select(Application.id).where(Application.stage == "ai_scored"):
        card = CardMessage.get_or_none(CardMessage.task_id == result_task_id(application.id))
        if card is None or card.status == "retry" or (
                card.status == "sending" and card.updated_at < utcnow() - SENDING_STALE):
            ids.append(application.id)
    return ids


def result_task_id(application_id):
    """The result card's task_id: deterministic, so the card exists at most once per application."""
    return f"ai-result-{application_id}"


def button_key(application_id, decision):
    return f"d:{application_id}:{decision}"


def parse_button_key(key):
    """(application_id, decision) from a button key; BadRequest for anything else."""
    parts = (key or "").split(":")
    if len(parts) != 3 or parts[0] != "d" or not parts[1].isdigit() or parts[2] not in DECIDED_LABELS:
        raise BadRequest(f"无法识别的按钮 Unknown button key {key!r}", code="bad_button_key")
    return int(parts[1]), parts[2]


def replace_name(decision, name):
    """The greyed-out button text, e.g. "已进入复试 · 张伟" (WeCom allows 10 characters)."""
    return f"{DECIDED_LABELS[decision]} · {name}"[:10]


def build_result_card(application, summary, task_id, title_prefix="AI面试结果"):
    dims = [(name, f"{score:.1f}") for name, score in summary.get("dimensions", [])]  # as the report shows
    horizontal = [("总分", f"{float(summary['total']):.1f}")] + dims[: MAX_HORIZONTAL - 1]
    flags = summary.get("flags") or []
    sub = ("⚠ " + ";".join(flags[:2])) if flags else "未发现异常标记"
    return button_card(
        task_id=task_id, title=f"{title_prefix}:{application.candidate.name}", desc=application.job.title,
        sub_title=sub, horizontal=horizontal, url=summary.get("report_url"), source="AI面试",
        buttons=[(text, button_key(application.id, decision), style) for text, decision, style in DECISION_BUTTONS])


def recipients(application):
    """The job's managers; HR when a job has none (someone must decide)."""
    return list(application.job.manager_userids or []) or list(settings.get("HR_USERIDS") or [])


def push_result_card(application_id, summary):
    """Send the result card to the job's managers once; return the CardMessage.

    summary = {"total": float, "dimensions": [(name, score), ...], "flags": [str], "report_url": str}.
    Running it twice sends nothing the second time (the task_id row is UNIQUE).
    """
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        raise NotFound("找不到该应聘记录 Application not found", code="application_not_found")
    task_id = result_task_id(application_id)
    card = build_result_card(application, summary, task_id)
    try:
        with transaction():
            row = CardMessage.create(task_id=task_id, application=application, kind="result",
                                     userids=recipients(application), card=card, status="sending")
    except IntegrityError:
        row = CardMessage.get(CardMessage.task_id == task_id)
        # A send that failed transiently is retried; "sending" means another run owns it, unless that run
        # died (a worker killed mid-send): then the row is stale and may be claimed again.
        claimable = (CardMessage.status == "retry") | (
            (CardMessage.status == "sending") & (CardMessage.updated_at < utcnow() - SENDING_STALE))
        claimed = (CardMessage.update(status="sending", updated_at=utcnow())
                   .where((CardMessage.id == row.id) & claimable).execute())
        if not claimed:
            return row
    return _send(row.id)


def send_test_card(application_id, userid):
    """Send a decision card for an application to one member (admin page); its buttons really decide."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None:
        raise NotFound("找不到该应聘记录 Application not found", code="application_not_found")
    if not userid:
        raise BadRequest("请选择接收人 Choose a recipient", code="recipient_required")
    task_id = f"test-{application_id}-{secrets.token_hex(6)}"
    summary = {"total": 0.0, "dimensions": [], "flags": ["测试卡片,不是AI评分结果"],
               "report_url": f"{settings['PUBLIC_BASE_URL']}/m/applications/{application_id}"}
    card = build_result_card(application, summary, task_id, title_prefix="测试卡片")
    row = CardMessage.create(task_id=task_id, application=application, kind="test", userids=[userid], card=card)
    return _send(row.id)


def _send(card_id):
    row = CardMessage.get_by_id(card_id)
    try:
        answer = send_template_card(row.userids, row.card)
    except WeComRetryableError as exc:
        CardMessage.update(status="retry", error=str(exc), updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        raise
    except WeComError as exc:
        CardMessage.update(status="failed", error=str(exc), updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        raise
    CardMessage.update(status="sent", response_code=answer.get("response_code", ""), response_code_used=False,
                       error="", updated_at=utcnow()).where(CardMessage.id == row.id).execute()
    log.info("card %s sent to %s", row.task_id, row.userids)
    return CardMessage.get_by_id(row.id)


def update_decision_card(card_id):
    """Grey the card's buttons out showing the decision and who made it; True once done."""
    row = CardMessage.get_or_none(CardMessage.id == card_id)
    if row is None or not row.decision:
        return False
    if row.status == "updated":
        return True
    if not row.response_code or row.response_code_used:
        CardMessage.update(error="没有可用的 response_code no usable response_code").where(
            CardMessage.id == row.id).execute()
        return False
    try:
        update_card_button(row.userids, row.response_code, replace_name(row.decision, row.decided_by_name
                                                                        or row.decided_by))
    except WeComRetryableError:
        raise
    except WeComError as exc:
        # The code was refused (used or expired): retrying cannot help.
        CardMessage.update(response_code_used=True, error=str(exc), updated_at=utcnow()).where(
            CardMessage.id == row.id).execute()
        log.warning("card %s could not be updated: %s", row.task_id, exc)
        return False
    CardMessage.update(status="updated", response_code_used=True, error="", updated_at=utcnow()).where(
        CardMessage.id == row.id).execute()
    return True

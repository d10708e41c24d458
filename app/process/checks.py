"""Background checks: one vendor-neutral order per application with the candidate's explicit consent (its own
text, versioned), the items to verify, a status timeline (process events) and result notes.

Providers: `self_serve` (built in) — the candidate submits each item on their H5 (the 学信网 online verification
code for education; the last employer with a 离职证明 uploaded on the check page, an HR-only document:
app/process/documents.py) and HR verifies each item. A vendor plugs in as another CheckProvider (start the
order at the vendor after consent; its result callback calls `record_result`); none is built.

Pass (every item verified) -> the offer form opens; a problem -> HR decides: go on (waived) or reject. Until HR
decides, the candidate (told in the conversation, the item reads 需要补充 with HR's note) may send that item again,
which puts the order back to collecting or verifying.
"""
import abc
import re

from app.core import pipeline, staff
from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, NotFound, found
from app.core.jobs import JobSpec
from app.core.models import StageEvent
from app.core.queues import FAST
from app.core.tx import transaction
from app.process import audit, documents, notices
from app.process.models import CheckItem, CheckOrder, CheckStatus, ItemStatus

CONSENT_VERSION = "bgc-2026-11"
CONSENT_TEXT = (
    "为核实你提供的履历信息,我们将在你授权后进行背景调查,仅核实以下项目:学历(通过你提供的学信网在线验证码查询)"
    "和最近一家雇主的任职情况(通过你提供的离职证明,必要时联系该雇主人事部门)。核实结果仅用于本次录用决定,"
    "按隐私政策保存,不用于其他目的。你可以不授权,但这可能影响录用流程的继续。")
# 学信网 online verification codes: letters and digits (the report's 在线验证码).
CHSI_CODE_RE = re.compile(r"^[0-9A-Za-z]{10,20}$")
DEFAULT_ITEMS = (("education", "最高学历(学信网在线验证码)"), ("employment", "最近一家雇主(离职证明)"))


class CheckProvider(abc.ABC):
    """What a provider does. The self-serve provider keeps everything here; a vendor's would call its API."""
    key = ""
    label = ""

    @abc.abstractmethod
    def start(self, order):
        """After the candidate's consent: create the items (or place the order at the vendor)."""


class SelfServeProvider(CheckProvider):
    key = "self_serve"
    label = "自助核验(候选人提交,HR核实)"

    def start(self, order):
        for kind, label in DEFAULT_ITEMS:
            CheckItem.get_or_create(order=order, kind=kind, label=label)


PROVIDERS = {SelfServeProvider.key: SelfServeProvider()}


def order_of(application_id):
    return CheckOrder.get_or_none(CheckOrder.application == application_id)


def items_of(order):
    return list(CheckItem.select().where(CheckItem.order == order.id).order_by(CheckItem.id)) if order else []


def start_check(stage_event_id):
    """Follow-up of background_check: open the order (once) and ask the candidate for consent."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    if event is None:
        return None
    order, created = CheckOrder.get_or_create(application=event.application_id)
    if created:
        audit.record(event.application_id, "check_started", "system", PROVIDERS[order.provider].label)
    notices.tell_candidate(f"check:{order.id}", event.application_id, "check_started",
                           "背景调查需要你的授权和材料,请在「我的应聘进度」页面打开「背景调查」完成。",
                           "check_requested")
    return order.id


def _set(order, status, actor, kind, detail=""):
    CheckOrder.update(status=status, updated_at=utcnow()).where(CheckOrder.id == order.id).execute()
    audit.record(order.application_id, kind, actor, detail or CheckStatus.LABELS[status])


CLOSED_TEXT = "本次应聘已结束,无需再授权或提交背景调查材料 This application has ended"
STAFF_CLOSED_TEXT = "该应聘已结束,不能再核实材料 The application has ended"


def ended(application):
    """Whether the application closed (rejected, withdrawn, expired): its check takes no consent and no items, and
    the check page says so instead of its forms."""
    return application.stage in pipeline.CLOSED


def _refuse_if_ended(order):
    if ended(order.application):
        raise Conflict(CLOSED_TEXT, code="application_closed")


def consent(application_id, agreed, version):
    order = order_of(application_id)
    if order is None:
        raise NotFound("没有背景调查 No background check", code="no_check")
    _refuse_if_ended(order)
    if order.status != CheckStatus.AWAITING_CONSENT:
        return order
    if version != CONSENT_VERSION:
        raise Conflict("授权说明已更新,请刷新页面后重新阅读 The consent text changed: reload", code="stale_consent")
    if not agreed:
        raise BadRequest("需要勾选同意才能继续 Tick the box to consent", code="consent_required")
    with transaction():
        CheckOrder.update(consent_version=version, consent_at=utcnow()).where(CheckOrder.id == order.id).execute()
        PROVIDERS[order.provider].start(order)
        _set(order, CheckStatus.COLLECTING, "candidate", "check_consent", f"候选人授权 {version}")
    return order_of(application_id)


def submit_item(application_id, item_id, value, attachment_id=None):
    """The candidate submits one item (a code, an employer's name, a document they uploaded on the check page)."""
    order = order_of(application_id)
    # PROBLEM too: an item HR sent back (需要补充 and the note on the page) may be sent again until HR decides.
    if order is None or order.status not in (CheckStatus.COLLECTING, CheckStatus.VERIFYING, CheckStatus.PROBLEM):
        raise Conflict("当前不能提交材料 Not collecting items now", code="not_collecting")
    _refuse_if_ended(order)
    item = found(CheckItem.get_or_none((CheckItem.id == item_id) & (CheckItem.order == order.id)),
                 "没有这个核验项 No such item", code="item_not_found")
    if item.status == ItemStatus.VERIFIED:
        raise Conflict("该项已核实,无需再提交 Already verified", code="item_verified")
    value = (value or "").strip()
    if item.kind == "education" and not CHSI_CODE_RE.match(value):
        raise BadRequest("学信网在线验证码应为10-20位字母或数字 The CHSI code is 10-20 letters or digits",
                         code="bad_chsi_code")
    if item.kind == "employment":
        if not value:
            raise BadRequest("请填写雇主名称 The employer's name is required", code="employer_required")
        documents.require_document(application_id, attachment_id, item.label,
                                   "请在本页上传离职证明文件 Upload the 离职证明 on this page")
    with transaction():
        CheckItem.update(value=value[:120], attachment_id=attachment_id if item.kind == "employment" else None,
                         status=ItemStatus.SUBMITTED, updated_at=utcnow()).where(CheckItem.id == item.id).execute()
        audit.record(application_id, "check_item", "candidate", f"{item.label} 已提交")
        statuses = [i.status for i in items_of(order)]
        if all(s in (ItemStatus.SUBMITTED, ItemStatus.VERIFIED) for s in statuses):
            _set(order, CheckStatus.VERIFYING, "candidate", "check_verifying")
        elif order.status == CheckStatus.PROBLEM and ItemStatus.PROBLEM not in statuses:
            _set(order, CheckStatus.COLLECTING, "candidate", "check_collecting")
    return CheckItem.get_by_id(item.id)



def verify_item(application_id, item_id, actor, ok, note=""):
    """HR marks an item verified or a problem; the order passes when every item is verified."""
    staff.require_hr(actor, "核实背景调查")
    order = order_of(application_id)
    item = found(CheckItem.get_or_none((CheckItem.id == item_id) & (CheckItem.order == (order.id if order else 0))),
                 "没有这个核验项 No such item", code="item_not_found")
    if item.status == ItemStatus.PENDING:
        raise Conflict("候选人还没有提交该项 The candidate has not submitted it", code="item_not_submitted")
    if ended(order.application):   # a 需要补充 would ask for an item the check page no longer takes
        raise Conflict(STAFF_CLOSED_TEXT, code="application_closed")
    with transaction():
        note = audit.review_item(application_id, item, actor, ok, note, kind="check_item", problem_word="有问题",
                                 ask="请写明发现的问题 Describe the problem")
        statuses = [i.status for i in items_of(order)]
        if all(s == ItemStatus.VERIFIED for s in statuses):
            _set(order, CheckStatus.PASSED, actor, "check_passed")
        elif ItemStatus.PROBLEM in statuses:
            _set(order, CheckStatus.PROBLEM, actor, "check_problem", note)
    if not ok:
        notices.to_candidate(f"check-back:{item.id}:{utcnow():%Y%m%d%H%M%S}", application_id, "check_item",
                             f"背景调查材料「{item.label}」需要补充:{note}。请在「背景调查」页重新提交。")
    return order_of(application_id)


def decide_problem(application_id, actor, go_on, note=""):
    """A check with a problem: HR goes on to the offer (waived) or rejects the application."""
    staff.require_hr(actor, "核实背景调查")
    order = order_of(application_id)
    if order is None or order.status != CheckStatus.PROBLEM:
        raise Conflict("只有发现问题的背景调查需要HR决定 Only a check with a problem", code="no_problem")
    note = (note or "").strip()[:500]
    if not note:
        raise BadRequest("请写明决定的理由 Give the reason", code="note_required")
    with transaction():
        CheckOrder.update(decided_by=actor, decision_note=note).where(CheckOrder.id == order.id).execute()
        if go_on:
            _set(order, CheckStatus.WAIVED, actor, "check_waived", note)
        else:
            _set(order, CheckStatus.FAILED, actor, "check_failed", note)
            pipeline.advance_stage(application_id, "rejected", actor=actor, source="web",
                                   reason=f"背景调查未通过:{note}")
    return order_of(application_id)


def cleared(application_id):
    """Whether the offer may be made: the check passed or HR decided to go on."""
    order = order_of(application_id)
    return order is not None and order.status in CheckStatus.DONE


START_CHECK = JobSpec(start_check, FAST, "start-check-{0}")

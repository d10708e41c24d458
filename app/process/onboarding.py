"""Onboarding: the pre-hire checklist (documents the candidate uploads on the onboarding page, HR-only:
app/process/documents.py; personal details; the first-day information to confirm), HR verifying each item, the
入职通知, and the first day: HR confirms arrival (onboarding -> hired), a job creates the WeCom account
(user/create) and tells the manager.

The checklist is the job's (app/process/checklists.py: its own, else the built-in one), copied when onboarding
starts."""
import re

from app.core import pipeline, staff
from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, NotFound, found
from app.core.jobs import JobSpec
from app.core.models import StageEvent
from app.core.queues import FAST
from app.core.tx import transaction
from app.process import audit, checklists, documents, notices
from app.process.models import ItemStatus, Offer, OfferStatus, OnboardingItem
from app.process.offers import offer_of, today
from app.wecom import WeComError
from app.wecom.messages import plain
from app.wecom.users import create_user

USERID_RE = re.compile(r"^[0-9A-Za-z_\-@.]{1,64}$")


def items_of(application_id):
    return list(OnboardingItem.select().where(OnboardingItem.application == application_id)
                .order_by(OnboardingItem.id))


def start(stage_event_id):
    """Follow-up of onboarding (the offer was accepted): the checklist and the 入职通知, once."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    offer = offer_of(event.application_id) if event else None
    if offer is None:
        return None
    checklist = checklists.for_job(offer.application.job_id)
    for key, label, kind in checklist:
        OnboardingItem.get_or_create(application=offer.application_id, key=key,
                                     defaults={"label": label, "kind": kind})
    notices.to_candidate(f"onboard:{offer.id}", offer.application_id, "onboarding",
                         f"入职通知:欢迎加入!请于 {offer.start_date:%Y年%m月%d日} 上午 9:30 到 {offer.place} 报到。"
                         "入职前请在「我的应聘进度」页面打开「入职准备」,提交清单中的材料。")
    return len(checklist)


def ended(application):
    """Whether HR closed the application after the offer was accepted: the checklist takes nothing more (submit_item
    refuses) and the onboarding page says so instead of its forms."""
    return application.stage in pipeline.CLOSED


def _item(application_id, item_id):
    return found(OnboardingItem.get_or_none((OnboardingItem.id == item_id)
                                            & (OnboardingItem.application == application_id)),
                 "没有这个清单项 No such item", code="item_not_found")


def submit_item(application_id, item_id, value="", attachment_id=None):
    """The candidate submits one checklist item (a document uploaded on the onboarding page, details, a confirm)."""
    item = _item(application_id, item_id)
    if ended(item.application):
        raise Conflict("本次应聘已结束,无需再提交入职材料 This application has ended", code="application_closed")
    if item.application.stage != "onboarding":
        raise Conflict("当前不能提交入职材料 Not at onboarding", code="not_onboarding")
    if item.status == ItemStatus.VERIFIED:
        raise Conflict("该项已核实 Already verified", code="item_verified")
    value = (value or "").strip()[:1000]
    if item.kind == "document":
        documents.require_document(application_id, attachment_id, item.label,
                                   "请在本页上传文件 Upload the file on this page")
    elif item.kind == "details" and len(value) < 4:
        raise BadRequest("请填写完整信息 Fill in the details", code="details_required")
    elif item.kind == "confirm":
        value = "已确认"
    with transaction():
        attachment_id = attachment_id if item.kind == "document" else None
        OnboardingItem.update(status=ItemStatus.SUBMITTED, value=value, attachment_id=attachment_id,
                              updated_at=utcnow()).where(OnboardingItem.id == item.id).execute()
        audit.record(application_id, "onboarding_item", "candidate", f"{item.label} 已提交")
    return OnboardingItem.get_by_id(item.id)


def verify_item(application_id, item_id, actor, ok, note=""):
    staff.require_hr(actor, "核实入职材料")
    item = _item(application_id, item_id)
    if item.status == ItemStatus.PENDING:
        raise Conflict("候选人还没有提交该项 Not submitted yet", code="item_not_submitted")
    if ended(item.application):
        raise Conflict("该应聘已结束,不能再核实材料 The application has ended", code="application_closed")
    with transaction():
        note = audit.review_item(application_id, item, actor, ok, note, kind="onboarding_item",
                                 problem_word="需补充", ask="请写明需要补充什么 Say what is missing")
    if not ok:
        notices.tell_candidate(f"onboard-back:{item.id}:{utcnow():%Y%m%d%H%M%S}", application_id, "onboarding_item",
                               f"入职材料「{item.label}」需要补充:{note}", "onboarding_returned", {"item": item.label})
    return OnboardingItem.get_by_id(item.id)


def outstanding(application_id):
    return [i for i in items_of(application_id) if i.status != ItemStatus.VERIFIED]


def confirm_arrival(application_id, actor, employee_userid, on=None):
    on = on or today()
    staff.require_hr(actor, "确认到岗")
    offer = offer_of(application_id)
    if offer is None or offer.status != OfferStatus.ACCEPTED:
        raise NotFound("没有已接受的Offer No accepted offer", code="no_accepted_offer")
    if offer.application.stage != "onboarding":
        raise Conflict("当前阶段不能确认到岗 Not at onboarding", code="not_onboarding")
    if on < offer.start_date:
        raise Conflict(f"入职日期 {offer.start_date:%m月%d日} 之前不能确认到岗 Before the start date",
                       code="before_start_date")
    missing = outstanding(application_id)
    if missing:
        raise Conflict("入职材料还没有全部核实:" + "、".join(i.label for i in missing)
                       + " The checklist is not complete", code="checklist_incomplete")
    employee_userid = (employee_userid or "").strip()
    if not USERID_RE.match(employee_userid):
        raise BadRequest("请填写新员工的企业微信账号(字母数字,1-64位) A userid for the new member",
                         code="bad_userid")
    with transaction():
        Offer.update(employee_userid=employee_userid).where(Offer.id == offer.id).execute()
        return pipeline.advance_stage(application_id, "hired", actor=actor, source="web",
                                      reason=f"HR 确认到岗,账号 {employee_userid}")


def create_employee_account(stage_event_id):
    """user/create for the hire, then the manager is told (each once)."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    offer = offer_of(event.application_id) if event else None
    if offer is None or not offer.employee_userid:
        return None
    application = offer.application
    try:
        notices.send_once(f"account:{offer.id}", application.id, "account", [offer.employee_userid],
                          lambda: create_user(userid=offer.employee_userid, name=application.candidate.name,
                                              mobile=application.candidate.phone, position=offer.position))
    except WeComError as exc:
        if exc.errcode in (-1, 45009):
            raise
        Offer.update(account_error=f"{exc.errcode} {exc.errmsg}"[:500]).where(Offer.id == offer.id).execute()
        audit.record(application.id, "account_failed", "system", f"{exc.errcode} {exc.errmsg}")
        return False
    audit.record(application.id, "account_created", "system", offer.employee_userid)
    notices.to_members(f"hired:{offer.id}", application.id, "hired", staff.hr_and_managers(application.job),
                       f"**{plain(application.candidate.name)} 今天入职** · {offer.position}\n"
                       f"> 企业微信账号:{offer.employee_userid}")
    return True


START_ONBOARDING = JobSpec(start, FAST, "start-onboarding-{0}")
CREATE_EMPLOYEE_ACCOUNT = JobSpec(create_employee_account, FAST, "employee-account-{0}")

"""The first day: HR confirms the new employee arrived (onboarding -> hired); a job creates their WeCom account
(user/create) and tells the manager. The pre-hire document checklist is not built yet (docs/process.md)."""
import re

from app.errors import BadRequest, Conflict, Forbidden, NotFound
from app.extensions import settings
from app.process import audit, notices
from app.process.models import Offer, OfferStatus
from app.process.offers import offer_of, today
from app.services import pipeline, staff
from app.services.tx import transaction

USERID_RE = re.compile(r"^[0-9A-Za-z_\-@.]{1,64}$")


def confirm_arrival(application_id, actor, employee_userid, on=None):
    on = on or today()
    member = staff.load_staff(actor)
    if not (member and member.is_hr):
        raise Forbidden("只有HR可以确认到岗 HR only", code="hr_only")
    offer = offer_of(application_id)
    if offer is None or offer.status != OfferStatus.ACCEPTED:
        raise NotFound("没有已接受的Offer No accepted offer", code="no_accepted_offer")
    if offer.application.stage != "onboarding":
        raise Conflict("当前阶段不能确认到岗 Not at onboarding", code="not_onboarding")
    if on < offer.start_date:
        raise Conflict(f"入职日期 {offer.start_date:%m月%d日} 之前不能确认到岗 Before the start date",
                       code="before_start_date")
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
    from app.models import StageEvent
    from app.wecom import WeComError
    from app.wecom.users import create_user
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
    managers = list(application.job.manager_userids or [])
    notices.to_members(f"hired:{offer.id}", application.id, "hired", managers + list(settings.get("HR_USERIDS", [])),
                       f"**{application.candidate.name} 今天入职** · {offer.position}\n"
                       f"> 企业微信账号:{offer.employee_userid}")
    return True

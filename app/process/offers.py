"""Offers: HR fills one from the job's template (OfferPolicy); inside the policy it goes to the candidate at
once, outside it (salary outside the band, start date too soon) a WeCom approval (oa/applyevent, via
start_offer_approval below) must pass first. The candidate reads the letter on their H5 and
accepts or declines with a typed confirmation; an offer not answered by its date expires."""
import datetime as dt
import unicodedata

from peewee import IntegrityError

from app.core import jobs, links, pipeline, staff, text_limits
from app.core.base import utcnow
from app.core.converters import parse_day
from app.core.errors import BadRequest, Conflict, Gone, NotFound, found
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.localtime import today
from app.core.models import Application, EventStatus, StageEvent
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview.invitations import latest_interview
from app.notifications import outreach
from app.process import audit, notices, offer_letter, offer_withdrawal
from app.process.checks import cleared
from app.process.models import MAX_LETTER_NOTE, Approval, Offer, OfferPolicy, OfferStatus, ProcessEvent
from app.wecom.approvals import apply_event, text_control

# Where HR fills the offer: at background_check, once the check is cleared (app/process/checks.py).
OFFER_STAGES = ("background_check",)
MAX_SALARY = 1_000_000

# The fields of HR's offer form and of the job's offer policy form (a refused form is shown again as typed).
OFFER_FIELDS = ("position", "level", "salary", "start_date", "place", "probation_months", "expires_on")
POLICY_FIELDS = ("position", "level", "place", "salary_min", "salary_max", "min_notice_days", "probation_months",
                 "valid_days", "letter_note", "letter_template")

def policy_for(job):
    """The job's offer template and policy (defaults when HR has not set one: no band, 14 days' notice)."""
    return OfferPolicy.get_or_none(OfferPolicy.job == job.id) or OfferPolicy(job=job, position=job.title,
                                                                              place=job.location)


def save_policy(job, actor, form):
    staff.require_hr(actor, "修改Offer模板")
    fields = {"position": (form.get("position") or job.title).strip()[:120],
              "level": (form.get("level") or "").strip()[:32], "place": (form.get("place") or "").strip()[:120],
              "salary_min": _int(form.get("salary_min"), "月薪下限", 0, MAX_SALARY),
              "salary_max": _int(form.get("salary_max"), "月薪上限", 0, MAX_SALARY),
              "min_notice_days": _int(form.get("min_notice_days"), "至少提前几天入职", 0, 120),
              "probation_months": _int(form.get("probation_months"), "试用期(月)", 0, 6),
              "valid_days": _int(form.get("valid_days"), "有效天数", 1, 30),
              "letter_note": text_limits.bounded(form.get("letter_note"), MAX_LETTER_NOTE, "录用通知书的补充段落",
                                                 "保存", "letter_note_too_long"),
              "letter_template": offer_letter.check_template(form.get("letter_template"))}
    if fields["salary_max"] and fields["salary_min"] > fields["salary_max"]:
        raise BadRequest("月薪下限不能高于上限 The band's minimum is above its maximum", code="bad_band")
    OfferPolicy.insert(job=job.id, **fields).on_conflict(conflict_target=[OfferPolicy.job],
                                                         update=fields).execute()
    return policy_for(job)


def _int(value, what, low, high):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise BadRequest(f"{what}需要是整数 A whole number is needed", code="bad_number") from None
    if not low <= number <= high:
        raise BadRequest(f"{what}需在 {low}-{high} 之间 The number must be {low}-{high}", code="out_of_range")
    return number


def _date(value, what):
    try:
        return parse_day(value or "", what)
    except ValueError as exc:
        raise BadRequest(str(exc), code="bad_date") from None


def policy_breaks(policy, salary, start_date, on):
    """Why an offer needs an approval: [] when it is within the job's policy."""
    breaks = []
    if not policy.salary_max:
        breaks.append("岗位未设薪资带宽 no salary band set")
    elif not policy.salary_min <= salary <= policy.salary_max:
        breaks.append(f"月薪 {salary} 超出带宽 {policy.salary_min}-{policy.salary_max}")
    if start_date < on + dt.timedelta(days=policy.min_notice_days):
        breaks.append(f"入职日期早于 {policy.min_notice_days} 天准备期")
    return breaks


def offer_of(application_id):
    return Offer.get_or_none(Offer.application == application_id)


def create_offer(application_id, actor, form, on=None):
    """HR makes the offer: sent directly within policy, else a WeCom approval starts. Returns the Offer."""
    on = on or today()
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    staff.require_hr(actor, "发Offer")
    if application.stage not in OFFER_STAGES:
        raise Conflict("当前阶段不能发Offer Not at the offer stage", code="not_offer_stage")
    previous = offer_of(application_id)
    if previous is not None and previous.status not in OfferStatus.REPLACEABLE:
        raise Conflict("该候选人已有Offer An offer exists already", code="offer_exists")
    if not cleared(application_id):
        raise Conflict("背景调查通过(或HR决定继续)后才能发Offer The background check must be cleared first",
                       code="check_not_cleared")
    policy = policy_for(application.job)
    position = (form.get("position") or policy.position or application.job.title).strip()[:120]
    place = (form.get("place") or policy.place).strip()[:120]
    if not position or not place:
        raise BadRequest("请填写职位和工作地点 Position and place are required", code="offer_incomplete")
    salary = _int(form.get("salary"), "月薪", 1, MAX_SALARY)
    start_date = _date(form.get("start_date"), "入职日期")
    expires_on = _date(form.get("expires_on") or (on + dt.timedelta(days=policy.valid_days)).isoformat(),
                       "答复截止")
    probation = _int(form.get("probation_months", policy.probation_months), "试用期(月)", 0, 6)
    if start_date <= on:
        raise BadRequest("入职日期必须在今天之后 The start date must be after today", code="start_in_past")
    if not on <= expires_on < start_date:
        raise BadRequest("有效期需在今天和入职日期之间 The offer must expire between today and the start date",
                         code="bad_expiry")
    breaks = policy_breaks(policy, salary, start_date, on)
    fields = {"position": position, "level": (form.get("level") or policy.level).strip()[:32], "salary": salary,
              "start_date": start_date, "place": place, "probation_months": probation, "expires_on": expires_on,
              "breaks": breaks, "letter_note": policy.letter_note,
              "letter_template": policy.letter_template, "created_by": actor}
    summary = f"{position} · 月薪{salary} · {start_date:%m月%d日}入职 · 超出政策:{';'.join(breaks)}"
    try:
        with transaction():
            if previous is not None:  # HR withdrew it: the audit keeps its terms (offer_withdrawn), the row goes
                Offer.delete().where((Offer.id == previous.id)
                                     & Offer.status.in_(OfferStatus.REPLACEABLE)).execute()
            offer = Offer.create(application=application_id, status=OfferStatus.AWAITING_APPROVAL if breaks
                                 else OfferStatus.SENT, **fields)
            audit.record(application_id, "offer_created", actor, summary if breaks else "在政策内,直接发出")
            if breaks:
                approval = start_offer_approval(application_id, actor, summary[:200])
                Offer.update(sp_no=approval.sp_no).where(Offer.id == offer.id).execute()
            else:
                pipeline.advance_stage(application_id, "offer_sent", actor=actor, source="web",
                                       reason="Offer 在岗位政策内,直接发出")
    except IntegrityError:
        raise Conflict("该候选人已有Offer An offer exists already", code="offer_exists") from None
    return offer_of(application_id)


def stage_changed(stage_event_id):
    """Follow-up of offer_sent (the approval passed, or sent directly) and of on_hold from offer_approval (it
    was refused): the offer's status follows; the candidate gets the link to the offer page. Nothing for an offer
    HR withdrew before the job ran, nor for one made after the event (it replaced the withdrawn one)."""
    event = StageEvent.get_or_none(StageEvent.id == stage_event_id)
    offer = offer_of(event.application_id) if event else None
    if offer is None or offer.status in OfferStatus.REPLACEABLE or offer.created_at > event.created_at:
        return None
    awaiting = (Offer.id == offer.id) & (Offer.status == OfferStatus.AWAITING_APPROVAL)  # not once HR withdrew it
    if event.to_stage == "on_hold" and Offer.update(status=OfferStatus.REJECTED).where(awaiting).execute():
        return OfferStatus.REJECTED
    if event.to_stage != "offer_sent":
        return None
    if offer.status == OfferStatus.AWAITING_APPROVAL and not Offer.update(status=OfferStatus.SENT).where(
            awaiting).execute():
        return None
    audit.record(offer.application_id, "offer_sent", event.actor, f"有效期至 {offer.expires_on:%m月%d日}")
    interview = latest_interview(offer.application_id)
    # Not once HR closed the application meanwhile (the job ran late): the offer reads 已撤回, nothing to answer.
    if interview is not None and not withdrawn(offer_of(offer.application_id)):
        notices.tell_candidate(f"offer-link:{notice_ref(offer)}", offer.application_id, "offer_sent",
                               f"你的录用通知已发出,请在 {offer.expires_on:%m月%d日} 前"
                               "在「我的应聘进度」页面查看并答复。", "offer_sent",
                               {"deadline": outreach.day(offer.expires_on)})
    return OfferStatus.SENT


def approval_revoked(approval_id):
    """The offer's WeCom approval was revoked after it passed (通过后撤销; handle_approval_change): the
    application keeps its stage (the candidate may have accepted already), the timeline says so and HR and the
    job's managers are told once, to decide whether the offer stands. Returns whether they were told now."""
    approval = Approval.get_or_none(Approval.id == approval_id)
    if approval is None:
        return False
    application = approval.application
    offer = offer_of(application.id)
    state = f"Offer {OfferStatus.LABELS[offer.status]}" if offer else "没有 Offer"
    detail = f"录用审批 {approval.sp_no} 在通过后被撤销;{state},阶段「{pipeline.STAGE_LABELS[application.stage]}」"
    with transaction():
        recorded = (ProcessEvent.select().where((ProcessEvent.application == application.id)
                                                & (ProcessEvent.kind == "approval_revoked")
                                                & ProcessEvent.detail.contains(approval.sp_no)).exists())
        if not recorded:
            audit.record(application.id, "approval_revoked", "wecom", detail)
    recipients = staff.hr_and_managers(application.job)
    text = (f"**录用审批已撤销** · {application.candidate.name} · {application.job.title}\n> {detail}。"
            f"请决定 Offer 是否继续有效,并告知候选人。\n[查看应聘记录]({links.application_url(application.id)})")
    return notices.to_members(f"approval-revoked:{approval.sp_no}", application.id, "approval_revoked", recipients,
                              text)


def revoked_approval(offer):
    """The offer's approval when WeCom revoked it after it passed, else None (the application page warns)."""
    if offer is None or not offer.sp_no:
        return None
    return Approval.get_or_none((Approval.sp_no == offer.sp_no)
                                & (Approval.sp_status == APPROVAL_REVOKED_AFTER_PASSING))


def open_offer(application_id, on=None):
    """The offer the candidate may answer, or a clear error."""
    on = on or today()
    offer = offer_of(application_id)
    if offer is None or offer.status in OfferStatus.UNSEEN:
        raise NotFound("暂无录用通知 There is no offer for you yet", code="no_offer")
    if offer.status == OfferStatus.WITHDRAWN:
        raise Conflict(offer_withdrawal.REFUSED_TEXT, code="offer_withdrawn")
    if withdrawn(offer):
        raise Gone(WITHDRAWN_TEXT, code="offer_withdrawn")
    if offer.status == OfferStatus.EXPIRED or (offer.status == OfferStatus.SENT and on > offer.expires_on):
        raise Gone("录用通知已过期,如有疑问请联系HR The offer has expired", code="offer_expired")
    return offer


WITHDRAWN_TEXT = "这份录用通知已撤回,本次应聘已结束。如有疑问请联系HR The offer was withdrawn"


def withdrawn(offer):
    """Whether HR closed the application (rejected, withdrawn) while the offer still waited for an answer: it can no
    longer be accepted, and the candidate's pages say it was withdrawn."""
    return offer.status == OfferStatus.SENT and offer.application.stage in pipeline.CLOSED


ENDED_LABEL = "本次应聘已结束"
COMPANY_WITHDREW_LABEL = "已被公司撤回"


def notice_ref(offer):
    """The offer's part of its notice keys: its id, and how many offers HR withdrew before it (a replacing row may
    get the withdrawn one's id on SQLite, and its notices must still go out)."""
    count = offer_withdrawal.withdrawals(offer.application_id)
    return f"{offer.id}:{count}" if count else str(offer.id)


def candidate_label(offer):
    """How the candidate's pages (the status page's line, the offer page) name the offer's state: 已撤回 for one
    HR's close withdrew, 本次应聘已结束 for one accepted before HR closed the application (it no longer leads to
    onboarding), otherwise the status's own word."""
    if withdrawn(offer):
        return "已撤回"
    if offer.status == OfferStatus.WITHDRAWN:
        return COMPANY_WITHDREW_LABEL
    if offer.status == OfferStatus.ACCEPTED and offer.application.stage in pipeline.CLOSED:
        return ENDED_LABEL
    return OfferStatus.LABELS[offer.status]


def answer(application_id, accept, typed_name, reason="", on=None):
    """The candidate accepts (typing their full name) or declines (with a reason). Once."""
    offer = open_offer(application_id, on)
    application = offer.application
    status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    if offer.status != OfferStatus.SENT:
        return _answered_already(offer, status)
    if _comparable(typed_name) != _comparable(application.candidate.name):
        raise BadRequest("请输入你的完整姓名以确认 Type your full name to confirm", code="confirmation_mismatch")
    reason = (reason or "").strip()[:500]
    if not accept and not reason:
        raise BadRequest("请告诉我们拒绝的原因 Tell us why you decline", code="reason_required")
    with transaction():
        changed = (Offer.update(status=status, answer_text=typed_name.strip()[:60], decline_reason=reason,
                                answered_at=utcnow())
                   .where((Offer.id == offer.id) & (Offer.status == OfferStatus.SENT)).execute())
        if not changed:
            return _answered_already(offer_of(application.id), status)
        audit.record(application.id, "offer_accepted" if accept else "offer_declined", "candidate", reason)
        pipeline.advance_stage(application.id, "onboarding" if accept else "withdrawn", actor="candidate",
                               source="web", reason="候选人接受Offer" if accept else f"候选人拒绝Offer:{reason}")
    return offer_of(application.id)


def _comparable(name):
    """A name as typed on a phone compares equal to the offer's: width (NFKC), spaces and letter case do not count."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()


def _answered_already(offer, status):
    """The offer answered before: the same answer again (a double tap, the back button and the button again) is
    taken as that answer, so the page says it was received; another answer is refused. HR withdrew it meanwhile:
    refused as withdrawn."""
    if offer.status == OfferStatus.WITHDRAWN:
        raise Conflict(offer_withdrawal.REFUSED_TEXT, code="offer_withdrawn")
    if offer.status != status:
        raise Conflict("你已答复过该录用通知 You already answered this offer", code="offer_answered")
    return offer


def expire_due(on=None):
    """Offers past their date without an answer: expired, the application closed. Returns how many. An offer HR
    withdrew by closing the application stays as it is (it reads 已撤回, not 已过期)."""
    on = on or today()
    count = 0
    for offer in (Offer.select().join(Application)
                  .where((Offer.status == OfferStatus.SENT) & (Offer.expires_on < on)
                         & Application.stage.not_in(pipeline.CLOSED))):
        with transaction():
            changed = (Offer.update(status=OfferStatus.EXPIRED)
                       .where((Offer.id == offer.id) & (Offer.status == OfferStatus.SENT)).execute())
            if changed:
                audit.record(offer.application_id, "offer_expired", "system", f"{offer.expires_on:%m月%d日} 未答复")
                if pipeline.can_move(offer.application.stage, "withdrawn"):
                    pipeline.advance_stage(offer.application_id, "withdrawn", actor="system", source="system",
                                           reason="Offer 逾期未答复 offer expired")
                count += 1
    return count


OFFER_STAGE_CHANGED = JobSpec(stage_changed, FAST, "offer-stage-{0}")


# --- the offer's WeCom approval (oa/applyevent; sys_approval_change callbacks) ---

APPROVAL_PASSED = {2}
APPROVAL_FAILED = {3, 4, 6, 7}
APPROVAL_REVOKED_AFTER_PASSING = 6
# Which SpStatus may follow which (1 审批中, 2 已通过, 3 已驳回, 4 已撤销, 6 通过后撤销, 7 已删除): anything else is an
# older delivery arriving late.
APPROVAL_FOLLOWS = {1: {2, 3, 4, 6, 7}, 2: {6, 7}, 3: {7}, 4: {7}, 6: {7}, 7: set()}
# WeCom posts an approval's first callback as oa/applyevent answers, before the transaction that stores our
# Approval row commits: an unknown approval of our template is retried (the job raises) for this long.
UNKNOWN_APPROVAL_WAIT_S = 600


class ApprovalNotStoredYet(RuntimeError):
    """An approval of our template we do not know yet: raised so the job (and then the sweep) retries it."""


def start_offer_approval(application_id, actor, salary_text):
    """Open the offer approval in WeCom (approvers: the job's managers, cc HR); return the Approval."""
    application = found(Application.get_or_none(Application.id == application_id),
                        "找不到该应聘记录 Application not found", code="application_not_found")
    staff.require_hr(actor, "发起录用审批")
    if not pipeline.can_move(application.stage, "offer_approval"):
        raise pipeline.IllegalTransition("当前阶段不能发起录用审批 Cannot start an offer approval now")
    template_id = settings.get("WECOM_OFFER_TEMPLATE_ID") or ""
    if not template_id:
        raise BadRequest("超出岗位政策的 Offer 需要企业微信审批,但尚未配置审批模板(WECOM_OFFER_TEMPLATE_ID),"
                         "请联系管理员;在政策内的 Offer 可直接发出 The offer approval template is not configured",
                         code="approval_not_configured")
    approvers = list(application.job.manager_userids or []) or [actor]
    sp_no = apply_event(
        creator_userid=actor, template_id=template_id,
        approvers=approvers, cc=[u for u in staff.hr_userids() if u != actor],
        contents=[text_control("Text-candidate", f"{application.candidate.name} · {application.job.title}"),
                  text_control("Text-offer", salary_text or "")],
        summary=[f"录用:{application.candidate.name}", application.job.title])
    with transaction():
        approval = Approval.create(sp_no=sp_no, application=application, creator=actor)
        pipeline.advance_stage(application_id, "offer_approval", actor=actor, source="web",
                               reason=f"发起录用审批 {sp_no}")
    return approval


def handle_approval_change(event):
    """A sys_approval_change: store the state; a finished offer approval moves the application; one revoked after
    it passed (the offer went out) is told to HR and the managers, who decide what happens next."""
    info = event.payload["approval"]
    approval = Approval.get_or_none(Approval.sp_no == info["sp_no"])
    if approval is None:
        waited = (utcnow() - event.created_at).total_seconds()
        if info["template_id"] == settings["WECOM_OFFER_TEMPLATE_ID"] and waited < UNKNOWN_APPROVAL_WAIT_S:
            raise ApprovalNotStoredYet(f"approval {info['sp_no']} is not stored (yet): retried")
        return EventStatus.IGNORED, f"approval {info['sp_no']} is not ours"
    status, stored = info["sp_status"], approval.sp_status
    if status != stored and status not in APPROVAL_FOLLOWS.get(stored, {status}):
        # Deliveries arrive out of order: an older state must not undo a later one (passed after 通过后撤销).
        return EventStatus.IGNORED, f"a stale update: status {status} after {stored}"
    if status == stored and stored in APPROVAL_PASSED | APPROVAL_FAILED:
        # The event fires on every change (a comment, an urge): the state it repeats was handled already.
        return EventStatus.HANDLED, f"approval status {status}: no change"
    Approval.update(sp_status=status, detail=info, updated_at=utcnow()).where(Approval.id == approval.id).execute()
    offer = offer_of(approval.application_id)
    if offer is not None and (offer.sp_no != approval.sp_no or offer.status in OfferStatus.REPLACEABLE):
        # HR withdrew the offer it was for (offer_withdrawal): stored, nothing moves, nobody is told again.
        return EventStatus.IGNORED, f"approval {status}: its offer was withdrawn by HR"
    if status == APPROVAL_REVOKED_AFTER_PASSING and approval.application.stage != "offer_approval":
        jobs.enqueue(OFFER_APPROVAL_REVOKED, approval.id)
        return EventStatus.HANDLED, "approval revoked after it passed: HR and the managers are told"
    actors = [d["userid"] for r in info["records"] for d in r["details"] if d["sp_status"] == status]
    actor = actors[0] if actors else "wecom"
    target = "offer_sent" if status in APPROVAL_PASSED else "on_hold" if status in APPROVAL_FAILED else None
    if target is None:
        return EventStatus.HANDLED, f"approval status {status}"
    try:
        moved = pipeline.advance_stage(approval.application_id, target, actor=actor, source="approval",
                                       reason=f"录用审批 {approval.sp_no} 状态 {status}")
    except pipeline.IllegalTransition as exc:
        return EventStatus.REFUSED, exc.message
    return EventStatus.HANDLED, f"approval {status}: " + ("no change" if moved is None else f"stage event {moved.id}")


OFFER_APPROVAL_REVOKED = JobSpec(approval_revoked, FAST, "approval-revoked-{0}")

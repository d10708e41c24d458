"""The candidate's pages of the process, under their token: choose a second-round time (/i/<token>/second-round),
the background check's consent and items (/i/<token>/check) and the offer (/i/<token>/offer, the letter as PDF at
/i/<token>/offer.pdf)."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from app.conversation.services import open_conversation
from app.errors import AppError, NotFound
from app.extensions import settings
from app.process import checks, offers, onboarding, scheduling
from app.process.models import CheckStatus, Format, OfferStatus
from app.rate_limits import token_miss_limit

bp = Blueprint("process", __name__, url_prefix="/i")
token_miss_limit(bp)


def _application(token):
    return open_conversation(token).application


def _page(template, token, application, **extra):
    return render_template(template, token=token, application=application, job=application.job,
                           company=settings["COMPANY_NAME"], **extra)


@bp.get("/<token>/second-round")
def second_round(token):
    application = _application(token)
    round_ = scheduling.round_of(application.id)
    booking = scheduling.booking_of(round_)
    return _page("process/candidate_round.html", token, application, round=round_, booking=booking,
                 slots=scheduling.open_slots(round_) if round_ else [], formats=Format.LABELS,
                 when=scheduling.when, open=application.stage == "second_round")


@bp.post("/<token>/second-round")
def second_round_post(token):
    application = _application(token)
    round_ = scheduling.round_of(application.id)
    try:
        if round_ is None:
            raise AppError("还没有安排复试 No second round yet", code="no_round", status=404)
        action = request.form.get("action", "book")
        if action == "book":
            scheduling.book(round_.id, request.form.get("slot_id"))
            flash("预约成功,我们会把面试信息发到你的应聘进度页")
        else:
            scheduling.answer_without_booking(round_.id, action, request.form.get("note", ""))
            flash("已告知HR" if action == "other_time" else "已告知HR你不参加复试")
    except AppError as exc:
        flash(exc.message)
    return redirect(url_for("process.second_round", token=token))


@bp.get("/<token>/check")
def check(token):
    from app.conversation.models import Attachment
    application = _application(token)
    order = checks.order_of(application.id)
    files = list(Attachment.select().where(Attachment.application == application.id).order_by(Attachment.id.desc()))
    return _page("process/candidate_check.html", token, application, order=order, items=checks.items_of(order),
                 consent_text=checks.CONSENT_TEXT, consent_version=checks.CONSENT_VERSION, files=files,
                 statuses=CheckStatus)


@bp.post("/<token>/check")
def check_post(token):
    application = _application(token)
    form = request.form
    try:
        if form.get("action") == "consent":
            checks.consent(application.id, form.get("agree") == "yes", form.get("version", ""))
            flash("已授权,请提交下面的材料")
        else:
            attachment = form.get("attachment_id")
            checks.submit_item(application.id, int(form.get("item_id") or 0), form.get("value", ""),
                               int(attachment) if attachment and attachment.isdigit() else None)
            flash("已提交,HR 核实后会通知你")
    except AppError as exc:
        flash(exc.message)
    return redirect(url_for("process.check", token=token))


@bp.get("/<token>/onboarding")
def onboarding_page(token):
    from app.conversation.models import Attachment
    application = _application(token)
    files = list(Attachment.select().where(Attachment.application == application.id).order_by(Attachment.id.desc()))
    return _page("process/candidate_onboarding.html", token, application, items=onboarding.items_of(application.id),
                 offer=offers.offer_of(application.id), files=files, labels=onboarding.ITEM_LABELS)


@bp.post("/<token>/onboarding")
def onboarding_post(token):
    application = _application(token)
    form = request.form
    try:
        attachment = form.get("attachment_id")
        onboarding.submit_item(application.id, int(form.get("item_id") or 0), form.get("value", ""),
                               int(attachment) if attachment and attachment.isdigit() else None)
        flash("已提交,HR 核实后会更新状态")
    except AppError as exc:
        flash(exc.message)
    return redirect(url_for("process.onboarding_page", token=token))


@bp.get("/<token>/offer")
def offer(token):
    application = _application(token)
    offer = offers.offer_of(application.id)
    error = None
    try:
        offers.open_offer(application.id)
    except AppError as exc:
        error = exc.message
    if offer is None or offer.status in (OfferStatus.AWAITING_APPROVAL, OfferStatus.REJECTED):
        offer = None
    heading, lines = offers.letter_lines(offer, settings["COMPANY_NAME"]) if offer else ("", [])
    return _page("process/candidate_offer.html", token, application, offer=offer, heading=heading, lines=lines,
                 error=error, statuses=OfferStatus)


@bp.post("/<token>/offer")
def offer_post(token):
    application = _application(token)
    accept = request.form.get("action") == "accept"
    try:
        offers.answer(application.id, accept, request.form.get("typed_name", ""), request.form.get("reason", ""))
        flash("你已接受录用通知,欢迎加入!HR 会联系你准备入职。" if accept else "已收到你的答复,感谢你的时间。")
    except AppError as exc:
        flash(exc.message)
    return redirect(url_for("process.offer", token=token))


@bp.get("/<token>/offer.pdf")
def offer_pdf(token):
    application = _application(token)
    offer = offers.offer_of(application.id)
    if offer is None or offer.status in (OfferStatus.AWAITING_APPROVAL, OfferStatus.REJECTED):
        raise NotFound("暂无录用通知 There is no offer for you yet", code="no_offer")
    pdf = offers.letter_pdf(offer, settings["COMPANY_NAME"])
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": "inline; filename=offer.pdf", "Cache-Control": "no-store"})


def status_links(application):
    """The process sections of the candidate's status page: [(title, text, url_endpoint)]."""
    items = []
    round_ = scheduling.round_of(application.id)
    if round_ is not None and application.stage == "second_round":
        booking = scheduling.booking_of(round_)
        items.append(("复试", f"已约 {scheduling.when(booking.slot)}" if booking else "请选择复试时间",
                      "process.second_round"))
    order = checks.order_of(application.id)
    if order is not None and application.stage == "background_check":
        items.append(("背景调查", CheckStatus.LABELS[order.status], "process.check"))
    offer = offers.offer_of(application.id)
    if offer is not None and offer.status not in (OfferStatus.AWAITING_APPROVAL, OfferStatus.REJECTED):
        items.append(("录用通知", OfferStatus.LABELS[offer.status], "process.offer"))
    if application.stage == "onboarding":
        left = len(onboarding.outstanding(application.id))
        items.append(("入职准备", f"还有 {left} 项待完成" if left else "材料已齐", "process.onboarding_page"))
    return items

"""The candidate's pages of the process, under their token: choose a second-round time (/i/<token>/second-round),
the background check's consent and items (/i/<token>/check) and the offer (/i/<token>/offer, the letter as PDF at
/i/<token>/offer.pdf)."""
from functools import partial

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from app.conversation import filetypes
from app.conversation.attachments import max_bytes
from app.core import domains, forms
from app.core.converters import parse_int
from app.core.errors import AppError, BadRequest, Conflict, NotFound
from app.core.extensions import settings
from app.core.rate_limits import token_miss_limit
from app.interview.invitations import open_link, token_exists
from app.process import availability, checks, documents, offer_letter, offer_withdrawal, offers, onboarding, scheduling
from app.process.models import CheckStatus, Format, ItemStatus, OfferStatus

bp = Blueprint("process", __name__, url_prefix="/i")
token_miss_limit(bp, token_exists)


def _application(token):
    """The application of the token; the status page instead once the candidate's data was deleted."""
    application = open_link(token).application
    if domains.final_page(application) is not None:
        abort(redirect(url_for("conversation.status", token=token)))
    return application


def _page(template, token, application, **extra):
    return render_template(template, token=token, application=application, job=application.job,
                           company=settings["COMPANY_NAME"], **extra)


def _item_form(form):
    """(item id, attachment id or None) of a check or onboarding item form; BadRequest when not ids."""
    try:
        attachment = form.get("attachment_id")
        return parse_int(form.get("item_id", ""), low=1), parse_int(attachment, low=1) if attachment else None
    except ValueError:
        raise BadRequest("材料或文件编号不正确,请刷新页面后重试 Invalid item or file number",
                         code="bad_item_id") from None


@bp.get("/<token>/second-round")
def second_round(token):
    application = _application(token)
    round_ = scheduling.round_of(application.id)
    booking = scheduling.booking_of(round_)
    started = scheduling.has_started(booking)   # it took place: nothing to move, ask for or decline any more
    return _page("process/candidate_round.html", token, application, round=round_, booking=booking,
                 slots=scheduling.open_slots(round_) if round_ else [], formats=Format.LABELS,
                 when=availability.when, open=application.stage == "second_round" and not started,
                 ended=started and not scheduling.upcoming_booking(application.id),
                 confirm_decline=request.args.get("confirm") == "decline")


@bp.post("/<token>/second-round")
def second_round_post(token):
    application = _application(token)
    round_ = scheduling.round_of(application.id)
    action = request.form.get("action", "book")
    if round_ is None:
        flash("还没有安排复试 No second round yet", "error")
    elif action == "book":
        forms.run(lambda: scheduling.book(round_.id, request.form.get("slot_id")),
                  "预约成功,我们会把面试信息发到你的应聘进度页")
    elif action == "declined" and request.form.get("confirm") != "yes":
        # Declining ends the second round: ask once more on the page (no script needed).
        return redirect(url_for("process.second_round", token=token, confirm="decline") + "#confirm-decline")
    else:
        forms.run(lambda: scheduling.answer_without_booking(round_.id, action, request.form.get("note", ""),
                                                            confirmed=request.form.get("confirm") == "yes"),
                  "已告知HR你希望换个时间" if action == "other_time" else "已告知HR你不参加复试")
    return redirect(url_for("process.second_round", token=token))


def _documents(token, application, items, form_name):
    """What a page of items with document uploads needs: the documents uploaded before, the upload's settings, and
    what a refused item's form held (its draft: the typed value and the file picked) by item id."""
    return {"files": documents.uploaded(application.id), "max_bytes": max_bytes(), "accepted": filetypes.DOCUMENTS,
            "documents_config": {"token": token, "apiBase": url_for("conversation_api.show"),
                                 "maxBytes": max_bytes()},
            "drafts": forms.take_drafts(form_name, [item.id for item in items])}


def _submit_item(form_name, submit, form, done):
    """Run an item's submit; a refused one keeps what the form held for the page the redirect shows."""
    try:
        draft = (form_name, _item_form(form)[0], forms.typed(("value", "attachment_id")))
    except BadRequest:
        draft = None  # no item to keep a draft for (the refusal says so)
    forms.run(lambda: submit(*_item_fields(form)), done, draft=draft)


@bp.get("/<token>/check")
def check(token):
    application = _application(token)
    order = checks.order_of(application.id)
    items = checks.items_of(order)
    return _page("process/candidate_check.html", token, application, order=order, items=items,
                 consent_text=checks.CONSENT_TEXT, consent_version=checks.CONSENT_VERSION, statuses=CheckStatus,
                 labels=ItemStatus.LABELS, ended=checks.ended(application),
                 **_documents(token, application, items, "check-item"))


@bp.post("/<token>/check")
def check_post(token):
    application = _application(token)
    form = request.form
    if form.get("action") == "consent":
        forms.run(lambda: checks.consent(application.id, form.get("agree") == "yes", form.get("version", "")),
                  "已授权,请提交下面的材料")
    else:
        _submit_item("check-item", partial(checks.submit_item, application.id), form, "已提交,HR 核实后会通知你")
    return redirect(url_for("process.check", token=token))


def _item_fields(form):
    """(item id, typed value, attachment id) of a check or checklist item's form (BadRequest when not ids)."""
    item_id, attachment_id = _item_form(form)
    return item_id, form.get("value", ""), attachment_id


@bp.get("/<token>/onboarding")
def onboarding_page(token):
    application = _application(token)
    items = onboarding.items_of(application.id)
    return _page("process/candidate_onboarding.html", token, application, items=items,
                 offer=offers.offer_of(application.id), labels=ItemStatus.LABELS, ended=onboarding.ended(application),
                 **_documents(token, application, items, "onboarding-item"))


@bp.post("/<token>/onboarding")
def onboarding_post(token):
    application = _application(token)
    _submit_item("onboarding-item", partial(onboarding.submit_item, application.id), request.form,
                 "已提交,HR 核实后会更新状态")
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
    if offer is None or offer.status in OfferStatus.UNSEEN:
        offer = None
    # A letter HR withdrew is not shown again (its terms were wrong, or the offer no longer stands).
    letter = offer is not None and offer.status != OfferStatus.WITHDRAWN
    title, lines = offer_letter.letter_lines(offer, settings["COMPANY_NAME"]) if letter else ("", [])
    withdrawal = (offer_withdrawal.candidate_text(offer_withdrawal.told_reason(offer))
                  if offer is not None and not letter else "")
    return _page("process/candidate_offer.html", token, application, offer=offer, letter_title=title, lines=lines,
                 error=error, statuses=OfferStatus, state=offers.candidate_label(offer) if offer else "",
                 withdrawal=withdrawal,
                 draft=forms.take_draft("offer-answer", application.id) or {})


@bp.post("/<token>/offer")
def offer_post(token):
    application = _application(token)
    accept = request.form.get("action") == "accept"
    answered, _ = forms.run(lambda: offers.answer(application.id, accept, request.form.get("typed_name", ""),
                                                  request.form.get("reason", "")),
                            "你已接受录用通知,欢迎加入!请在下面的「准备入职材料」里提交入职清单。" if accept
                            else "已收到你的答复,感谢你的时间。",
                            draft=("offer-answer", application.id, forms.typed(("typed_name", "reason"))))
    current = offers.offer_of(application.id)
    if not answered and current is not None and current.status == OfferStatus.WITHDRAWN:
        # HR withdrew the offer: before the page was opened, or between the answer's check and its save (the
        # answer's conditional update then changed nothing). Refused with 409; the page says why.
        return offer(token), 409
    return redirect(url_for("process.offer", token=token))


@bp.get("/<token>/offer.pdf")
def offer_pdf(token):
    application = _application(token)
    offer = offers.offer_of(application.id)
    if offer is None or offer.status in OfferStatus.UNSEEN:
        raise NotFound("暂无录用通知 There is no offer for you yet", code="no_offer")
    if offer.status == OfferStatus.WITHDRAWN:
        raise Conflict(offer_withdrawal.REFUSED_TEXT, code="offer_withdrawn")
    pdf = offer_letter.letter_pdf(offer, settings["COMPANY_NAME"])
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": "inline; filename=offer.pdf"})


def status_links(application):
    """The process sections of the candidate's status page: [(title, text, url_endpoint)]."""
    items = []
    round_ = scheduling.round_of(application.id)
    if round_ is not None and application.stage == "second_round":
        booking = scheduling.booking_of(round_)
        answered = {"declined": "你已婉拒复试", "other_time": "已申请其他时间,等 HR 提供"}
        text = (f"已约 {availability.when(booking.slot)}" if booking
                else answered.get(round_.candidate_answer, "请选择复试时间"))
        items.append(("复试", text, "process.second_round"))
    order = checks.order_of(application.id)
    offer = offers.offer_of(application.id)
    # Back at background_check with an offer (HR withdrew it, or cancelled it in its approval) the check is behind
    # the candidate: its 已完成 beside the withdrawn offer would say the process went back to it.
    if order is not None and application.stage == "background_check" and offer is None:
        items.append(("背景调查", CheckStatus.CANDIDATE_LABELS[order.status], "process.check"))
    if offer is not None and offer.status not in OfferStatus.UNSEEN:
        items.append(("录用通知", offers.candidate_label(offer), "process.offer"))
    if application.stage == "onboarding":
        # What the candidate still has to send (an item HR sent back included); the rest waits for HR.
        outstanding = onboarding.outstanding(application.id)
        to_send = sum(i.status in (ItemStatus.PENDING, ItemStatus.PROBLEM) for i in outstanding)
        text = f"还有 {to_send} 项待提交" if to_send else "材料已提交,HR 核实中" if outstanding else "材料已齐"
        items.append(("入职准备", text, "process.onboarding_page"))
    return items

"""What interviewers use (/m): the round page (关注点, the blind scorecard, side by side with the AI scores once
their own is in, the second-round decision for the job's managers), their list of rounds, and the times they are
available (HR enters them for anyone)."""
from flask import Blueprint, redirect, render_template, request, url_for

from app.core import forms
from app.core import staff as staff_access
from app.core.access import current_staff, login_required
from app.core.base import utcnow
from app.core.pipeline import STAGE_LABELS
from app.process import availability as interviewer_times
from app.process import round_decisions, scheduling, scorecards
from app.process.models import RECOMMENDATIONS, Format
from app.wecom import users

bp = Blueprint("interviewers", __name__, url_prefix="/m")


# -- the round page: 关注点, scorecard, side by side, decision ----------------------------------------------
@bp.get("/rounds/<int:round_id>")
@login_required
def round_page(round_id):
    member = current_staff()
    round_ = scorecards.round_for_interviewer(round_id, member.userid)
    application = round_.application
    on_panel = member.userid in round_.interviewers
    manages = staff_access.can_manage(member, application.job_id)
    booking = scheduling.booking_of(round_)
    mine = scorecards.mine(round_, member.userid)
    # A manager on the panel is blind like any interviewer until their own scorecard is in.
    sees_all = manages and not scorecards.blind(round_, member.userid)
    return render_template(
        "process/round.html", staff=member, round=round_, application=application, booking=booking,
        name=users.display_name,
        on_panel=on_panel, manages=manages, mine=mine,
        started=bool(booking and booking.slot.start_at <= utcnow()),
        visible=scorecards.visible_scorecards(round_, member.userid), focus=scorecards.focus_points(round_),
        dimensions=scorecards.dimensions(round_), scores=scorecards.SCORE_LABELS, tags=scorecards.CONCERN_TAGS,
        recommendations=RECOMMENDATIONS, compare=scorecards.side_by_side(round_) if sees_all else None,
        missing=scorecards.missing(round_), decisions=round_decisions.DECISIONS,
        can_decide=manages and round_decisions.can_decide(application), when=interviewer_times.when,
        decided=round_decisions.decided_note(application.id) if manages else None,
        formats=Format.LABELS, stage_label=STAGE_LABELS.get(application.stage, application.stage),
        draft=forms.take_draft("scorecard", round_.id) or {})


@bp.post("/rounds/<int:round_id>/scorecard")
@login_required
def submit_scorecard(round_id):
    # The comments written are not lost: a refused form is filled again beside the reason.
    typed = {k: v[:2000] for k, v in request.form.items() if k.startswith(("score_", "comment_"))}
    forms.run(lambda: scorecards.submit(round_id, current_staff().userid, request.form), "评分表已提交",
              draft=("scorecard", round_id, {**typed, **forms.typed(("recommendation", "summary")),
                                             "concerns": request.form.getlist("concerns")}))
    return redirect(url_for("interviewers.round_page", round_id=round_id))


@bp.get("/my-rounds")
@login_required
def my_rounds():
    member = current_staff()
    return render_template("process/my_rounds.html", staff=member,
                           rounds=scheduling.rounds_of_interviewer(member.userid), when=interviewer_times.when,
                           booking_of=scheduling.booking_of, mine=scorecards.mine)


# -- availability --------------------------------------------------------------------------------------
@bp.get("/availability")
@login_required
def availability():
    member = current_staff()
    userid = request.args.get("userid", member.userid) if member.is_hr else member.userid
    found = users.directory() if member.is_hr else None  # HR picks whose times to enter
    names = dict(found.members) if found else {}
    return render_template("process/availability.html", staff=member, userid=userid, directory=found,
                           name=names.get(userid) or users.display_name(userid),
                           windows=interviewer_times.windows_of([userid]),
                           draft=forms.take_draft("availability", userid) or {})


@bp.post("/availability")
@login_required
def add_availability():
    member = current_staff()
    userid = (request.form.get("userid") or member.userid).strip() if member.is_hr else member.userid

    def act():
        start = interviewer_times.parse_local(request.form.get("start"), "开始时间")
        end = interviewer_times.parse_local(request.form.get("end"), "结束时间")
        return interviewer_times.add_window(userid, start, end, member.userid)
    forms.run(act, "可用时间已登记", draft=("availability", userid, forms.typed(("start", "end"))))
    return redirect(url_for("interviewers.availability", userid=userid))


@bp.post("/availability/<int:window_id>/delete")
@login_required
def delete_availability(window_id):
    forms.run(lambda: interviewer_times.delete_window(window_id, current_staff()), "已删除")
    return redirect(url_for("interviewers.availability", userid=request.form.get("userid", "")))

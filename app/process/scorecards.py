"""Interviewer scorecards: the job's competency dimensions rated 1-5 with a required comment each, concern tags
and a recommendation. A scorecard is submitted once (UNIQUE round + interviewer) and other interviewers'
scorecards stay hidden from an interviewer until they submitted their own. HR and the job's managers see them
side by side with the AI report's scores once any is in, and hear when all are in."""
from peewee import IntegrityError

from app.core import jobs, links, staff, sweeps, synthetic
from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, Forbidden, found
from app.core.jobs import JobSpec
from app.core.models import Application, Note
from app.core.queues import FAST
from app.core.tx import transaction
from app.interview import reports, result_cards
from app.process import audit, notices, round_decisions
from app.process.models import RECOMMENDATIONS, ProcessEvent, Round, Scorecard
from app.process.scheduling import booking_of
from app.wecom import users
from app.wecom.messages import plain

SCORES = (1, 2, 3, 4, 5)
SCORE_LABELS = {1: "明显不足", 2: "不足", 3: "达标", 4: "良好", 5: "突出"}
CONCERN_TAGS = ("技术深度不足", "表达不清", "稳定性存疑", "薪资预期偏高", "团队协作", "诚信存疑", "经验不匹配",
                "动机不明确")
MAX_COMMENT = 500


def round_for_interviewer(round_id, userid):
    round_ = found(Round.get_or_none(Round.id == round_id), "找不到该复试 Round not found", code="round_not_found")
    if userid not in round_.interviewers:
        member = staff.load_staff(userid)
        if not staff.can_view_application(member, round_.application):
            raise Forbidden("你不是这场复试的面试官 You are not on this panel", code="not_interviewer")
    return round_


def dimensions(round_):
    return [(d.name, d.description) for d in round_.application.job.ordered_dimensions()]


def focus_author(round_):
    """Who wrote the round's 关注点, as the page labels it ("HR 李娜", "用人经理 张伟"): whoever last saved the round
    (its latest round_opened step; the focus is saved with the rest of the round's form)."""
    event = (ProcessEvent.select().where((ProcessEvent.application == round_.application_id)
                                         & (ProcessEvent.kind == "round_opened"))
             .order_by(ProcessEvent.created_at.desc(), ProcessEvent.id.desc()).first())
    userid = event.actor if event else round_.created_by
    role = ("HR" if userid in staff.hr_userids()
            else "用人经理" if userid in (round_.application.job.manager_userids or []) else "")
    return f"{role} {users.display_name(userid)}".strip()


def focus_points(round_):
    """关注点 shown to interviewers before the interview: the AI report's flags and weakest dimensions, the notes
    for the round of whoever arranged it (HR or a manager, `focus_by`) and the notes on the application."""
    report = reports.latest_report(round_.application_id)
    points = []
    if report is not None:
        points += [f"AI提示:{f.get('message', f.get('code'))}" for f in report.flags or []]
        scored = [(name, d.get("score")) for name, d in (report.dimensions or {}).items() if d.get("score") is not None]
        points += [f"AI评分偏低:{name} {score:.0f}" for name, score in sorted(scored, key=lambda x: x[1])[:2]
                   if score < 70]
    notes = [f"{users.display_name(n.author)}:{n.body}" for n in
             Note.select().where(Note.application == round_.application_id).order_by(Note.created_at)]
    return {"focus": round_.focus, "focus_by": focus_author(round_) if round_.focus else "", "points": points,
            "notes": notes, "report": report}


def mine(round_, userid):
    return Scorecard.get_or_none((Scorecard.round == round_.id) & (Scorecard.interviewer == userid))


def blind(round_, userid):
    """Whether `userid` sits on the round's panel with no scorecard in yet: they read nobody else's verdict, on any
    page (the round page, the application page's trail)."""
    return userid in round_.interviewers and mine(round_, userid) is None


def visible_scorecards(round_, userid):
    """What `userid` may read: everything for HR/managers of the job who are not on the panel; for a panel
    member, the others' only after their own is in."""
    if blind(round_, userid):
        return []
    return list(Scorecard.select().where(Scorecard.round == round_.id).order_by(Scorecard.submitted_at))


def submit(round_id, userid, form, now=None):
    """Validate and store one scorecard; the second submit of the same interviewer is refused."""
    now = now or utcnow()
    round_ = Round.get_or_none(Round.id == round_id)
    if round_ is None or userid not in round_.interviewers:
        raise Forbidden("你不是这场复试的面试官 You are not on this panel", code="not_interviewer")
    booking = booking_of(round_)
    if booking is None or booking.slot.start_at > now:
        raise Conflict("面试开始后才能填写评分表 The scorecard opens when the interview starts",
                       code="interview_not_started")
    if mine(round_, userid) is not None:
        raise Conflict("你已提交过评分表 You already submitted your scorecard", code="scorecard_submitted")
    ratings = {}
    for index, (name, _) in enumerate(dimensions(round_)):
        raw = form.get(f"score_{index}")
        comment = (form.get(f"comment_{index}") or "").strip()
        try:
            score = int(raw)
        except (TypeError, ValueError):
            score = 0
        if score not in SCORES:
            raise BadRequest(f"请为「{name}」打 1-5 分 Rate {name} from 1 to 5", code="score_required",
                             dimension=name)
        if not comment:
            raise BadRequest(f"请为「{name}」写评语 A comment for {name} is required", code="comment_required",
                             dimension=name)
        ratings[name] = {"score": score, "comment": comment[:MAX_COMMENT]}
    concerns = [t for t in form.getlist("concerns") if t in CONCERN_TAGS] if hasattr(form, "getlist") else \
        [t for t in form.get("concerns", []) if t in CONCERN_TAGS]
    recommendation = form.get("recommendation")
    if recommendation not in RECOMMENDATIONS:
        raise BadRequest("请选择推荐意见 Pick a recommendation", code="recommendation_required")
    try:
        with transaction():
            card = Scorecard.create(round=round_, interviewer=userid, ratings=ratings, concerns=concerns,
                                    recommendation=recommendation,
                                    summary=(form.get("summary") or "").strip()[:MAX_COMMENT])
            audit.record(round_.application_id, "scorecard", userid, RECOMMENDATIONS[recommendation])
            if all_in(round_):
                audit.record(round_.application_id, "scorecards_complete", "system",
                             f"{len(round_.interviewers)} 份")
                jobs.enqueue_after_commit(NOTIFY_SCORECARDS_DONE, round_.id)
                jobs.enqueue_after_commit(round_decisions.PUSH_ROUND_CARD, round_.id,
                                          recovery="process's sweep sends the card")
    except IntegrityError:
        raise Conflict("你已提交过评分表 You already submitted your scorecard", code="scorecard_submitted") from None
    return card


def missing(round_):
    done = {s.interviewer for s in Scorecard.select(Scorecard.interviewer).where(Scorecard.round == round_.id)}
    return [u for u in round_.interviewers if u not in done]


def all_in(round_):
    return not missing(round_)


def notify_done(round_id):
    """HR and the job's managers: all scorecards are in (once); those who decide get the round's card instead
    (round_decisions.PUSH_ROUND_CARD)."""
    round_ = Round.get_by_id(round_id)
    application = round_.application
    cards = list(Scorecard.select().where(Scorecard.round == round_id))
    votes = "、".join(f"{users.display_name(c.interviewer)} {RECOMMENDATIONS[c.recommendation]}" for c in cards)
    deciders = set(result_cards.recipients(application))
    recipients = [u for u in staff.hr_and_managers(application.job) if u not in deciders]
    return notices.to_members(f"sc-done:{round_id}", application.id, "scorecards_complete", recipients,
                              f"**复试评分表已全部提交** · {plain(application.candidate.name)} · "
                              f"{application.job.title}\n"
                              f"> {votes}\n[对比AI评分并做复试决定]({links.absolute(f'/m/rounds/{round_id}')})")


def resume_unsent_cards():
    """Process's sweep: the decision card (round_decisions) of every round whose scorecards are all in while its
    application still waits at second_round, when it never went out (also a round finished before cards existed),
    failed transiently or died with its worker. Returns how many were enqueued."""
    count = 0
    for round_ in Round.select().join(Application).where(
            (Application.stage == round_decisions.STAGE) & Application.job.not_in(synthetic.synthetic_jobs())):
        card = result_cards.card_of(round_decisions.card_key(round_.id))
        if result_cards.needs_send(card) and round_.interviewers and all_in(round_):
            jobs.enqueue(round_decisions.PUSH_ROUND_CARD, round_.id, key=sweeps.key())
            count += 1
    return count


def side_by_side(round_):
    """Rows per dimension: the AI score (0-100), then each submitted scorecard's 1-5 score and comment."""
    report = reports.latest_report(round_.application_id)
    cards = list(Scorecard.select().where(Scorecard.round == round_.id).order_by(Scorecard.submitted_at))
    rows = []
    for name, _ in dimensions(round_):
        ai = (report.dimensions or {}).get(name, {}).get("score") if report else None
        marks = [c.ratings.get(name) for c in cards]
        scores = [m["score"] for m in marks if m]
        rows.append({"name": name, "ai": ai, "marks": marks,
                     "mean": round(sum(scores) / len(scores), 1) if scores else None})
    return {"rows": rows, "cards": cards, "report": report,
            "ai_total": reports.total_text(report.total) if report else "—"}


def scorecard_card(round_, userid):
    """The text_notice card that asks an interviewer for their scorecard (links to it)."""
    application = round_.application
    # unique per send: WeCom refuses a task_id its app has seen before (result_cards.new_task_id)
    task_id = result_cards.new_task_id(f"sc-{round_.id}-{userid}".replace(".", "_"))
    return {"card_type": "text_notice", "task_id": task_id,
            "main_title": {"title": "请填写复试评分表",
                           "desc": f"{application.candidate.name} · {application.job.title}"[:44]},
            "sub_title_text": "按岗位能力维度打分(1-5分,每项需写评语),提交后可看到其他面试官的评分。",
            "card_action": {"type": 1, "url": links.absolute(f"/m/rounds/{round_.id}")}}


NOTIFY_SCORECARDS_DONE = JobSpec(notify_done, FAST, "scorecards-done-{0}")

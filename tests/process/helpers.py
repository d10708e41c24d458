"""Helpers of the process tests: an application at second_round with a candidate token, a round with
availability, times in the future."""
import datetime as dt

from app.core import pipeline
from app.core.base import utcnow
from app.core.localtime import local_time
from app.core.models import Application
from app.interview.invitations import invite_candidate
from app.process import availability, scheduling
from app.process.models import Slot


def at_second_round(job, name="李明", phone="13800001234"):
    """An invited candidate (token) whose application went through the AI interview to second_round."""
    interview, token = invite_candidate(job.id, name, phone)
    for stage in ("ai_in_progress", "ai_completed", "ai_scored", "second_round"):
        pipeline.advance_stage(interview.application_id, stage, actor="zhangwei", source="system")
    return Application.get_by_id(interview.application_id), token


def hour(days=2, hour_=2):
    """A whole hour `days` from now (naive UTC), so slots are always in the future."""
    base = (utcnow() + dt.timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    return base.replace(hour=hour_)


def available(userids, start, hours=8):
    for userid in userids:
        availability.add_window(userid, start, start + dt.timedelta(hours=hours), "hr_lina", check_member=False)


def round_with_slots(application, starts, interviewers=("zhangwei", "wangfang"), fmt="meeting", place="",
                     check_members=False):
    round_ = scheduling.open_round(application.id, "hr_lina", interviewers=list(interviewers), duration_min=60,
                                   fmt=fmt, place=place, focus="重点问分布式事务", check_members=check_members)
    slots = [scheduling.add_slot(round_.id, start, "hr_lina") for start in starts]
    return round_, slots


def held_round(application, days=2, started_hours_ago=2, synced=None):
    """A round of zhangwei and wangfang booked `days` ahead, then moved into the past (the interview took place,
    so scorecards open); `synced()` runs before the move (a worker making the WeCom schedule of the booking as
    it was). Returns (round, booking)."""
    start = hour(days=days)
    available(["zhangwei", "wangfang"], start)
    round_, (slot,) = round_with_slots(application, [start])
    booking = scheduling.book(round_.id, slot.id)
    if synced:
        synced()
    held = utcnow() - dt.timedelta(hours=started_hours_ago)
    Slot.update(start_at=held, end_at=held + dt.timedelta(hours=1)).where(Slot.id == slot.id).execute()
    return round_, booking


def scored_with_report(job, name="李明", phone="13800001234"):
    """An invited candidate whose interview is done and scored (a report with flags), at ai_scored."""
    from app.interview.models import Interview, Report
    interview, token = invite_candidate(job.id, name, phone)
    for stage in ("ai_in_progress", "ai_completed"):
        pipeline.advance_stage(interview.application_id, stage, actor="system", source="system")
    Interview.update(status="completed", completed_at=utcnow()).where(Interview.id == interview.id).execute()
    dims = {d.name: {"score": 60.0 + 8 * i, "weight": d.weight, "answers": [], "evidence": []}
            for i, d in enumerate(job.ordered_dimensions())}
    Report.create(interview=interview, total=72.0, model_version="t", dimensions=dims,
                  flags=[{"code": "no_face", "message": "第2题长时间未检测到人脸", "question": 2}])
    pipeline.advance_stage(interview.application_id, "ai_scored", actor="system", source="system")
    return Application.get_by_id(interview.application_id), token


def local_input(value):
    """A naive UTC datetime as a datetime-local input value in the display zone."""
    return local_time(value, "%Y-%m-%dT%H:%M")



def cleared_for_offer(job, name="李明", phone="13800001234"):
    """(application, token) through the second round and a background check whose problem HR waived: an offer
    can be made."""
    from app.process import checks
    application, token = at_second_round(job, name, phone)
    moved = pipeline.advance_stage(application.id, "background_check", actor="zhangwei", source="web")
    checks.start_check(moved.id)   # the stage's follow-up job, run here
    order = checks.consent(application.id, True, checks.CONSENT_VERSION)
    education = checks.items_of(order)[0]
    checks.submit_item(application.id, education.id, "A1B2C3D4E5F6")
    checks.verify_item(application.id, education.id, "hr_lina", False, "学历待复核")
    checks.decide_problem(application.id, "hr_lina", True, "先发 Offer,入职前补齐")
    return application, token


def offer_awaiting_approval(job, salary="36000"):
    """(application, token, offer): through the second round, the background check waived by HR, and an offer
    above the job's salary band, so a WeCom approval started in the sandbox (needs wecom_env)."""
    from app.process import offers
    application, token = cleared_for_offer(job)
    offers.save_policy(job, "hr_lina", {"salary_min": "20000", "salary_max": "30000", "min_notice_days": "14",
                                        "probation_months": "3", "valid_days": "5", "place": "上海"})
    start = (offers.today() + dt.timedelta(days=20)).isoformat()
    offer = offers.create_offer(application.id, "hr_lina", {"salary": salary, "start_date": start})
    assert offer.sp_no, "the offer did not need an approval"
    return Application.get_by_id(application.id), token, offer


class Form(dict):
    """A posted form as the scorecard reads it (`getlist` for the ticked concerns)."""
    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def scorecard_form(round_, score, recommendation="yes", comment=None, concerns=()):
    """A filled scorecard of `round_`: every dimension scored `score` with a comment (`comment`, or one naming the
    question)."""
    from app.process import scorecards
    form = Form(recommendation=recommendation, concerns=list(concerns))
    for i, _ in enumerate(scorecards.dimensions(round_)):
        form[f"score_{i}"] = str(score)
        form[f"comment_{i}"] = comment or f"依据第{i + 1}题的回答"
    return form


def all_scorecards_in(job, concerns=()):
    """An application of `job` at the second round, booked and held, whose two interviewers (zhangwei, the job's
    manager, and wangfang) submitted their scorecards; (application, round)."""
    import datetime as dt

    from app.process import scheduling, scorecards
    application, _ = at_second_round(job)
    start = hour()
    available(["zhangwei", "wangfang"], start)
    round_, (slot,) = round_with_slots(application, [start])
    scheduling.book(round_.id, slot.id)
    after = slot.end_at + dt.timedelta(minutes=5)
    scorecards.submit(round_.id, "zhangwei", scorecard_form(round_, 4, concerns=concerns), now=after)
    scorecards.submit(round_.id, "wangfang", scorecard_form(round_, 3, "strong_yes", concerns=concerns), now=after)
    return application, round_

"""Interviewers' availability: the times they can do a second round (entered by them or HR), and the time helpers
of the round pages (local time in, UTC stored)."""
import datetime as dt
import re

from app.core.base import utcnow
from app.core.errors import BadRequest, Forbidden, found
from app.core.localtime import local_time, local_weekday, to_utc
from app.core.tx import transaction
from app.process.models import InterviewerWindow
from app.wecom import users

USERID_RE = re.compile(r"^[0-9A-Za-z_\-@.]{1,64}$")  # a WeCom userid


# -- times ------------------------------------------------------------------------------------------------
def parse_local(value, what="时间"):
    """A datetime-local value in the display zone ("2026-12-01T14:00", app/core/localtime.py) as naive UTC."""
    try:   # year 1 (a datetime-local input takes it) has no UTC: OverflowError
        return to_utc(dt.datetime.fromisoformat(str(value or "").strip()))
    except (ValueError, OverflowError):
        raise BadRequest(f"{what}格式不对,请选择日期和时间 Invalid date and time (YYYY-MM-DDTHH:MM)",
                         code="bad_time") from None


def unix(value):
    return int(value.replace(tzinfo=dt.UTC).timestamp())


def when(slot):
    """"12月01日 周二 14:00-15:00" in the display zone (a day is chosen by its weekday as much as its date)."""
    return (f"{local_time(slot.start_at, '%m月%d日')} {local_weekday(slot.start_at)} "
            f"{local_time(slot.start_at, '%H:%M')}-{local_time(slot.end_at, '%H:%M')}")


# -- availability -----------------------------------------------------------------------------------------
def add_window(userid, start_at, end_at, actor, check_member=True):
    """An interviewer's available time; `userid` must be a WeCom member (staff.require_members)."""
    if not USERID_RE.match(userid or ""):
        raise BadRequest("面试官账号格式不对 Invalid userid", code="bad_userid")
    if end_at <= start_at:
        raise BadRequest("结束时间要晚于开始时间 The end must be after the start", code="bad_window")
    if end_at <= utcnow():
        raise BadRequest("不能登记过去的时间 The window is in the past", code="window_in_past")
    if end_at - start_at > dt.timedelta(days=14):
        raise BadRequest("一次最多登记14天 At most 14 days per window", code="window_too_long")
    if check_member:
        users.require_members([userid])
    with transaction():   # touching or repeated parts become one window: a slot across the join fits (covered)
        joined = list(InterviewerWindow.select().where((InterviewerWindow.userid == userid)
                                                       & (InterviewerWindow.start_at <= end_at)
                                                       & (InterviewerWindow.end_at >= start_at)))
        start_at, end_at = min([start_at, *(w.start_at for w in joined)]), max([end_at, *(w.end_at for w in joined)])
        InterviewerWindow.delete().where(InterviewerWindow.id.in_([w.id for w in joined])).execute()
        return InterviewerWindow.create(userid=userid, start_at=start_at, end_at=end_at, created_by=actor)


def windows_of(userids, now=None):
    now = now or utcnow()
    return list(InterviewerWindow.select().where(InterviewerWindow.userid.in_(list(userids))
                                                 & (InterviewerWindow.end_at > now))
                .order_by(InterviewerWindow.userid, InterviewerWindow.start_at))


def delete_window(window_id, actor_staff):
    window = found(InterviewerWindow.get_or_none(InterviewerWindow.id == window_id),
                   "没有这个时间段 No such window", code="window_not_found")
    if not (actor_staff.is_hr or window.userid == actor_staff.userid):
        raise Forbidden("只能删除自己的时间 Only your own windows", code="not_your_window")
    window.delete_instance()


def covered(userid, start_at, end_at):
    return InterviewerWindow.select().where((InterviewerWindow.userid == userid)
                                            & (InterviewerWindow.start_at <= start_at)
                                            & (InterviewerWindow.end_at >= end_at)).exists()

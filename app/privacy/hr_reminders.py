"""HR is told in WeCom of a candidate's deletion request: when it comes in, when its deadline is near, and when the
deadline passed while it is still pending, each once (a process.notices key per request and step). A sweep every
five minutes (REMIND_HR) sends them, so a request reaches HR within minutes and no lost job can drop one; `run(now)`
takes the clock as an argument, so tests move time instead of waiting. A request HR started themselves (the whole
record, confirmed at once) needs no reminder."""
import datetime as dt

from app.core import links, staff
from app.core.base import utcnow
from app.core.jobs import JobSpec
from app.core.localtime import local_time, zone_short
from app.core.queues import FAST
from app.privacy.models import DeletionRequest, RequestStatus
from app.process import notices
from app.wecom.messages import plain

KIND = "privacy_request"
DUE_SOON = dt.timedelta(days=2)
HEADINGS = {"new": "数据删除申请", "soon": "数据删除申请即将到期", "late": "数据删除申请已过处理期限"}


def step(request, now):
    """Which reminder a pending request is due: "late" past its deadline, "soon" within DUE_SOON of it, else "new"."""
    if now > request.deadline:
        return "late"
    return "soon" if request.deadline - now <= DUE_SOON else "new"


def run(now=None):
    """Send each pending candidate request the reminder it is due (once); return how many were sent."""
    now = now or utcnow()
    hr = staff.hr_userids()
    if not hr:
        return 0
    sent = 0
    for request in DeletionRequest.select().where((DeletionRequest.status == RequestStatus.PENDING)
                                                  & DeletionRequest.application.is_null(False)):
        due = step(request, now)
        key = f"privacy:{request.id}:{due}"
        if notices.was_sent(key):
            continue
        application = request.application
        deadline = f"{local_time(request.deadline, '%m月%d日 %H:%M')}({zone_short()})"
        when = f"处理期限 {deadline} 已过,请尽快" if due == "late" else f"请在 {deadline} 前"
        text = (f"**{HEADINGS[due]}** · {plain(application.candidate.name)} · {plain(application.job.title)}\n"
                f"候选人申请删除自己的数据。{when}确认删除,或写明依法保留的理由。\n"
                f"[处理申请]({links.absolute('/admin/privacy/')})")
        sent += notices.to_members(key, application.id, KIND, hr, text)
    return sent


REMIND_HR = JobSpec(run, FAST, "privacy-reminders", retries=0)

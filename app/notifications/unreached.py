"""HR hears when a notice that asks the candidate to act (an invitation, slots to choose, an offer) reached them on
no channel within NOTICE_UNREACHED_HOURS: not delivered on 微信客服, no SMS receipt, no email accepted (an
external-contact task HR never confirmed counts as not reached). One WeCom message per notice, to HR_USERIDS, from
the TELL_HR_UNREACHED sweep (every 10 minutes). A notice of a closed application, or one that was cancelled, is
not reported; notices older than three days past the limit are left alone (the first run after an upgrade)."""
import datetime as dt
import logging

from app.core import links, pipeline, staff
from app.core.base import utcnow
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.models import Application
from app.core.queues import FAST
from app.notifications.catalogue import NOTICES
from app.notifications.models import Channel, Notice, NoticeDelivery, State
from app.wecom.errors import WeComError
from app.wecom.messages import plain, send_markdown

log = logging.getLogger(__name__)
WATCHED = ("invitation", "slots_offered", "offer_sent")
LOOK_BACK = dt.timedelta(days=3)


def _channels_line(notice):
    tried = (NoticeDelivery.select().where(NoticeDelivery.notice == notice.id)
             .order_by(NoticeDelivery.created_at, NoticeDelivery.id))
    line = ";".join(f"{Channel.LABELS.get(d.channel, d.channel)} {State.LABELS.get(d.state, d.state)}"
                    + (f":{d.reason}" if d.reason else "") for d in tried)
    return line or notice.reason or "没有可用的渠道(无手机号或未开通短信,也未关联微信)"


def message(notice, application, hours):
    title = NOTICES[notice.notice_key].title
    return (f"**{plain(application.candidate.name)}** 的「{title}」{hours} 小时内未送达候选人"
            f" · {plain(application.job.title)}\n> {plain(_channels_line(notice))}\n"
            f"请电话或其他方式联系候选人。[查看应聘记录]({links.application_url(application.id)})")


def tell_hr(now=None):
    """Tell HR about each watched notice not delivered within the limit, once; returns the notice ids told."""
    now = now or utcnow()
    hours = int(settings.get("NOTICE_UNREACHED_HOURS", 24))
    cutoff = now - dt.timedelta(hours=hours)
    hr = staff.hr_userids()
    rows = Notice.select().where(Notice.notice_key.in_(WATCHED) & Notice.staff_told_at.is_null()
                                 & Notice.state.not_in([State.DELIVERED, State.CANCELLED])
                                 & (Notice.created_at <= cutoff) & (Notice.created_at > cutoff - LOOK_BACK))
    told = []
    for notice in rows.limit(200):
        application = Application.get_or_none(Application.id == notice.application_id)
        if application is None or application.stage not in pipeline.ACTIVE or not hr:
            continue
        # claim first (a conditional UPDATE): two sweeps never both send; a failed send gives the claim back
        if not Notice.update(staff_told_at=now).where((Notice.id == notice.id)
                                                      & Notice.staff_told_at.is_null()).execute():
            continue
        try:
            send_markdown(hr, message(notice, application, hours))
        except WeComError as exc:
            log.warning("HR not told of unreached notice %s: %s", notice.id, exc)
            Notice.update(staff_told_at=None).where(Notice.id == notice.id).execute()
            continue
        told.append(notice.id)
    return told


TELL_HR_UNREACHED = JobSpec(tell_hr, FAST, "tell-hr-unreached", retries=0)

"""Which channels a notice tries, in order, for one candidate: written against small plain inputs (Reach) so the
conversation domain (微信客服 window, external-contact link) and the candidate record (phone, email, SMS consent)
can fill them in without this module importing either.

微信客服 inside its 48 h / 5-message window first (free, read in WeChat), then the external contact where one is
linked, then SMS (not after "T"), then email when the candidate gave one and the notice suits email. A failed
channel falls back to the next (sending.py). The status page shows every notice whatever happens here.
"""
from dataclasses import dataclass

from app.notifications.catalogue import NOTICES
from app.notifications.models import Channel


@dataclass(frozen=True)
class Reach:
    """How the candidate of one application can be reached right now."""
    phone: str = ""              # E.164 mobile number, "" when SMS cannot reach them
    sms_opted_out: bool = False  # they replied T or used the unsubscribe link
    email: str = ""
    kf_customer: str = ""        # 微信客服 external_userid, when linked
    kf_account: str = ""         # its open_kfid
    kf_open: bool = False        # inside the 48 h window with messages left
    external_userid: str = ""    # external contact, when linked
    external_member: str = ""    # the HR member whose contact they are


def plan(notice_key, reach):
    """[{"channel", "address", "via"}] in the order to try; [] when only the status page can show it."""
    spec = NOTICES[notice_key]
    steps = []
    if reach.kf_open and reach.kf_customer:
        steps.append({"channel": Channel.KF, "address": reach.kf_customer, "via": reach.kf_account})
    if reach.external_userid:
        steps.append({"channel": Channel.EXTERNAL, "address": reach.external_userid, "via": reach.external_member})
    if reach.phone and not reach.sms_opted_out:
        steps.append({"channel": Channel.SMS, "address": reach.phone, "via": ""})
    if reach.email and spec.email_subject:
        steps.append({"channel": Channel.EMAIL, "address": reach.email, "via": ""})
    return steps

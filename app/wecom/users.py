"""Members: read one member's name (user/get), and the name to show for a userid."""
import logging

from app.core.models import StaffUser
from app.wecom import get_client

log = logging.getLogger(__name__)


def get_user(userid, client=None):
    """user/get: the member's profile (userid, name, ...)."""
    client = client or get_client()
    return client.call("get", "user/get", params={"userid": userid})


def create_user(*, userid, name, mobile="", email="", department=(1,), position="", client=None):
    """user/create (document/path/90331). Needs the 通讯录同步 secret with edit rights in production
    (WECOM_CONTACT_SECRET); mobile or email is required."""
    client = client or get_client()
    data = {"userid": userid, "name": name, "department": list(department)}
    for key, value in (("mobile", mobile), ("email", email), ("position", position)):
        if value:
            data[key] = value
    return client.call("post", "user/create", data=data)


def display_name(userid):
    """A member's name for cards and messages: from sign-ins, else from WeCom (cached), else the userid."""
    row = StaffUser.get_or_none(StaffUser.userid == userid)
    if row and row.name:
        return row.name
    try:
        name = get_user(userid).get("name") or ""
    except Exception as exc:  # noqa: BLE001 - a name is decoration; the userid will do
        log.info("no name for %s: %s", userid, exc)
        return userid
    if name:
        StaffUser.insert(userid=userid, name=name[:60]).on_conflict(
            conflict_target=[StaffUser.userid], update={StaffUser.name: name[:60]}).execute()
    return name or userid

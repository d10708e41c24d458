"""Members: the name to show for a userid, the directory staff pick from (user/simplelist), read one (user/get),
create one (user/create)."""
import dataclasses
import json
import logging

from app.core import phones
from app.core.errors import BadRequest
from app.core.extensions import redis_client, settings
from app.core.models import Job, StaffUser
from app.core.pipeline import ACTOR_LABELS
from app.wecom import WeComError, get_client, get_contacts_client

log = logging.getLogger(__name__)


def get_user(userid, client=None):
    """user/get: the member's profile (userid, name, ...)."""
    client = client or get_client()
    return client.call("get", "user/get", params={"userid": userid})


def list_members(department_id=1, client=None):
    """user/simplelist of a department and its sub-departments: [{"userid", "name", "department"}]. The app sees
    the members inside its visible range (set in the WeCom admin console)."""
    client = client or get_client()
    return client.call("get", "user/simplelist", params={"department_id": department_id, "fetch_child": 1}).get(
        "userlist", [])


def create_user(*, userid, name, mobile="", email="", department=(1,), position="", client=None):
    """user/create (document/path/90195) with the 通讯录同步 secret (edit rights; WECOM_CONTACT_SECRET): the app's
    own secret may only read the directory. Mobile (any format the phone rules read) or email is required."""
    client = client or get_contacts_client()
    data = {"userid": userid, "name": name, "department": list(department)}
    for key, value in (("mobile", wecom_mobile(mobile)), ("email", email), ("position", position)):
        if value:
            data[key] = value
    return client.call("post", "user/create", data=data)


def wecom_mobile(phone):
    """A phone as user/create takes it: a mainland mobile as its 11 digits, any other as "+<country code> <number>"
    with one space (the documented example "+86 13800000000"; "+442079460958" is refused, 60103). A value the phone
    rules do not read (one stored before them) goes as it is: WeCom's refusal is then shown to HR."""
    parts = phones.country_code(phone) if phone else None
    if parts is None:
        return phone
    code, number = parts
    return number if code == "86" else f"+{code} {number}"


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


def actor_name(actor):
    """Who did something, as a page names them: 候选人 / 系统 / 命令行 / 演示数据 for the non-staff actors
    (pipeline.ACTOR_LABELS), else the member's name (display_name); "" for none."""
    if not actor:
        return ""
    return ACTOR_LABELS.get(actor) or display_name(actor)


DIRECTORY_KEY = "wecom:directory"
DIRECTORY_SECONDS = 600  # a pick list may lag a new member by ten minutes; a userid is still checked at once


@dataclasses.dataclass(frozen=True)
class Directory:
    members: list          # [(userid, name)], by name
    complete: bool         # False: WeCom could not be read, only the members known here are listed


def directory():
    """The members staff pick from: WeCom's directory (user/simplelist, cached in Redis for ten minutes); when
    WeCom cannot be read, the members known here (signed in, HR, managers), marked incomplete."""
    conn = redis_client.get()
    cached = conn.get(DIRECTORY_KEY)
    if cached:
        return Directory([tuple(m) for m in json.loads(cached)], True)
    try:
        members = sorted({(m["userid"], m.get("name") or m["userid"]) for m in list_members()},
                         key=lambda m: (m[1], m[0]))
    except WeComError as exc:
        log.warning("the WeCom directory could not be read: %s", exc)
        return Directory(_known_members(), False)
    conn.set(DIRECTORY_KEY, json.dumps(members, ensure_ascii=False), ex=DIRECTORY_SECONDS)
    return Directory(members, True)


def _known_members():
    userids = set(settings.get("HR_USERIDS") or [])
    for job in Job.select(Job.manager_userids):
        userids |= set(job.manager_userids or [])
    names = {row.userid: row.name for row in StaffUser.select(StaffUser.userid, StaffUser.name)}
    userids |= set(names)
    return sorted(((u, names.get(u) or u) for u in userids), key=lambda m: (m[1], m[0]))


def require_members(userids):
    """Refuse, by name, a userid that is not a WeCom member (the directory first, then user/get for one it does
    not list, e.g. outside the app's visible range)."""
    found = directory()
    listed = {u for u, _ in found.members} if found.complete else set()
    for userid in userids:
        if userid in listed:
            continue
        try:
            get_user(userid)
        except WeComError as exc:
            if exc.errcode == 60111:
                raise BadRequest(f"「{userid}」不是企业微信成员,请从通讯录中选择 {userid} is not a WeCom member",
                                 code="unknown_member", userid=userid) from None
            raise

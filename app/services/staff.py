"""Staff roles and sign-in: HR (from HR_USERIDS or granted in the DB), managers (from Job.manager_userids) and
second-round interviewers (from app/process rounds); and the WeCom directory staff are picked from (panels,
interviewers' availability), with the check that refuses a userid WeCom does not know."""
import dataclasses
import json
import logging

from app.errors import BadRequest, Forbidden
from app.extensions import redis_client, settings
from app.models import Job, StaffUser, utcnow

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Staff:
    userid: str
    name: str
    is_hr: bool
    job_ids: frozenset
    # Sits on a second-round panel (app/process): may sign in to their rounds' scorecards, nothing more.
    is_interviewer: bool = False

    @property
    def display_name(self):
        return self.name or self.userid


def managed_job_ids(userid):
    """Ids of the jobs whose managers include `userid` (manager lists are short JSON arrays)."""
    return frozenset(job.id for job in Job.select(Job.id, Job.manager_userids)
                     if userid in (job.manager_userids or []))


def seed_hr():
    """Make every userid in HR_USERIDS an HR admin; return their userids."""
    userids = list(settings.get("HR_USERIDS") or [])
    for userid in userids:
        row, created = StaffUser.get_or_create(userid=userid, defaults={"is_hr": True})
        if not created and not row.is_hr:
            StaffUser.update(is_hr=True).where(StaffUser.id == row.id).execute()
    return userids


def load_staff(userid):
    """The staff member `userid`, or None when they are neither HR nor a manager of any job."""
    if not userid:
        return None
    row = StaffUser.get_or_none(StaffUser.userid == userid)
    is_hr = userid in (settings.get("HR_USERIDS") or []) or bool(row and row.is_hr)
    job_ids = managed_job_ids(userid)
    from app.process.scheduling import is_interviewer  # the process domain imports this module
    interviewer = is_interviewer(userid)
    if not is_hr and not job_ids and not interviewer:
        return None
    return Staff(userid=userid, name=row.name if row else "", is_hr=is_hr, job_ids=job_ids,
                 is_interviewer=interviewer)


def sign_in(userid, name=""):
    """Record a sign-in; Forbidden when the member has no role here."""
    seed_hr()
    staff = load_staff(userid)
    if staff is None:
        raise Forbidden("你不是HR或该岗位的用人经理,无法使用此页面 You have no role in hiring here",
                        code="no_staff_role")
    row, _ = StaffUser.get_or_create(userid=userid)
    fields = {"last_login_at": utcnow()}
    if name:
        fields["name"] = name[:60]
    StaffUser.update(**fields).where(StaffUser.id == row.id).execute()
    log.info("staff %s signed in (hr=%s, jobs=%s)", userid, staff.is_hr, sorted(staff.job_ids))
    return load_staff(userid)


def can_view_application(staff, application):
    """HR sees every application; a manager sees those of their jobs."""
    return bool(staff) and (staff.is_hr or application.job_id in staff.job_ids)


def display_name(userid):
    """A member's name for cards and messages: from sign-ins, else from WeCom (cached), else the userid."""
    row = StaffUser.get_or_none(StaffUser.userid == userid)
    if row and row.name:
        return row.name
    try:
        from app.wecom.users import get_user
        name = get_user(userid).get("name") or ""
    except Exception as exc:  # noqa: BLE001 - a name is decoration; the userid will do
        log.info("no name for %s: %s", userid, exc)
        return userid
    if name:
        StaffUser.insert(userid=userid, name=name[:60]).on_conflict(
            conflict_target=[StaffUser.userid], update={StaffUser.name: name[:60]}).execute()
    return name or userid


DIRECTORY_KEY = "wecom:directory"
DIRECTORY_SECONDS = 600  # a pick list may lag a new member by ten minutes; a userid is still checked at once


@dataclasses.dataclass(frozen=True)
class Directory:
    members: list          # [(userid, name)], by name
    complete: bool         # False: WeCom could not be read, only the members known here are listed


def directory():
    """The members staff pick from: WeCom's directory (user/simplelist, cached in Redis for ten minutes); when
    WeCom cannot be read, the members known here (signed in, HR, managers), marked incomplete."""
    from app.wecom import WeComError
    from app.wecom.users import list_members
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
    from app.wecom import WeComError
    from app.wecom.users import get_user
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

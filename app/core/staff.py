"""Staff roles and sign-in: HR (HR_USERIDS, or a grant in the database: StaffUser.is_hr), managers (from
Job.manager_userids) and second-round interviewers (from app/process rounds); and the WeCom directory staff are
picked from (panels, interviewers' availability), with the check that refuses a userid WeCom does not know."""
import dataclasses
import logging

from app.core import domains
from app.core.base import utcnow
from app.core.errors import Forbidden
from app.core.extensions import settings
from app.core.models import Application, Candidate, Job, StaffUser

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


def hr_userids():
    """Who HR's WeCom messages go to: the members in HR_USERIDS, then those granted HR here (the same HR that
    `load_staff` lets in), each once."""
    listed = [u for u in settings.get("HR_USERIDS") or [] if u]
    granted = [row.userid for row in StaffUser.select(StaffUser.userid).where(StaffUser.is_hr)
               .order_by(StaffUser.userid)]
    return list(dict.fromkeys(listed + granted))


def hr_and_managers(job):
    """HR and the job's managers, each once: who hears of a step both decide on."""
    return list(dict.fromkeys(hr_userids() + [u for u in job.manager_userids or [] if u]))


def load_staff(userid):
    """The staff member `userid`, or None when they are neither HR nor a manager of any job."""
    if not userid:
        return None
    row = StaffUser.get_or_none(StaffUser.userid == userid)
    is_hr = userid in (settings.get("HR_USERIDS") or []) or bool(row and row.is_hr)
    job_ids = managed_job_ids(userid)
    interviewer = has_role(userid, "interviewer")
    if not is_hr and not job_ids and not interviewer:
        return None
    return Staff(userid=userid, name=row.name if row else "", is_hr=is_hr, job_ids=job_ids,
                 is_interviewer=interviewer)


def has_role(userid, role):
    """Whether a registered domain gives `userid` the staff role `role` (app/core/domains.py `staff_roles`)."""
    return any(check(userid) for d in domains.registered() for name, check in d.staff_roles.items() if name == role)


def sign_in(userid, name=""):
    """Record a sign-in; Forbidden when the member has no role here. HR_USERIDS is read on every request and never
    copied into `StaffUser.is_hr` (that flag is a grant made in the database), so removing a userid there ends
    their HR role at once."""
    staff = load_staff(userid)
    if staff is None:
        raise Forbidden("你还不是HR,也不是任何岗位的用人经理或面试官,暂时无法使用此页面。请HR在岗位的「用人经理」里"
                        f"加上你的企业微信账号({userid})后再打开 You have no role in hiring here yet: ask HR to add "
                        "you as a job's manager", code="no_staff_role")
    row, _ = StaffUser.get_or_create(userid=userid)
    fields = {"last_login_at": utcnow()}
    if name:
        fields["name"] = name[:60]
    StaffUser.update(**fields).where(StaffUser.id == row.id).execute()
    log.info("staff %s signed in (hr=%s, jobs=%s)", userid, staff.is_hr, sorted(staff.job_ids))
    return load_staff(userid)


# --- the authorisation rules: each written once, here ---

def can_manage(member, job_id):
    """HR, or a manager of the job: who may see the job's applications and act on them."""
    return bool(member) and (member.is_hr or job_id in member.job_ids)


def can_view_application(member, application):
    """HR sees every application; a manager sees those of their jobs."""
    return can_manage(member, application.job_id)


def require_hr(actor, what="进行此操作"):
    """The staff member `actor` if they are HR, else Forbidden (hr_only): "只有HR可以<what>"."""
    member = load_staff(actor)
    if not (member and member.is_hr):
        raise Forbidden(f"只有HR可以{what} HR only", code="hr_only")
    return member


def require_manager(actor, job_id, what="进行此操作"):
    """The staff member `actor` if they are HR or a manager of the job, else Forbidden (not_job_manager)."""
    member = load_staff(actor)
    if not can_manage(member, job_id):
        raise Forbidden(f"只有HR或该岗位的用人经理可以{what} Only HR or the job's managers", code="not_job_manager")
    return member


def applications_for(staff, limit=200):
    """Applications of the member's jobs (every job for HR), newest first."""
    query = (Application.select(Application, Candidate, Job).join(Candidate).switch(Application).join(Job)
             .order_by(Application.updated_at.desc()).limit(limit))
    if not staff.is_hr:
        if not staff.job_ids:
            return []
        query = query.where(Application.job.in_(list(staff.job_ids)))
    return list(query)


def application_for(staff, application_id):
    """The application if the member may see it, else None (a 404: do not reveal it exists)."""
    application = Application.get_or_none(Application.id == application_id)
    return application if application is not None and can_view_application(staff, application) else None

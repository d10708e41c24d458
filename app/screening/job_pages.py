"""What the job pages in /admin show and do: the editor's save, a job's overview (postings, versions and what
each scored, waiting applicants), two versions compared, the candidate's preview of the questions."""

from peewee import fn

from app.core import jobs
from app.core.errors import BadRequest, found
from app.core.extensions import settings as app_settings
from app.core.job_template import template_text
from app.core.links import posting_url
from app.core.models import Application, Job, StaffUser
from app.core.tx import transaction
from app.interview.models import Interview, Report
from app.screening import criteria as criteria_text
from app.screening import intake, job_diff, job_form, job_settings, job_versions
from app.screening.job_templates import TemplateError, create_job, import_template, job_to_template, validate_template
from app.screening.kf_intake import contact_url
from app.screening.models import JobScreening, JobVersion, Screening
from app.screening.screen import SCREEN_JOB
from app.wecom import WeComError, users


def save(job_id, form, author):
    """Create (job_id None) or update a job from the editor's form; returns (job, version): version None when the
    form changed nothing (job_versions.update_job).
    BadRequest names the first problem as the page names its fields; nothing is saved then."""
    try:
        tpl = validate_template(job_form.to_template(form))
    except criteria_text.CriteriaError as exc:
        raise TemplateError(f"{job_form.label('screening')}: {exc.message}") from exc
    except TemplateError as exc:
        raise TemplateError(job_form.editor_message(exc, form)) from exc
    require_managers(job_id, tpl["managers"])
    note = (form.get("note") or [""])[0].strip() or ("创建" if job_id is None else "编辑")
    if job_id is None:
        with transaction():
            job = create_job(tpl, author)
        return job, job_versions.latest(job.id)
    version = job_versions.update_job(job_id, tpl, author, note, question_ids=job_form.question_ids(form))
    if version is not None:   # criteria may have changed
        jobs.enqueue_or_log(SCREEN_JOB, job_id, key=version.number, recovery="the job page's 重新筛选 button")
    return Job.get_by_id(job_id), version


def import_yaml(raw, author):
    """A job from a YAML template file's bytes (HR's 导入 and `jobs import`), its managers checked as the editor
    checks them."""
    return import_template(template_text(raw), author, check=lambda tpl: require_managers(None, tpl["managers"]))


def require_managers(job_id, managers):
    """The result cards go to the managers, so one that this save adds must be a WeCom member: known here (HR, or
    signed in to /admin or /m, which only WeCom's sign-in does) or else found in WeCom's directory
    (users.require_members, which names one WeCom does not know). When WeCom cannot be read the save is refused,
    saying so, rather than a manager nobody could check being saved. The job's own managers are not checked again:
    a WeCom outage does not stop HR editing the rest of a job."""
    before = set(Job.get_by_id(job_id).manager_userids or []) if job_id else set()
    added = [u for u in managers if u not in before]
    known = set(app_settings.get("HR_USERIDS") or []) | {
        row.userid for row in StaffUser.select(StaffUser.userid).where(StaffUser.userid.in_(added or [""]))}
    unknown = [u for u in added if u not in known]
    if not unknown:
        return
    label = job_form.label("managers")
    try:
        users.require_members(unknown)
    except BadRequest as exc:
        raise BadRequest(f"{label}: {exc.message}", code=exc.code) from None
    except WeComError as exc:
        raise BadRequest(f"{label}: 暂时无法读取企业微信通讯录,未能核对「{'、'.join(unknown)}」,请稍后再试 "
                         f"the WeCom directory cannot be read now ({exc.errcode}); try again later",
                         code="directory_unavailable") from None


def editor_values(job_id=None, version=None):
    if version is not None:
        return job_form.to_form(version.snapshot)
    if job_id is None:
        return job_form.to_form(job_form.BLANK)
    job = Job.get_by_id(job_id)
    values = job_form.to_form(job_to_template(job))
    for question, row in zip(values["questions"], job.ordered_questions(), strict=True):
        question["id"] = row.id   # the page posts it back: a question is matched by its row, not its place
    return values


def overview(job):
    settings = JobScreening.get_or_none(JobScreening.job == job.id)
    remind = settings.remind_after_days if settings else 0
    waiting = job_settings.waiting(job.id, remind).count() if remind else 0
    links = [{"link": link, "channel": intake.CHANNELS[link.channel],
              "url": (contact_url(link.code) if link.channel == "kf" else None) or posting_url(link.code),
              "applications": link.intake_set.count()} for link in intake.links_of(job.id)]
    criteria = [(criteria_text.KIND_LABELS.get(c["kind"], "待HR修改"), criteria_text.label(c)) for c in
                (settings.criteria if settings else [])]
    return {"job": job, "settings": settings, "criteria": criteria, "links": links,
            "versions": job_versions.history(job.id), "usage": version_usage(job.id),
            "applications": Application.select().where(Application.job == job.id).count(),
            "screened": Screening.select().join(Application).where(Application.job == job.id).count(),
            "waiting": waiting, "remind": remind, "channels": {k: v for k, v in intake.CHANNELS.items()
                                                               if k != "hr_invite"}}


def version_of(job_id, number):
    """The job's version `number`, else NotFound saying which."""
    return found(JobVersion.get_or_none((JobVersion.job == job_id) & (JobVersion.number == number)),
                 f"这个岗位没有第{number}版 No version {number} of this job", code="version_not_found")


def version_usage(job_id):
    """{version number: {"reports": n, "screenings": n}}: the AI reports scored with each version's competency
    model (Report.job_version) and the resume screenings made with its criteria (Screening.job_version)."""
    usage = {}
    reports = (Report.select(Report.job_version, fn.COUNT(Report.id).alias("n")).join(Interview)
               .join(Application).where((Application.job == job_id) & Report.job_version.is_null(False))
               .group_by(Report.job_version).tuples())
    for number, n in reports:
        usage.setdefault(number, {"reports": 0, "screenings": 0})["reports"] = n
    screenings = (Screening.select(JobVersion.number, fn.COUNT(Screening.id)).join(JobVersion)
                  .where(JobVersion.job == job_id).group_by(JobVersion.number).tuples())
    for number, n in screenings:
        usage.setdefault(number, {"reports": 0, "screenings": 0})["screenings"] = n
    return usage


def comparison(job, number, other):
    """What changed from the older of the two versions to the newer (the 「对比」 page); NotFound for a number
    the job does not have."""
    older, newer = sorted((number, other))
    old, new = version_of(job.id, older), version_of(job.id, newer)
    usage = version_usage(job.id)
    return {"old": old, "new": new, "latest": job_versions.latest(job.id).number,
            "diff": job_diff.compare(old.snapshot, new.snapshot, users.actor_name),
            "usage": {n: usage.get(n, {"reports": 0, "screenings": 0}) for n in (older, newer)}}


def preview(job):
    """The questions as the candidate will meet them, in order."""
    return [{"position": q.position + 1, "text": q.text, "think": q.think_seconds, "answer": q.answer_seconds,
             "attempts": 1 + q.retakes_allowed} for q in job.ordered_questions()]

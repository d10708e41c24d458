"""Seed the demo: the shipped job templates (once each), the first job's apply link and a fresh demo candidate
link."""
from pathlib import Path

from app.core.links import interview_url, posting_url
from app.core.models import Application, Candidate, Job
from app.core.pipeline import STAGE_LABELS, can_move
from app.interview.invitations import invite, write_qr_png
from app.screening import intake
from app.screening.job_templates import import_template, parse_template

TEMPLATES = Path(__file__).resolve().parents[1] / "job_templates"   # app/demo.py -> the repository root
DEMO_CANDIDATE = ("李明", "13800001234")


def seed_jobs():
    """Import each shipped template whose title is not in the database yet; return all demo jobs."""
    jobs = []
    for path in sorted(TEMPLATES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        title = parse_template(text)["title"]
        job = Job.get_or_none(Job.title == title) or import_template(text)
        jobs.append(job)
    return jobs


def seed_demo(instance_path):
    """Seed jobs and invite the demo candidate to the first one (told as HR's invitation would tell them, so later
    stage notices reach their phone too); return lines to print."""
    jobs = seed_jobs()
    job = jobs[0]
    name, phone = DEMO_CANDIDATE
    link = (intake.links_of(job.id) or [intake.create_link(job.id, "direct", created_by="demo")])[0]
    lines = [f"演示岗位 demo job {job.id}: {job.title}",
             f"投递链接 apply link (a candidate applies with a resume): {posting_url(link.code)}",
             f"候选人 candidate: {name}  手机尾号 phone last 4: {phone[-4:]}"]
    moved_on = _past_the_interview(job, name, phone)
    if moved_on:   # a restart after the walk-through (scripts/up.sh seeds at every start) leaves him where he is
        return lines + [f"{name} 已在「{STAGE_LABELS[moved_on]}」阶段,未重新邀请 "
                        f"(the demo candidate is past the AI interview: not invited again)"]
    interview, token, sent = invite(job.id, name, phone, actor="demo", source="system")
    url = interview_url(token)
    qr = write_qr_png(url, Path(instance_path) / "qr" / "demo.png")
    return lines + [f"面试链接 interview link: {url}",
                    f"二维码 QR: {qr}"] + [f"已通知候选人 notified: {announced['summary']}" for announced in sent]


def _past_the_interview(job, name, phone):
    """The stage of the demo candidate's application when a new invitation could not move it back, else None."""
    application = (Application.select().join(Candidate)
                   .where((Application.job == job.id) & (Candidate.name == name) & (Candidate.phone == phone))
                   .order_by(Application.id).first())
    if application is None or application.stage == "ai_invited" or can_move(application.stage, "ai_invited"):
        return None
    return application.stage

"""Seed the demo: the shipped job templates (once each), the first job's apply link and a fresh demo candidate
link."""
from pathlib import Path

from app.core.links import interview_url, posting_url
from app.core.models import Application, Candidate, Job
from app.core.pipeline import STAGE_LABELS, IllegalTransition
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
    try:
        interview, token, sent = invite(job.id, name, phone, actor="demo", source="system")
    except IllegalTransition:
        # The walk-through took them past the AI interview: their link stays as it was (only its hash is stored).
        stage = Application.select().join(Candidate).where((Candidate.phone == phone) & (Candidate.name == name)
                                                           & (Application.job == job.id)).first().stage
        return lines + [f"{name} 已在「{STAGE_LABELS[stage]}」阶段,未重新邀请(沿用之前打印的链接) "
                        f"already at {stage}: not invited again, use the link printed before"]
    url = interview_url(token)
    qr = write_qr_png(url, Path(instance_path) / "qr" / "demo.png")
    return lines + [f"面试链接 interview link: {url}", f"二维码 QR: {qr}"] + [
        f"已通知候选人 notified: {announced['summary']}" for announced in sent]

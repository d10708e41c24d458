"""How a staff page names a job among others (the job pickers of the workbench, the invitation form and the
analytics pages, the workbench's rows and export, analytics flags): by its title alone two 「后端工程师」 of another
department or city, or one of them closed, looked alike. One place, so every list reads the same."""
from collections import Counter

from app.core.models import Job, JobStatus

# The columns a label reads: Job.select(*LABEL_COLUMNS) for a list that is only named.
LABEL_COLUMNS = (Job.id, Job.title, Job.department, Job.location, Job.status)


def job_label(job):
    """The title, then the department, the city and, unless it is open, the status:
    后端工程师 · 技术部 · 上海 · 已关闭."""
    status = job.status_label if job.status != JobStatus.OPEN else ""
    return " · ".join(part for part in (job.title, job.department, job.location, status) if part)


def job_labels(jobs):
    """{job id: label} for jobs listed together: job_label, and the job's number (#12, as on the admin page) after a
    label two of them share (a copied job keeps the title, department and city)."""
    jobs = list(jobs)
    labels = {job.id: job_label(job) for job in jobs}
    shared = Counter(labels.values())
    return {job_id: f"{label} · #{job_id}" if shared[label] > 1 else label for job_id, label in labels.items()}


def all_job_labels():
    """{job id: label} of every job, as the job pickers name them (a row or a flag names its job as the filter does)."""
    return job_labels(Job.select(*LABEL_COLUMNS).order_by(Job.id))


def job_choices(jobs):
    """[(job, label)] in the given order: a picker's options."""
    jobs = list(jobs)
    labels = job_labels(jobs)
    return [(job, labels[job.id]) for job in jobs]

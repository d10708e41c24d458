"""`flask --app wsgi jobs ...` (job templates) and `resumes reparse`."""
from pathlib import Path

import click

from app.core.cli import fail
from app.core.errors import AppError


def register(app):
    @app.cli.group()
    def jobs():
        """Job templates: import, export, list."""

    @jobs.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def jobs_import(path):
        """Create a job from a YAML template; nothing changes when the file has a problem or names a manager WeCom
        does not know."""
        from app.screening.job_pages import import_yaml
        try:
            job = import_yaml(Path(path).read_bytes(), "cli")
        except AppError as exc:
            fail(exc)
        click.echo(f"imported job {job.id}: {job.title}")
        from app.interview.score_files import dimensions_not_asked
        for name, weight in dimensions_not_asked(job):
            click.echo(f"注意 Warning: 维度「{name}」(权重 {weight})没有题目考察,不会被评分,权重不计入总分 "
                       f"no question asks about dimension {name}: it is never scored")

    @jobs.command("export")
    @click.argument("job_id", type=int)
    def jobs_export(job_id):
        """Print a job as a YAML template."""
        from app.screening.job_templates import export_template
        try:
            click.echo(export_template(job_id), nl=False)
        except AppError as exc:
            fail(exc)

    @jobs.command("list")
    def jobs_list():
        """List jobs."""
        from app.core.cli import NO_JOBS
        from app.core.models import Job
        for job in Job.select().order_by(Job.id):
            click.echo(f"{job.id}\t{job.title}\t{job.status}")
        if not Job.select().exists():
            click.echo(NO_JOBS)

    @app.cli.group()
    def resumes():
        """Resumes of applicants."""

    @resumes.command("reparse")
    def resumes_reparse():
        """Queue a re-parse of every current resume read by an older parser (after the dictionaries improved)."""
        from app.core.jobs import enqueue
        from app.screening.parsing import REPARSE_RESUMES
        enqueue(REPARSE_RESUMES)
        click.echo("queued: resumes parsed by an older parser version will be parsed again, then re-screened")

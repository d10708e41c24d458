"""Core `flask --app wsgi ...` commands: the database schema and the media storage; `fail` for every command."""
import sys

import click

from app.core.errors import AppError
from app.core.models import Job

NO_JOBS = ("还没有岗位。先导入一个岗位模板: flask --app wsgi jobs import job_templates/backend-engineer.yaml,"
           "或在 /admin/ 新建岗位 No jobs yet: import a template (jobs import) or create one in /admin/")


def fail(exc):
    """End a command with the error's message (Chinese first) and exit status 1; on an install without a job yet,
    a job not found says how to make the first one."""
    click.echo(f"错误 Error: {exc.message}", err=True)
    if getattr(exc, "code", "") == "job_not_found" and not Job.select().exists():
        click.echo(NO_JOBS, err=True)
    sys.exit(1)


def register(app):
    @app.cli.group()
    def db():
        """Database schema commands."""

    @db.command("upgrade")
    def db_upgrade():
        """Apply pending schema migrations in place."""
        from app.core.migrations import upgrade
        applied = upgrade()
        click.echo(f"applied migrations: {applied}" if applied else "database is up to date")

    @db.command("freeze")
    @click.argument("names", nargs=-1, required=True)
    def db_freeze(names):
        """Print the frozen copy (JSON) of the named models (class names) for a new migration step."""
        from app.core.domains import all_models
        from app.core.migrations.freeze import dumps, freeze
        models = all_models()
        unknown = [n for n in names if n not in {m.__name__ for m in models}]
        if unknown:
            fail(AppError(f"未知的模型 Unknown model(s): {', '.join(unknown)}"))
        click.echo(dumps(freeze([m for m in models if m.__name__ in names], with_references=True)), nl=False)

    @app.cli.group()
    def storage():
        """Where media live (STORAGE=local|s3)."""

    @storage.command("check")
    @click.option("--create-bucket", is_flag=True, help="create S3_BUCKET when it does not exist")
    def storage_check(create_bucket):
        """Write, read and delete a test object in the configured storage (run it on each new host)."""
        from app.core.storage import check_round_trip
        try:
            click.echo(check_round_trip(create_bucket=create_bucket))
        except Exception as exc:  # noqa: BLE001 - any failure is the answer this command gives
            raise click.ClickException(f"storage check failed: {exc}") from exc

"""The top-level `flask --app wsgi ...` commands: every domain's (its `cli` declaration) and `seed-demo`."""
import functools
import sys

import click
import peewee

from app.core import domains

NO_SCHEMA = ("错误 Error: 数据库还没有建表,请先运行 flask --app wsgi db upgrade "
             "the database has no tables yet: run `flask --app wsgi db upgrade` first")


def register(app):
    for domain in domains.registered():
        if domain.cli is not None:
            domain.cli(app)
    _say_when_not_migrated(app.cli)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create the demo job (once) and print a fresh candidate link."""
        from app.demo import seed_demo as run
        for line in run(app.instance_path):
            click.echo(line)


def _say_when_not_migrated(group):
    """Every command, run on a database never migrated (a first-time operator who skipped `db upgrade`), says what
    to run instead of ending in peewee's "no such table" traceback; `db` itself (the upgrade) is left as it is."""
    for name, command in group.commands.items():
        if name == "db":
            continue
        if isinstance(command, click.Group):
            _say_when_not_migrated(command)
        elif command.callback is not None:
            command.callback = _schema_hint(command.callback)


def _schema_hint(callback):
    @functools.wraps(callback)
    def run(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (peewee.OperationalError, peewee.ProgrammingError) as exc:
            text = str(exc)
            if "no such table" not in text and not ("relation" in text and "does not exist" in text):
                raise
            click.echo(NO_SCHEMA, err=True)
            sys.exit(1)
    return run

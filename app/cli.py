"""The top-level `flask --app wsgi ...` commands: every domain's (its `cli` declaration) and `seed-demo`."""
import click

from app.core import domains


def register(app):
    for domain in domains.registered():
        if domain.cli is not None:
            domain.cli(app)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create the demo job (once) and print a fresh candidate link."""
        from app.demo import seed_demo as run
        for line in run(app.instance_path):
            click.echo(line)

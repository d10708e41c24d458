"""`flask --app wsgi wecom events`: the callbacks as received."""
import click


def register(app):
    @app.cli.group()
    def wecom():
        """WeCom callbacks as received."""

    @wecom.command("events")
    @click.option("--status", type=click.Choice(["received", "handled", "refused", "ignored", "failed"]))
    @click.option("--limit", type=int, default=50)
    def wecom_events(status, limit):
        """List the latest callback events (`--status failed`: those the sweep gave up on, with the last error)."""
        from wecom_callbacks.handlers import listing
        for event in listing(status, limit):
            click.echo(f"{event.id}\t{event.created_at:%Y-%m-%d %H:%M:%S}Z\t{event.event_type or event.msg_type}\t"
                       f"{event.from_user}\t{event.status}\t{event.result}")

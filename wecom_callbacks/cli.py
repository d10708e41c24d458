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
        events = list(listing(status, limit))
        for event in events:
            click.echo(f"{event.id}\t{event.created_at:%Y-%m-%d %H:%M:%S}Z\t{event.event_type or event.msg_type}\t"
                       f"{event.from_user}\t{event.status}\t{event.result}")
        if status and not events:
            click.echo(f"没有状态为 {status} 的回调事件 no {status} callback events")
        elif not events:
            click.echo("还没有回调事件:企业微信还没有回调过本应用(检查应用的「接收消息」URL 是否指向 /wecom/callback) "
                       "no callback events yet")

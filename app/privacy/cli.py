"""`flask --app wsgi retention purge`."""
import click

# What `retention.purge()` counted, as the command prints it.
LINES = (("attachments", "removed {} message attachments past retention"),
         ("unsent_attachments", "removed {} attachments uploaded but never sent within a day"),
         ("abandoned_uploads", "removed chunks of {} abandoned uploads"),
         ("qr_codes", "removed {} QR codes of links that no longer work"),
         ("archives", "removed {} data packages past PRIVACY_ARCHIVE_DAYS"),
         ("wecom_callbacks", "blanked {} WeCom callbacks past WECOM_EVENT_DAYS"))


def register(app):
    @app.cli.group()
    def retention():
        """Retention of recordings and face photos."""

    @retention.command("purge")
    @click.option("--days", type=int, default=None, help="override RETENTION_DAYS")
    @click.option("--dry-run", is_flag=True, help="only count the recordings and face photos that would go")
    def retention_purge(days, dry_run):
        """Delete recordings, face photos and attachments past RETENTION_DAYS, attachments never sent after a day,
        chunks of uploads that can never complete, QR codes of dead links, expired data packages, and the content of
        WeCom callbacks past WECOM_EVENT_DAYS."""
        from app.privacy.retention import purge, purge_expired_media
        if dry_run:
            interviews, files = purge_expired_media(days=days, dry_run=True)
            click.echo(f"would purge media of {interviews} interviews ({files} files deleted)")
            return
        counts = purge(days=days)
        click.echo(f"purged media of {counts['interviews']} interviews ({counts['files']} files deleted)")
        for key, line in LINES:
            click.echo(line.format(counts[key]))

"""`flask --app wsgi retention purge`."""
import click


def register(app):
    @app.cli.group()
    def retention():
        """Retention of recordings and face photos."""

    @retention.command("purge")
    @click.option("--days", type=int, default=None, help="override RETENTION_DAYS")
    @click.option("--dry-run", is_flag=True, help="only count what would be deleted")
    def retention_purge(days, dry_run):
        """Delete recordings, face photos and attachments past RETENTION_DAYS, attachments never sent after a day,
        chunks of uploads that can never complete, QR codes of dead links, expired data packages, and the content of
        WeCom callbacks past WECOM_EVENT_DAYS."""
        from app.privacy.archive import purge_expired as purge_expired_archives
        from app.privacy.retention import (
            blank_old_callbacks,
            purge_abandoned_uploads,
            purge_dead_link_qr_codes,
            purge_expired_attachments,
            purge_expired_media,
            purge_unsent_attachments,
        )
        interviews, files = purge_expired_media(days=days, dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        click.echo(f"{verb} media of {interviews} interviews ({files} files deleted)")
        if not dry_run:
            click.echo(f"removed {purge_expired_attachments(days=days)} message attachments past retention")
            click.echo(f"removed {purge_unsent_attachments()} attachments uploaded but never sent within a day")
            click.echo(f"removed chunks of {purge_abandoned_uploads()} abandoned uploads")
            click.echo(f"removed {purge_dead_link_qr_codes()} QR codes of links that no longer work")
            click.echo(f"removed {purge_expired_archives()} data packages past PRIVACY_ARCHIVE_DAYS")
            click.echo(f"blanked {blank_old_callbacks()} WeCom callbacks past WECOM_EVENT_DAYS")

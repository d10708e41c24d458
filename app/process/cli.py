"""`flask --app wsgi process ...`: run the reminder sweep at a given time, and (development only) move a demo
application's clock so the walk-through in docs/process.md does not wait for real days to pass."""
import datetime as dt

import click

from app.core.extensions import settings


def _dev_only():
    if settings.get("APP_ENV") == "production":
        raise click.ClickException("仅用于开发和演示 development and demo only")


def register(app):
    @app.cli.group()
    def process():
        """The process after the AI report (docs/process.md)."""

    @process.command("reminders")
    @click.option("--at", "at", default="", help="run as if it were this time (ISO, in TIMEZONE); default now")
    def reminders_cmd(at):
        """Send the reminders due now (or at --at) and expire unanswered offers; print what was sent."""
        from app.process import reminders
        from app.process.availability import parse_local
        result = reminders.run(parse_local(at) if at else None)
        for kind, count in result.items():
            click.echo(f"{kind}: {count}")

    @process.command("demo-interview-held")
    @click.option("--application", "application_id", type=int, required=True)
    def interview_held(application_id):
        """(development) The booked second round of APPLICATION ended 5 minutes ago; send the scorecard cards."""
        _dev_only()
        from app.core.base import utcnow
        from app.process import reminders, scheduling
        from app.process.models import Slot
        booking = scheduling.booking_of(scheduling.round_of(application_id))
        if booking is None:
            raise click.ClickException("该应聘记录没有已预约的复试 no booked second round")
        slot = booking.slot
        end = utcnow() - dt.timedelta(minutes=5)
        Slot.update(start_at=end - (slot.end_at - slot.start_at), end_at=end).where(Slot.id == slot.id).execute()
        click.echo(f"scorecard cards sent: {reminders.run()['scorecard_request']}")

    @process.command("demo-start-today")
    @click.option("--application", "application_id", type=int, required=True)
    def start_today(application_id):
        """(development) The accepted offer of APPLICATION starts today, so HR can confirm arrival."""
        _dev_only()
        from app.process.models import Offer
        from app.process.offers import today
        if not Offer.update(start_date=today()).where(Offer.application == application_id).execute():
            raise click.ClickException("该应聘记录没有Offer no offer")
        click.echo(f"start date is now {today()}")

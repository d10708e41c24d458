"""Deliver a finished report: the result card to the job's managers."""
import logging

from app.extensions import settings
from app.services import reports
from workers.context import with_app

log = logging.getLogger(__name__)


@with_app
def push_result_card(application_id):
    """Send the result card of the application's latest report (at most once, by the card's task id)."""
    from app.services.decision_cards import push_result_card as push

    report = reports.latest_report(application_id)
    if report is None:
        raise LookupError(f"application {application_id} has no report to send")
    url = f"{settings['PUBLIC_BASE_URL']}/m/reports/{report.id}"
    return push(application_id, reports.card_summary(report, url))

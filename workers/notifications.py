"""Notification jobs (fast queue): send one notice, pull SMS receipts and replies, send the notices now due."""
from app.notifications import receipts, sending
from workers.context import with_app


@with_app
def send_notice(notice_id):
    """Send a notice on the first channel of its plan that takes it (falls back on failure)."""
    return sending.send_notice(notice_id)


@with_app
def pull_sms_receipts():
    """Apply the SMS provider's delivery receipts and T replies."""
    return receipts.pull()


@with_app
def send_due_notices():
    """Enqueue the notices whose quiet hours or limit are over."""
    return sending.send_due()

"""WeCom callback events (enqueued by /wecom/callback on the fast queue)."""
from wecom_callbacks import handlers as wecom_events
from workers.context import with_app


@with_app
def handle_event(event_id):
    """Run the handler of one stored WeComEvent."""
    return wecom_events.handle_event(event_id)

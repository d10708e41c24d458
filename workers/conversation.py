"""Conversation jobs (fast queue): stage notices, HR's notice of a candidate's messages, channel sends."""
from app.conversation import channels, notify, services
from workers.context import with_app


@with_app
def post_stage_notice(stage_event_id):
    """Post the candidate's notice of one stage change (once)."""
    message = services.post_stage_notice(stage_event_id)
    return message.id if message else None


@with_app
def notify_staff(application_id, message_id):
    """Tell HR in WeCom that the candidate wrote (once per burst)."""
    return notify.notify_staff(application_id, message_id)


@with_app
def deliver_message(message_id):
    """Send a staff message on the candidate's channels (微信客服, external contact)."""
    return channels.deliver(message_id)

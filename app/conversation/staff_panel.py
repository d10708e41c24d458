"""The conversation panel of the staff application page (app/web/manager.py renders it beside the screening and
process panels): the thread, the reply box and its quick replies, the candidate's channels. The reply form posts to
app/conversation/staff_views.py."""
from app.conversation import channels, drafts, services
from app.conversation.models import Channel, DeliveryState
from app.core import forms

REPLY_DRAFT = "reply"


def panel(application, compose_key=""):
    """What the application page's conversation panel shows (app/web/manager.py passes it to the template): the reply
    box holds a refused reply as typed (`kept`), else the text of the compose key (a template, the AI draft)."""
    messages = services.thread(application.id)
    links = channels.links_of(application.id)
    kf_link = links.get("kf")
    kept = forms.take_draft(REPLY_DRAFT, application.id)
    return {"messages": messages, "names": services.staff_names(messages), "kept": kept,
            "templates": drafts.offered(application),
            "draft": kept["body"] if kept else drafts.compose(application, compose_key),
            "title": kept["title"] if kept else "",
            "links": links, "kf_window": channels.kf_window(kf_link) if kf_link else None,
            "channel_labels": Channel.LABELS, "state_labels": DeliveryState.LABELS,
            "max_body": services.MAX_BODY}

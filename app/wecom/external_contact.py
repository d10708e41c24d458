"""Messages to external contacts: a message task the member confirms in WeCom before it goes out
(externalcontact/add_msg_template, document/path/92135)."""
from app.wecom import get_client


def add_msg_template(sender, external_userids, content, client=None):
    """Create a single-chat message task for `sender` to confirm; returns {"msgid", "fail_list"}."""
    client = client or get_client()
    return client.call("post", "externalcontact/add_msg_template", data={
        "chat_type": "single", "sender": sender, "external_userid": list(external_userids),
        "text": {"content": content}})

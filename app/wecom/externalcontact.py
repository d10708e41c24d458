"""Reach candidates (WeChat users, not members) through an HR member: a message task HR confirms."""
from app.wecom import get_client


def send_invitation_task(*, sender_userid, external_userids, text, link_title, link_url, client=None):
    """externalcontact/add_msg_template: HR confirms it in WeCom, then the candidate gets the link."""
    client = client or get_client()
    result = client.call("post", "externalcontact/add_msg_template", data={
        "chat_type": "single", "external_userid": list(external_userids), "sender": sender_userid,
        "text": {"content": text},
        "attachments": [{"msgtype": "link", "link": {"title": link_title[:128], "url": link_url}}],
    })
    return {"msgid": result.get("msgid"), "fail_list": result.get("fail_list", [])}

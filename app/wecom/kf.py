"""微信客服 (WeChat customer service): send a message to a customer, read new messages after a callback.

wechatpy 1.8.18 has no kf module. Limits (document/path/94677, 94670): a customer may be sent at most 5 messages
within 48 hours after their last message; sync_msg needs the token of the kf_msg_or_event callback.
"""
from app.wecom import get_client

WINDOW_HOURS = 48
WINDOW_MESSAGES = 5
# Origin of a synced message: 3 the customer wrote, 4 a system event, 5 a servicer wrote in the WeCom client.
ORIGIN_CUSTOMER = 3


def send_text(open_kfid, external_userid, content, client=None):
    """kf/send_msg a text; returns WeCom's answer (with msgid)."""
    client = client or get_client()
    return client.call("post", "kf/send_msg", data={
        "touser": external_userid, "open_kfid": open_kfid, "msgtype": "text", "text": {"content": content}})


def sync_msg(token, cursor="", open_kfid="", limit=1000, client=None):
    """kf/sync_msg: the messages after `cursor` -> {"next_cursor", "has_more", "msg_list"}."""
    client = client or get_client()
    data = {"cursor": cursor, "token": token, "limit": limit}
    if open_kfid:
        data["open_kfid"] = open_kfid
    return client.call("post", "kf/sync_msg", data=data)

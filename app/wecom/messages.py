"""Application messages: markdown to members."""
from app.wecom import get_client


def _to_user(userids):
    if isinstance(userids, str):
        userids = [userids]
    return "|".join(sorted({u for u in userids if u}))


def send_markdown(userids, content, client=None):
    """Send a markdown message to members."""
    client = client or get_client()
    return client.call("post", "message/send", data={
        "touser": _to_user(userids), "msgtype": "markdown", "agentid": client.agent_id,
        "markdown": {"content": content}})

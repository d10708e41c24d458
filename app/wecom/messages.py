"""Application messages: markdown to members."""
from app.wecom import get_client

# WeCom renders a subset of markdown in app messages (# headings, **bold**, [links](url), `code`, > quotes,
# <font> tags, <@userid> mentions; bare URLs may be linked by the client) and documents no escape character. So
# text someone else typed (a candidate's name, message or reason) is made inert: each syntax character becomes its
# full-width twin, which reads the same to a Chinese reader, line breaks fold into spaces (no heading or quote
# line of its own) and "://" loses its ASCII colon (no bare link).
_INERT = str.maketrans({"[": "［", "]": "］", "*": "＊", "`": "｀", "#": "＃", "<": "＜", ">": "＞", "\r": " ",
                        "\n": " ", "\t": " "})


def plain(text):
    """`text` as literal text inside a markdown message: it cannot form a link, bold, a tag or a new line."""
    return str(text or "").translate(_INERT).replace("://", "：//")


def _to_user(userids):
    if isinstance(userids, str):
        userids = [userids]
    return "|".join(sorted({u for u in userids if u}))


def send_markdown(userids, content, client=None):
    """Send a markdown message to members; text people typed goes in through `plain`."""
    client = client or get_client()
    return client.call("post", "message/send", data={
        "touser": _to_user(userids), "msgtype": "markdown", "agentid": client.agent_id,
        "markdown": {"content": content}})

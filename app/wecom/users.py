"""Members: read one member's name (user/get)."""
from app.wecom import get_client


def get_user(userid, client=None):
    """user/get: the member's profile (userid, name, ...)."""
    client = client or get_client()
    return client.call("get", "user/get", params={"userid": userid})

"""Members: read one member's name (user/get)."""
from app.wecom import get_client


def get_user(userid, client=None):
    """user/get: the member's profile (userid, name, ...)."""
    client = client or get_client()
    return client.call("get", "user/get", params={"userid": userid})


def create_user(*, userid, name, mobile="", email="", department=(1,), position="", client=None):
    """user/create (document/path/90331). Needs the 通讯录同步 secret with edit rights in production
    (WECOM_CONTACT_SECRET); mobile or email is required."""
    client = client or get_client()
    data = {"userid": userid, "name": name, "department": list(department)}
    for key, value in (("mobile", mobile), ("email", email), ("position", position)):
        if value:
            data[key] = value
    return client.call("post", "user/create", data=data)

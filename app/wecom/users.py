"""Members: read one member's name (user/get), list the directory (user/simplelist), create one (user/create)."""
from app.wecom import get_client


def get_user(userid, client=None):
    """user/get: the member's profile (userid, name, ...)."""
    client = client or get_client()
    return client.call("get", "user/get", params={"userid": userid})


def list_members(department_id=1, client=None):
    """user/simplelist of a department and its sub-departments: [{"userid", "name", "department"}]. The app sees
    the members inside its visible range (set in the WeCom admin console)."""
    client = client or get_client()
    return client.call("get", "user/simplelist", params={"department_id": department_id, "fetch_child": 1}).get(
        "userlist", [])


def create_user(*, userid, name, mobile="", email="", department=(1,), position="", client=None):
    """user/create (document/path/90331). Needs the 通讯录同步 secret with edit rights in production
    (WECOM_CONTACT_SECRET); mobile or email is required."""
    client = client or get_client()
    data = {"userid": userid, "name": name, "department": list(department)}
    for key, value in (("mobile", mobile), ("email", email), ("position", position)):
        if value:
            data[key] = value
    return client.call("post", "user/create", data=data)

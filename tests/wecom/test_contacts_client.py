"""Creating a WeCom member uses 通讯录同步's secret, with its own shared token: the sandbox refuses user/create
with the app's token, as WeCom does; without the secret configured the hire's account fails with a message that
says what to set."""
import pytest

from app.core.extensions import redis_client, settings
from app.wecom import CONTACTS_NOT_CONFIGURED, WeComError, get_client, get_contacts_client
from app.wecom.users import create_user, get_user


def test_user_create_goes_through_the_contacts_secret(wecom_env):
    app, app_url, box = wecom_env
    create_user(userid="liming", name="李明", mobile="13800001234")
    assert get_user("liming")["name"] == "李明"
    [call] = box.requests_to("user/create")
    assert call["errcode"] == 0
    conn = redis_client.get()
    assert conn.exists(get_contacts_client().token_key) and conn.exists(get_client().token_key)
    assert get_contacts_client().token_key != get_client().token_key      # two secrets, two tokens

    with pytest.raises(WeComError) as info:                                 # the app's own token may not write
        create_user(userid="wangqiang", name="王强", mobile="13900001111", client=get_client())
    assert info.value.errcode == 48009


def test_without_the_contacts_secret_the_error_says_what_to_set(wecom_env):
    app, app_url, box = wecom_env
    settings["WECOM_CONTACT_SECRET"] = ""          # what production has until it is set (the next app resets it)
    with pytest.raises(WeComError) as info:
        create_user(userid="liming", name="李明", mobile="13800001234")
    assert info.value.errcode == CONTACTS_NOT_CONFIGURED and "WECOM_CONTACT_SECRET" in info.value.errmsg
    assert box.requests_to("user/create") == []

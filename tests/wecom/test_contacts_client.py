"""Creating a WeCom member uses 通讯录同步's secret, with its own shared token: the sandbox refuses user/create
with the app's token, as WeCom does; without the secret configured the hire's account fails with a message that
says what to set."""
import pytest

from app.core import phones
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


@pytest.mark.parametrize("typed,sent", [("+44 20 7946 0958", "+44 2079460958"), ("+1 (415) 555-0100", "+1 4155550100"),
                                        ("+852 9123 4567", "+852 91234567"), ("+86 138 0000 1234", "13800001234")])
def test_user_create_sends_a_mobile_in_the_documented_format(wecom_env, typed, sent):
    """A phone is stored as E.164 ("+442079460958", app/core/phones.py); user/create takes a number outside the
    mainland as "+<country code> <number>" (its example "+86 13800000000"): without the space the sandbox refuses it
    with 60103, as WeCom does. A mainland mobile goes as its 11 digits."""
    app, app_url, box = wecom_env
    create_user(userid="newhire", name="新同事", mobile=phones.normalise(typed))
    assert box.api("get", "/sandbox/api/members/newhire")["mobile"] == sent

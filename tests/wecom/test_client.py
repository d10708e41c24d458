"""The outbound client against the sandbox over HTTP: shared tokens, bounded retries, WeCom operations."""
import subprocess
import sys
import time

import pytest
import redis

from app.wecom import (
    WeComClient,
    WeComError,
    WeComRetryableError,
    approvals,
    cards,
    externalcontact,
    jsapi,
    messages,
    miniprogram,
    oauth,
)
from tests.support.app import REDIS_TEST_URL, ROOT
from tests.support.wecom import CORP


def client_for(box, timeout=5, agent_id=None):
    """A client with its own Redis connection and memory, like another process."""
    return WeComClient(CORP["WECOM_CORP_ID"], CORP["WECOM_SECRET"], agent_id or CORP["WECOM_AGENT_ID"],
                       f"{box.url}/cgi-bin/", redis.Redis.from_url(REDIS_TEST_URL), timeout=timeout)


@pytest.fixture
def box(sandbox, redis_conn):
    return sandbox


def test_two_clients_and_another_process_share_one_token(box):
    first, second = client_for(box), client_for(box)
    messages.send_text("zhangwei", "一", client=first)
    messages.send_text("zhangwei", "二", client=second)
    script = (f"import redis; from app.wecom import WeComClient, messages; "
              f"c = WeComClient({CORP['WECOM_CORP_ID']!r}, {CORP['WECOM_SECRET']!r}, {CORP['WECOM_AGENT_ID']}, "
              f"{box.url + '/cgi-bin/'!r}, redis.Redis.from_url({REDIS_TEST_URL!r})); "
              f"messages.send_text('zhangwei', '三', client=c)")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    assert len(box.requests_to("gettoken")) == 1
    assert [m["body"]["content"] for m in box.messages("zhangwei")] == ["一", "二", "三"]


def test_an_expired_token_is_refetched_exactly_once(box):
    first, second = client_for(box), client_for(box)
    messages.send_text("zhangwei", "a", client=first)
    box.api("post", "/sandbox/api/expire-tokens")
    messages.send_text("zhangwei", "b", client=first)
    messages.send_text("zhangwei", "c", client=second)
    assert len(box.requests_to("gettoken")) == 2
    assert [r["errcode"] for r in box.requests_to("message/send")] == [0, 42001, 0, 0]


def test_the_token_is_refreshed_before_it_expires(box):
    client = client_for(box)
    messages.send_text("zhangwei", "a", client=client)
    # 80% of its life has passed: the next call refreshes first, WeCom never sees a dying token.
    client.redis.hset(client.token_key, "refresh_at", time.time() - 1)
    messages.send_text("zhangwei", "b", client=client)
    assert len(box.requests_to("gettoken")) == 2
    assert [r["errcode"] for r in box.requests_to("message/send")] == [0, 0]


def test_42001_forever_fails_after_one_refetch(box):
    client = client_for(box)
    box.arm("42001", count=-1)
    with pytest.raises(WeComError) as info:
        messages.send_text("zhangwei", "x", client=client)
    assert info.value.errcode == 42001 and not isinstance(info.value, WeComRetryableError)
    assert len(box.requests_to("gettoken")) == 2
    assert len(box.requests_to("message/send")) == 2


@pytest.mark.parametrize("kind", ["45009", "-1"])
def test_rate_limit_and_busy_are_retryable(box, kind):
    client = client_for(box)
    box.arm(kind, count=1)
    with pytest.raises(WeComRetryableError) as info:
        messages.send_text("zhangwei", "x", client=client)
    assert info.value.errcode == int(kind)
    assert messages.send_text("zhangwei", "x", client=client)["errcode"] == 0  # the fault was used up


def test_a_slow_wecom_times_out_as_retryable(box):
    client = client_for(box, timeout=0.3)
    messages.send_text("zhangwei", "warm", client=client)
    box.arm("slow", count=1, delay=1.5)
    with pytest.raises(WeComRetryableError):
        messages.send_text("zhangwei", "x", client=client)


def test_a_wrong_secret_is_a_permanent_error(box):
    client = WeComClient(CORP["WECOM_CORP_ID"], "wrong", 1000002, f"{box.url}/cgi-bin/",
                         redis.Redis.from_url(REDIS_TEST_URL))
    with pytest.raises(WeComError) as info:
        messages.send_text("zhangwei", "x", client=client)
    assert info.value.errcode == 40001


def test_cards_send_update_and_validation(box):
    client = client_for(box)
    card = cards.button_card(task_id="t-1", title="标题", horizontal=[("总分", "80")],
                             buttons=[("好", "k1", 1), ("不好", "k2", 3)])
    sent = cards.send_template_card(["zhangwei"], card, client=client)
    assert sent["response_code"]
    with pytest.raises(WeComError) as info:
        cards.send_template_card(["zhangwei"], card, client=client)
    assert "task_id" in info.value.errmsg  # unique per app
    too_many = dict(card, task_id="t-2", horizontal_content_list=[{"keyname": "k", "value": "v"}] * 7)
    with pytest.raises(WeComError):
        cards.send_template_card(["zhangwei"], too_many, client=client)
    cards.update_card_button(["zhangwei"], sent["response_code"], "已处理", client=client)
    with pytest.raises(WeComError) as info:  # each response_code works once
        cards.update_card_button(["zhangwei"], sent["response_code"], "再次", client=client)
    assert "used" in info.value.errmsg
    assert box.card("t-1", "zhangwei")["replace_name"] == "已处理"
    with pytest.raises(ValueError):
        cards.button_card(task_id="有中文", title="x", buttons=[("a", "b", 1)])


def test_markdown_approvals_oauth_jsapi_miniprogram_external_contact(box):
    client = client_for(box)
    assert messages.send_markdown(["hr_lina"], "**粗体**", client=client)["errcode"] == 0
    sp_no = approvals.apply_event(creator_userid="hr_lina", template_id="tpl", approvers=["zhangwei"],
                                  cc=["wangfang"], contents=[approvals.text_control("Text-1", "李明")],
                                  summary=["录用:李明"], client=client)
    detail = approvals.get_approval_detail(sp_no, client=client)
    assert detail["sp_status"] == 1 and detail["sp_record"][0]["details"][0]["approver"]["userid"] == "zhangwei"
    url = oauth.authorize_url(corp_id="ww1", agent_id=1000002, redirect_uri="http://app/auth/callback", state="s",
                              api_base=f"{box.url}/cgi-bin/", sandbox=True)
    assert url.startswith(f"{box.url}/connect/oauth2/authorize?appid=ww1&") and "agentid=1000002" in url
    assert oauth.authorize_url(corp_id="ww1", agent_id=1, redirect_uri="x", state="s", api_base="",
                               sandbox=False).startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
    with pytest.raises(WeComError) as info:
        oauth.get_user_info("not-a-code", client=client)
    assert info.value.errcode == 40029
    code = box.api("post", "/sandbox/api/jscode", json={"userid": "wangfang"})["js_code"]
    session = miniprogram.code_to_session(code, client=client)
    assert session["userid"] == "wangfang" and session["corpid"] == CORP["WECOM_CORP_ID"]
    with pytest.raises(WeComError):
        miniprogram.code_to_session(code, client=client)  # a js_code works once
    sent = externalcontact.send_invitation_task(sender_userid="hr_lina", external_userids=["wmEXT1"],
                                                text="请完成AI面试", link_title="AI面试邀请",
                                                link_url="http://app/i/token", client=client)
    assert sent["msgid"] and sent["fail_list"] == []
    config = jsapi.page_config("http://app/i/token#step", client=client)
    assert config["agentid"] == 1000002 and len(config["config"]["signature"]) == 40
    jsapi.page_config("http://app/i/other", client=client)
    assert len(box.requests_to("get_jsapi_ticket")) == 1 and len(box.requests_to("ticket/get")) == 1


def test_jsapi_signature_matches_the_documented_example():
    signed = jsapi.signature("sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
                             "http://mp.weixin.qq.com?params=value", noncestr="Wm3WZYTPz0wzccnW",
                             timestamp=1414587457)
    assert signed["signature"] == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"


def test_ticket_cache_keys_include_the_agent(box):
    one, again, other = client_for(box), client_for(box), client_for(box, agent_id=1000003)
    first = jsapi.agent_ticket(client=one)
    assert jsapi.agent_ticket(client=again) == first  # same app: cached
    assert jsapi.agent_ticket(client=other) != first  # another app never gets this app's ticket
    assert len(box.requests_to("ticket/get")) == 2

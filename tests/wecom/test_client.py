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
    messages,
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
    messages.send_markdown("zhangwei", "一", client=first)
    messages.send_markdown("zhangwei", "二", client=second)
    script = (f"import redis; from app.wecom import WeComClient, messages; "
              f"c = WeComClient({CORP['WECOM_CORP_ID']!r}, {CORP['WECOM_SECRET']!r}, {CORP['WECOM_AGENT_ID']}, "
              f"{box.url + '/cgi-bin/'!r}, redis.Redis.from_url({REDIS_TEST_URL!r})); "
              f"messages.send_markdown('zhangwei', '三', client=c)")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)
    assert len(box.requests_to("gettoken")) == 1
    assert [m["body"]["content"] for m in box.messages("zhangwei")] == ["一", "二", "三"]


def test_an_expired_token_is_refetched_exactly_once(box):
    first, second = client_for(box), client_for(box)
    messages.send_markdown("zhangwei", "a", client=first)
    box.api("post", "/sandbox/api/expire-tokens")
    messages.send_markdown("zhangwei", "b", client=first)
    messages.send_markdown("zhangwei", "c", client=second)
    assert len(box.requests_to("gettoken")) == 2
    assert [r["errcode"] for r in box.requests_to("message/send")] == [0, 42001, 0, 0]


def test_the_token_is_refreshed_before_it_expires(box):
    client = client_for(box)
    messages.send_markdown("zhangwei", "a", client=client)
    # 80% of its life has passed: the next call refreshes first, WeCom never sees a dying token.
    client.redis.hset(client.token_key, "refresh_at", time.time() - 1)
    messages.send_markdown("zhangwei", "b", client=client)
    assert len(box.requests_to("gettoken")) == 2
    assert [r["errcode"] for r in box.requests_to("message/send")] == [0, 0]


def test_42001_forever_fails_after_one_refetch(box):
    client = client_for(box)
    box.arm("42001", count=-1)
    with pytest.raises(WeComError) as info:
        messages.send_markdown("zhangwei", "x", client=client)
    assert info.value.errcode == 42001 and not isinstance(info.value, WeComRetryableError)
    assert len(box.requests_to("gettoken")) == 2
    assert len(box.requests_to("message/send")) == 2


@pytest.mark.parametrize("kind", ["45009", "-1"])
def test_rate_limit_and_busy_are_retryable(box, kind):
    client = client_for(box)
    box.arm(kind, count=1)
    with pytest.raises(WeComRetryableError) as info:
        messages.send_markdown("zhangwei", "x", client=client)
    assert info.value.errcode == int(kind)
    assert messages.send_markdown("zhangwei", "x", client=client)["errcode"] == 0  # the fault was used up


def test_a_slow_wecom_times_out_as_retryable(box):
    client = client_for(box, timeout=0.3)
    messages.send_markdown("zhangwei", "warm", client=client)
    box.arm("slow", count=1, delay=1.5)
    with pytest.raises(WeComRetryableError):
        messages.send_markdown("zhangwei", "x", client=client)


def test_a_wrong_secret_is_a_permanent_error(box):
    client = WeComClient(CORP["WECOM_CORP_ID"], "wrong", 1000002, f"{box.url}/cgi-bin/",
                         redis.Redis.from_url(REDIS_TEST_URL))
    with pytest.raises(WeComError) as info:
        messages.send_markdown("zhangwei", "x", client=client)
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


def test_markdown_approvals_and_oauth(box):
    client = client_for(box)
    assert messages.send_markdown(["hr_lina"], "**粗体**", client=client)["errcode"] == 0
    sp_no = approvals.apply_event(creator_userid="hr_lina", template_id="tpl", approvers=["zhangwei"],
                                  cc=["wangfang"], contents=[approvals.text_control("Text-1", "李明")],
                                  summary=["录用:李明"], client=client)
    detail = client.call("post", "oa/getapprovaldetail", data={"sp_no": sp_no})["info"]
    assert detail["sp_status"] == 1 and detail["sp_record"][0]["details"][0]["approver"]["userid"] == "zhangwei"
    url = oauth.authorize_url(corp_id="ww1", agent_id=1000002, redirect_uri="http://app/auth/callback", state="s",
                              api_base=f"{box.url}/cgi-bin/", sandbox=True)
    assert url.startswith(f"{box.url}/connect/oauth2/authorize?appid=ww1&") and "agentid=1000002" in url
    assert oauth.authorize_url(corp_id="ww1", agent_id=1, redirect_uri="x", state="s", api_base="",
                               sandbox=False).startswith("https://open.weixin.qq.com/connect/oauth2/authorize?")
    with pytest.raises(WeComError) as info:
        oauth.get_user_info("not-a-code", client=client)
    assert info.value.errcode == 40029

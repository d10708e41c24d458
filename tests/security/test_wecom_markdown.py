"""What a candidate typed reaches staff in WeCom markdown messages as plain text: no link, no bold, no mention,
no new quote line of their own (issue 20: a candidate's message became a fake "re-login" link in HR's WeCom)."""
import re

import requests

from app.process import scheduling
from tests.conversation.helpers import invite, send
from tests.process.helpers import at_second_round, available, hour, round_with_slots
from tests.support.wecom import run_fast_worker

PHISH = "[【系统】请点此重新登录企业微信](https://evil.example/login)"
NAME = "**王**[管理员](https://evil.example/n)"


def links_on_phone(box, userid):
    """The links the sandbox's phone page shows `userid` (its messages rendered as WeCom renders markdown)."""
    page = requests.get(f"{box.url}/phone/{userid}", timeout=10).text
    return re.findall(r'<a href="([^"]*)"', page), page


def test_a_candidates_message_and_name_reach_hr_as_text_not_as_a_link(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    _, token = invite(backend_job, name=NAME, phone="13800004321")
    client = app.test_client()
    assert send(client, token, f"{PHISH}\n# 标题\n> 引用 <@hr_lina> `代码`").status_code == 201
    run_fast_worker(redis_conn)

    [notice] = [m for m in box.messages("hr_lina") if m["msgtype"] == "markdown"]
    content = notice["body"]["content"]
    hrefs, page = links_on_phone(box, "hr_lina")
    assert hrefs and all(h.startswith(app_url) for h in hrefs), hrefs   # only our own "查看并回复" link
    assert "evil.example/login" not in " ".join(hrefs) and "<b>王</b>" not in page
    assert "](" not in content.replace(f"]({app_url}", "")   # no markdown link but ours
    assert "<@" not in content and "`" not in content
    assert all(not line.startswith("#") for line in content.split("\n"))
    # HR still reads what was written.
    assert "【系统】请点此重新登录企业微信" in content and "evil.example" in content and "王" in content


def test_a_candidates_reason_for_another_time_reaches_the_panel_as_text(wecom_env, backend_job, redis_conn):
    app, app_url, box = wecom_env
    application, _ = at_second_round(backend_job, name=NAME, phone="13800004322")
    available(["zhangwei"], hour())
    round_, _ = round_with_slots(application, [hour()], interviewers=("zhangwei",))
    scheduling.answer_without_booking(round_.id, "other_time", f"下周二下午 {PHISH}")
    run_fast_worker(redis_conn)

    [notice] = [m for m in box.messages("hr_lina") if m["msgtype"] == "markdown"]
    hrefs, page = links_on_phone(box, "hr_lina")
    assert hrefs and all(h.startswith(app_url) for h in hrefs), hrefs
    assert "<b>王</b>" not in page
    assert "下周二下午" in notice["body"]["content"]

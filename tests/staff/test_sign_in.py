"""Staff sign-in through the sandbox's OAuth page over real HTTP; roles; CSRF; candidates kept out."""
import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from app.core import staff
from app.core.errors import Forbidden
from app.core.models import Application, Note
from app.interview import decisions
from app.interview.invitations import invite_candidate
from tests.support.app import import_job
from tests.support.wecom import scored_application


def sign_in(app_url, box, userid, next_path="/m/"):
    """Open a staff page, follow the redirect to the sandbox's authorize page, pick `userid`."""
    http = requests.Session()
    res = http.get(app_url + next_path, timeout=10)
    assert urlparse(res.url).path == "/connect/oauth2/authorize" and res.url.startswith(box.url)
    query = parse_qs(urlparse(res.url).query)
    assert query["appid"] == ["wwsandbox0000000001"] and query["agentid"] == ["1000002"]
    assert "选择以哪位成员身份登录" in res.text
    form = {"redirect_uri": query["redirect_uri"][0], "state": query["state"][0], "userid": userid}
    res = http.post(res.url.split("#")[0], data=form, timeout=10)
    return http, res


def csrf(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_manager_signs_in_through_the_sandbox_and_sees_only_their_jobs(wecom_env, backend_job):
    app, app_url, box = wecom_env
    sales = import_job("sales-representative.yaml")
    mine = scored_application(backend_job, "李明", "13800001234")
    scored_application(sales, "赵六", "13800005678")
    http, res = sign_in(app_url, box, "zhangwei")
    assert res.status_code == 200 and res.url == app_url + "/m/"
    assert "张伟" in res.text and "李明" in res.text and "赵六" in res.text  # zhangwei manages both jobs

    http, res = sign_in(app_url, box, "wangfang")
    assert "赵六" in res.text and "李明" not in res.text
    assert http.get(f"{app_url}/m/applications/{mine.id}", timeout=10).status_code == 404
    page = http.get(app_url + "/m/", timeout=10).text
    res = http.post(f"{app_url}/m/applications/{mine.id}/decide", timeout=10,
                    data={"csrf_token": csrf(page), "decision": "rejected"})
    assert res.status_code == 404 and Application.get_by_id(mine.id).stage == "ai_scored"
    assert http.get(app_url + "/admin/", timeout=10).status_code == 403  # managers are not HR


def test_hr_opens_admin_and_decides_on_the_web_with_csrf(wecom_env, backend_job):
    app, app_url, box = wecom_env
    application = scored_application(backend_job)
    http, res = sign_in(app_url, box, "hr_lina", next_path="/admin/")
    assert res.url == app_url + "/admin/" and "招聘管理" in res.text and "后端开发工程师" in res.text
    page = http.get(f"{app_url}/m/applications/{application.id}", timeout=10).text
    assert "你的决定" in page and "AI报告已出" in page
    without = http.post(f"{app_url}/m/applications/{application.id}/notes", data={"body": "不错"}, timeout=10)
    assert without.status_code == 400 and Note.select().count() == 0
    with_token = http.post(f"{app_url}/m/applications/{application.id}/notes", timeout=10,
                           data={"body": "沟通清楚", "csrf_token": csrf(page)})
    assert with_token.status_code == 200 and "沟通清楚" in with_token.text
    res = http.post(f"{app_url}/m/applications/{application.id}/decide", timeout=10,
                    data={"decision": "second_round", "csrf_token": csrf(page)})
    assert "进入复试" in res.text and Application.get_by_id(application.id).stage == "second_round"
    assert "李娜" in res.text or "hr_lina" in res.text


def test_members_without_a_role_and_bad_codes_are_refused(wecom_env, backend_job):
    app, app_url, box = wecom_env
    http, res = sign_in(app_url, box, "liuyang")
    assert res.status_code == 403 and "无法使用此页面" in res.text
    assert http.get(app_url + "/m/", timeout=10, allow_redirects=False).status_code == 302
    # A forged callback: state does not match, or the code is not WeCom's.
    assert http.get(app_url + "/auth/callback?code=x&state=y", timeout=10).status_code == 403
    http.get(app_url + "/auth/login", timeout=10, allow_redirects=False)
    res = http.get(app_url + "/auth/callback?code=forged&state=" + "x", timeout=10)
    assert res.status_code == 403


def test_a_candidate_token_cannot_open_admin_or_manager_pages(wecom_env, backend_job):
    app, app_url, box = wecom_env
    interview, token = invite_candidate(backend_job.id, "李明", "13800001234")
    http = requests.Session()
    assert http.get(f"{app_url}/i/{token}", timeout=10).status_code == 200
    for path in ("/m/", "/admin/", f"/m/applications/{interview.application_id}"):
        for res in (http.get(app_url + path, timeout=10, allow_redirects=False),
                    http.get(app_url + path, params={"token": token}, timeout=10, allow_redirects=False,
                             headers={"Authorization": f"Bearer {token}", "X-Interview-Token": token})):
            assert res.status_code == 302 and "/auth/login" in res.headers["Location"]


def test_decide_checks_the_job_manager(wecom_env, backend_job):
    application = scored_application(backend_job)
    with pytest.raises(Forbidden) as info:
        decisions.decide(application.id, "second_round", "wangfang", "web")
    assert info.value.code == "not_job_manager"
    assert decisions.decide(application.id, "second_round", "zhangwei", "web").to_stage == "second_round"
    assert decisions.decide(application.id, "second_round", "zhangwei", "web") is None  # already there
    assert staff.load_staff("hr_lina").is_hr and not staff.load_staff("zhangwei").is_hr
    assert staff.load_staff("liuyang") is None

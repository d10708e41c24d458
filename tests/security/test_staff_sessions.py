"""Staff sign-in: `next` stays on this site, cookies are locked down, sessions last a working day, logout revokes."""
import datetime as dt
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, quote, urlparse

import pytest
import requests


def sign_in_raw(app_url, box, userid, next_value):
    """Sign in through /auth/login?next=<next_value>; return (session, the app's answer to the OAuth callback)."""
    http = requests.Session()
    res = http.get(f"{app_url}/auth/login?next={next_value}", timeout=10)
    assert urlparse(res.url).path == "/connect/oauth2/authorize", res.url
    query = parse_qs(urlparse(res.url).query)
    form = {"redirect_uri": query["redirect_uri"][0], "state": query["state"][0], "userid": userid}
    to_app = http.post(res.url.split("#")[0], data=form, timeout=10, allow_redirects=False)
    assert to_app.status_code in (302, 303), to_app.text
    return http, http.get(to_app.headers["Location"], timeout=10, allow_redirects=False)


def same_origin_target(app_url, location):
    """Where a browser would go: the Location resolved against the app, tab/CR/LF stripped as browsers do."""
    from urllib.parse import urljoin
    cleaned = "".join(ch for ch in location if ch not in "\t\r\n").replace("\\", "/")
    target = urlparse(urljoin(app_url + "/auth/callback", cleaned))
    return f"{target.scheme}://{target.netloc}" == app_url


@pytest.mark.parametrize("next_value", [
    "/%09/evil.example/x", "//evil.example/x", "/\\evil.example/x", "%2F%2Fevil.example", "https://evil.example/",
    "/%5Cevil.example", "javascript:alert(1)", "/%0d%0aSet-Cookie:%20x=1", "/m/%0aX-Injected:%201", "%09//evil.example",
])
def test_next_never_leaves_the_site_and_never_breaks_the_response(wecom_env, next_value):
    app, app_url, box = wecom_env
    _, res = sign_in_raw(app_url, box, "hr_lina", next_value)
    assert res.status_code == 302, res.status_code
    location = res.headers["Location"]
    assert same_origin_target(app_url, location), location
    assert "\r" not in location and "\n" not in location and "X-Injected" not in res.headers
    assert "Set-Cookie" not in res.headers or "x=1" not in res.headers["Set-Cookie"]


def test_a_same_site_next_path_with_a_query_is_kept(wecom_env):
    app, app_url, box = wecom_env
    _, res = sign_in_raw(app_url, box, "hr_lina", quote("/m/?page=2", safe=""))
    assert res.headers["Location"] in ("/m/?page=2", app_url + "/m/?page=2")


def session_cookie(res):
    header = res.headers.get("Set-Cookie", "")
    assert header.startswith("session="), header
    return header


def test_staff_session_cookie_is_httponly_samesite_and_lasts_a_working_day(wecom_env):
    app, app_url, box = wecom_env
    _, res = sign_in_raw(app_url, box, "hr_lina", "/m/")
    header = session_cookie(res)
    attrs = {part.strip().split("=", 1)[0].lower(): part.strip() for part in header.split(";")}
    assert "httponly" in attrs and attrs.get("samesite", "").lower() == "samesite=lax"
    expires = parsedate_to_datetime(attrs["expires"].split("=", 1)[1])
    assert expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=app.config["STAFF_SESSION_HOURS"])
    assert app.config["STAFF_SESSION_HOURS"] <= 12


def test_logout_revokes_a_captured_cookie(wecom_env):
    app, app_url, box = wecom_env
    http, res = sign_in_raw(app_url, box, "hr_lina", "/m/")
    captured = res.cookies.get("session") or http.cookies.get("session")
    assert http.get(app_url + "/m/", timeout=10, allow_redirects=False).status_code == 200
    page = http.get(app_url + "/m/", timeout=10).text
    import re
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert http.post(app_url + "/auth/logout", data={"csrf_token": token}, timeout=10).status_code == 200
    thief = requests.Session()
    thief.cookies.set("session", captured)
    res = thief.get(app_url + "/m/", timeout=10, allow_redirects=False)
    assert res.status_code == 302 and "/auth/login" in res.headers["Location"]


def test_cookies_are_secure_when_served_over_https(tmp_path, redis_conn):
    from tests.support.app import make_app
    from tests.support.interviews import invite, make_short_job
    app = make_app(tmp_path, PUBLIC_BASE_URL="https://hr.example.com", WTF_CSRF_ENABLED=True)
    from app.core.db import database
    with app.app_context(), database.connection_context():
        _, token = invite(make_short_job())
        res = app.test_client().get(f"/i/{token}/consent", base_url="https://hr.example.com")
    header = res.headers.get("Set-Cookie", "")
    assert header.startswith("session=") and "Secure" in header and "SameSite=Lax" in header and "HttpOnly" in header

"""Security headers on every kind of response: pages, JSON, static files, errors; HSTS only in production."""
import re

import pytest

from tests.support.app import make_app
from tests.support.interviews import invite, make_short_job

EXPECTED = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def paths(token):
    return [f"/i/{token}", f"/i/{token}/consent", "/mp/api/v1/openapi.json", "/healthz", "/no-such-page",
            "/static/h5/common.js", "/auth/login"]


def check(res):
    for name, value in EXPECTED.items():
        assert res.headers.get(name) == value, (name, res.headers.get(name))
    csp = res.headers.get("Content-Security-Policy", "")
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives.get("default-src") == "'self'" and directives.get("frame-ancestors") == "'none'"
    assert directives.get("object-src") == "'none'" and "'unsafe-inline'" not in directives.get("script-src", "")
    return directives


def test_every_response_carries_the_security_headers(app, client):
    _, token = invite(make_short_job())
    for path in paths(token):
        res = client.get(path)
        check(res)
        assert "Strict-Transport-Security" not in res.headers  # not over plain HTTP in development


def test_inline_scripts_carry_the_nonce_of_their_response(app, client):
    _, token = invite(make_short_job())
    res = client.get(f"/i/{token}/consent")
    nonce = re.search(r"'nonce-([^']+)'", check(res)["script-src"]).group(1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", res.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in attrs for attrs in scripts)
    again = client.get(f"/i/{token}/consent")
    assert re.search(r"'nonce-([^']+)'", again.headers["Content-Security-Policy"]).group(1) != nonce


@pytest.mark.parametrize("env", ["production"])
def test_production_sends_hsts(tmp_path, redis_conn, env):
    from app.core.db import database
    app = make_app(tmp_path, APP_ENV=env, PUBLIC_BASE_URL="https://hr.example.com")
    with app.app_context(), database.connection_context():
        res = app.test_client().get("/healthz", base_url="https://hr.example.com")
    check(res)
    assert res.headers["Strict-Transport-Security"].startswith("max-age=31536000")

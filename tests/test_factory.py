"""The app factory, health probes and configuration."""
import pytest

from config.settings import ConfigError, load_settings


def test_production_refuses_to_start_without_secrets():
    with pytest.raises(ConfigError) as info:
        load_settings({"APP_ENV": "production", "SECRET_KEY": "x"})
    assert "WECOM_SECRET" in str(info.value)


def test_health_and_ready(client):
    assert client.get("/healthz").json == {"status": "ok", "checks": {"database": "ok"}}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json["checks"] == {"database": "ok", "redis": "ok"}


def test_unknown_page_is_friendly_not_a_trace(client):
    page = client.get("/nowhere")
    assert page.status_code == 404 and "页面不存在" in page.get_data(as_text=True)
    api = client.get("/mp/api/v1/nowhere")
    assert api.status_code == 404 and api.json["error"]["code"] == "not_found"

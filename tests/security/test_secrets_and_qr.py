"""Production refuses weak or publicly known secrets and needs WECOM_API_BASE; QR codes of dead links are purged."""
from pathlib import Path

import pytest

from app.interview.models import Interview
from config.settings import ConfigError, load_settings
from tests.support.interviews import make_short_job

GOOD = {"APP_ENV": "production", "SECRET_KEY": "9f2c1e7a5b3d4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f",
        "DATABASE_URL": "postgresql://app@db/app", "PUBLIC_BASE_URL": "https://hr.example.com",
        "WECOM_CORP_ID": "ww1234567890abcdef", "WECOM_SECRET": "a-real-app-secret-from-the-admin-console-0123",
        "WECOM_TOKEN": "Rk3mQ8vZp2Lx", "WECOM_AES_KEY": "Zq8Yx2Wv4Ut6Sr8Qp0On2Ml4Kj6Ih8Gf0Ed2Cb4Aa6Z",
        "WECOM_AGENT_ID": "1000005", "WECOM_API_BASE": "https://qyapi.weixin.qq.com/cgi-bin/",
        "SMS_PROVIDER": "off"}  # production must choose: tests/notifications checks the tencent settings


def test_a_well_configured_production_starts():
    settings = load_settings(dict(GOOD))
    assert settings["WECOM_API_BASE"] == "https://qyapi.weixin.qq.com/cgi-bin/" and not settings["WECOM_SANDBOX"]
    assert settings["WECOM_CONTACT_SECRET"] == ""   # optional: only creating a hire's WeCom account needs it
    assert settings["WECOM_OFFER_TEMPLATE_ID"] == ""  # optional: only offers outside policy need it


@pytest.mark.parametrize("name,value", [
    ("SECRET_KEY", "x"), ("SECRET_KEY", "changeme"), ("SECRET_KEY", "a" * 40),
    ("WECOM_TOKEN", "sandboxtoken"), ("WECOM_TOKEN", "QDG6eK"),
    ("WECOM_AES_KEY", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"), ("WECOM_AES_KEY", "tooshort"),
    ("WECOM_SECRET", "sandbox-secret"), ("WECOM_CORP_ID", "wwsandbox0000000001"),
    ("WECOM_CONTACT_SECRET", "sandbox-contact-secret"), ("WECOM_OFFER_TEMPLATE_ID", "sandbox-offer-template"),
    ("WECOM_API_BASE", None), ("WECOM_API_BASE", "http://127.0.0.1:5100/cgi-bin/"),
    ("PUBLIC_BASE_URL", "http://hr.example.com"),
])
def test_production_refuses_weak_or_public_settings(name, value):
    env = dict(GOOD)
    if value is None:
        env.pop(name)
    else:
        env[name] = value
    with pytest.raises(ConfigError) as info:
        load_settings(env)
    assert name in str(info.value)


def test_qr_codes_of_links_that_no_longer_work_are_purged(app, runner):
    job = make_short_job()
    live = runner.invoke(args=["invite", "--job", str(job.id), "--name", "李雷", "--phone", "13812345678"])
    ended = runner.invoke(args=["invite", "--job", str(job.id), "--name", "韩梅梅", "--phone", "13812340000"])
    assert live.exit_code == 0 and ended.exit_code == 0, live.output + ended.output
    live_png, ended_png = (Path(r.output.split("QR code: ")[1].split()[0]) for r in (live, ended))
    assert live_png.exists() and ended_png.exists()
    assert Path(app.config["MEDIA_ROOT"]) in live_png.parents  # with the interview's other files, not in the repo
    interview_id = int(ended_png.stem.rsplit("-", 1)[1])
    Interview.update(status="completed").where(Interview.id == interview_id).execute()
    res = runner.invoke(args=["retention", "purge"])
    assert res.exit_code == 0, res.output
    assert live_png.exists() and not ended_png.exists()

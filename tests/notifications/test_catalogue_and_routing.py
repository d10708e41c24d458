"""The notice list, SMS lengths, the channel order, the quiet hours, the unsubscribe link and the settings."""
import datetime as dt

import pytest

from app.core.extensions import settings
from app.notifications import catalogue, consent, policy, routing
from app.notifications.models import Channel
from config.notify_settings import SANDBOX_ALIYUN_TEMPLATE_CODES, SANDBOX_SMS_TEMPLATE_IDS
from config.settings import ConfigError, load_settings
from tests.security.test_secrets_and_qr import GOOD
from wecom_sandbox.sms_templates import ALIYUN_CODES, APPROVED, NAMES

CHINA = dt.timezone(dt.timedelta(hours=8))


def test_every_template_is_configured_and_matches_the_approved_text():
    assert set(catalogue.SMS_TEMPLATES) == set(SANDBOX_SMS_TEMPLATE_IDS)
    for key, template in catalogue.SMS_TEMPLATES.items():
        approved = APPROVED[SANDBOX_SMS_TEMPLATE_IDS[key]]
        assert (template.text, template.kind) == (approved["text"], approved["kind"]), key
        assert template.text.count("{") == len(template.params), key
    for spec in catalogue.NOTICES.values():
        assert spec.sms in catalogue.SMS_TEMPLATES and "回T退订" in catalogue.SMS_TEMPLATES[spec.sms].text


def test_aliyuns_variable_names_and_template_codes_match_the_catalogue():
    for key, template in catalogue.SMS_TEMPLATES.items():
        assert NAMES[SANDBOX_SMS_TEMPLATE_IDS[key]] == template.params, key
        assert ALIYUN_CODES[SANDBOX_ALIYUN_TEMPLATE_CODES[key]] == SANDBOX_SMS_TEMPLATE_IDS[key], key
    assert catalogue.sms_named_params("code", {"minutes": 5, "code": "123456"}) == {"code": "123456", "minutes": "5"}


def test_segments_count_the_signature_70_then_67():
    assert catalogue.segments("【签名】" + "字" * 66) == 1       # 70
    assert catalogue.segments("【签名】" + "字" * 67) == 2       # 71
    assert catalogue.segments("字" * 134) == 2 and catalogue.segments("字" * 135) == 3


def test_sms_text_fills_the_template_and_the_link():
    params = catalogue.sms_params("decision", {"name": "李明", "job": "后端开发工程师", "token": "T0k", "x": "unused"})
    assert catalogue.sms_text("decision", params, "示例科技", "https://hr.example.com/") == (
        "【示例科技】李明您好,您应聘「后端开发工程师」的结果已更新,请查看:https://hr.example.com/i/T0k/status 回T退订")
    with pytest.raises(KeyError):
        catalogue.sms_params("decision", {"name": "李明"})


def test_a_time_in_a_notice_says_its_zone_in_the_approved_text_not_in_a_variable(app):
    """「请于3月12日18:00前完成」: the invitation, reminder and second-round notices gave a time without its zone, where
    every page says 「(北京时间)」. The zone is now part of the approved text (like the link), so the time variable
    stays as short as it was and each SMS stays two parts."""
    values = {"name": "欧阳明月", "company": "示例科技有限公司", "job": "高级后端开发工程师(支付)",
              "deadline": "12月12日18:00", "time": "12月12日18:00", "token": "T" * 32}
    timed = [key for key, spec in catalogue.SMS_TEMPLATES.items() if {"deadline", "time"} & set(spec.params)]
    dated = {"offer_sent", "offer_expiring"}   # a day (3月12日), not a time of day
    assert set(timed) - dated == {"invitation", "reminder", "slots_offered", "interview_soon", "booking_moved",
                                  "booking_cancelled"}
    for key in set(timed) - dated:
        params = catalogue.sms_params(key, values)
        assert "12月12日18:00" in params and all("北京时间" not in p for p in params), key
        text = catalogue.sms_text(key, params, "示例科技", "https://hr.example.com")
        assert "12月12日18:00(北京时间)" in text and catalogue.segments(text) == 2, (key, len(text))
        assert "12月12日18:00(北京时间)" in catalogue.notice_text(key, values, link="https://hr.example.com/i/T"), key


def _channels(notice_key, **reach):
    return [step["channel"] for step in routing.plan(notice_key, routing.Reach(**reach))]


def test_channel_order():
    everything = dict(phone="+8613800001234", email="a@example.com", kf_customer="wm1", kf_account="wk1",
                      kf_open=True, external_userid="wo1", external_member="hr_lina")
    assert _channels("invitation", **everything) == [Channel.KF, Channel.EXTERNAL, Channel.SMS, Channel.EMAIL]
    assert _channels("invitation", **{**everything, "kf_open": False}) == [Channel.EXTERNAL, Channel.SMS,
                                                                           Channel.EMAIL]
    assert _channels("reminder", **everything)[-1] == Channel.SMS  # a reminder does not suit email
    assert _channels("invitation", phone="+8613800001234", sms_opted_out=True, email="a@example.com") == [
        Channel.EMAIL]
    assert _channels("decision") == []  # the status page only


def test_quiet_hours_wrap_midnight(app):
    settings["SMS_QUIET_HOURS"] = "22:00-08:00"

    def utc(hour, minute=0, day=10):
        return dt.datetime(2031, 3, day, hour, minute, tzinfo=CHINA).astimezone(dt.UTC).replace(tzinfo=None)

    assert policy.quiet_until(utc(21, 59)) is None and policy.quiet_until(utc(8, 0)) is None
    assert policy.quiet_until(utc(22, 0)) == utc(8, 0, day=11)
    assert policy.quiet_until(utc(3, 0)) == utc(8, 0)
    assert policy.next_morning(utc(12, 0)) == utc(8, 0, day=11)


def test_the_unsubscribe_link_asks_then_records(client):
    token = consent.unsubscribe_token("13800001234")
    page = client.get(f"/u/{token}")
    assert page.status_code == 200 and "确认退订" in page.text and "138****1234" in page.text
    assert not consent.opted_out("13800001234")  # opening the link (a link preview) changes nothing
    done = client.post(f"/u/{token}")
    assert done.status_code == 200 and "已退订短信通知" in done.text
    assert consent.opted_out("+8613800001234")
    assert client.get("/u/forged-token").status_code == 400


def test_production_refuses_sandbox_or_missing_sms_settings():
    real = {"SMS_PROVIDER": "tencent", "SMS_SECRET_ID": "AKIDrealSecretId0123456789abcdef", "SMS_SECRET_KEY": "real",
            "SMS_SDK_APP_ID": "1400123456", "SMS_SIGN_NAME": "示例科技",
            "SMS_TEMPLATE_IDS": ",".join(f"{k}={n}" for n, k in enumerate(SANDBOX_SMS_TEMPLATE_IDS, start=3000))}
    assert load_settings({**GOOD, **real})["SMS_ENDPOINT"] == "https://sms.tencentcloudapi.com"
    assert load_settings({**GOOD, "SMS_PROVIDER": "off"})["SMS_PROVIDER"] == "off"
    for broken, word in (({"SMS_PROVIDER": ""}, "SMS_PROVIDER"), ({"SMS_SECRET_KEY": "sandbox-sms-secret-key"},
                                                                  "SMS_SECRET_KEY"),
                         ({"SMS_SIGN_NAME": ""}, "SMS_SIGN_NAME"), ({"SMS_ENDPOINT": "http://127.0.0.1:5100"},
                                                                    "SMS_ENDPOINT"),
                         ({"SMS_TEMPLATE_IDS": "code=3000"}, "SMS_TEMPLATE_IDS"),
                         ({"SMS_TEMPLATE_IDS": real["SMS_TEMPLATE_IDS"].replace("3000", "2100001")},
                          "sandbox's template ids"),
                         ({"SMTP_HOST": "smtp.example.com", "SMTP_FROM": "a@example.com", "SMTP_STARTTLS": "0"},
                          "SMTP_STARTTLS")):
        with pytest.raises(ConfigError) as info:
            load_settings({**GOOD, **real, **broken})
        assert word in str(info.value)


ALIYUN = {"SMS_PROVIDER": "aliyun", "ALIYUN_SMS_ACCESS_KEY_ID": "LTAI5tRealAccessKeyId0123",
          "ALIYUN_SMS_ACCESS_KEY_SECRET": "real-secret", "ALIYUN_SMS_SIGN_NAME": "示例科技",
          "ALIYUN_SMS_TEMPLATE_CODES": ",".join(f"{k}=SMS_7{n}" for n, k in enumerate(SANDBOX_SMS_TEMPLATE_IDS,
                                                                                         start=1000))}


def test_aliyun_in_production_needs_its_own_keys_signature_template_codes_and_https():
    got = load_settings({**GOOD, **ALIYUN})  # no Tencent setting is asked for
    assert (got["SMS_PROVIDER"], got["ALIYUN_SMS_ENDPOINT"]) == ("aliyun", "https://dysmsapi.aliyuncs.com")
    assert got["ALIYUN_SMS_TEMPLATE_CODES"]["code"] == "SMS_71000"
    assert got["ALIYUN_SMS_UP_TOKEN"] == ""  # replies are read only once a secret URL is set
    assert load_settings({**GOOD, **ALIYUN, "ALIYUN_SMS_UP_TOKEN": "k" * 24})["ALIYUN_SMS_UP_TOKEN"] == "k" * 24
    for broken, word in (({"ALIYUN_SMS_ACCESS_KEY_ID": ""}, "ALIYUN_SMS_ACCESS_KEY_ID is required"),
                         ({"ALIYUN_SMS_ACCESS_KEY_SECRET": "sandbox-aliyun-sms-secret"},
                          "ALIYUN_SMS_ACCESS_KEY_SECRET is the sandbox's value"),
                         ({"ALIYUN_SMS_SIGN_NAME": "面试官示例"}, "ALIYUN_SMS_SIGN_NAME is the sandbox's value"),
                         ({"ALIYUN_SMS_ENDPOINT": "http://127.0.0.1:5100/aliyun-sms"}, "ALIYUN_SMS_ENDPOINT"),
                         ({"ALIYUN_SMS_TEMPLATE_CODES": "code=SMS_71000"}, "ALIYUN_SMS_TEMPLATE_CODES needs"),
                         ({"ALIYUN_SMS_TEMPLATE_CODES": ALIYUN["ALIYUN_SMS_TEMPLATE_CODES"].replace(
                             "SMS_71000", "SMS_462100001")}, "ALIYUN_SMS_TEMPLATE_CODES holds the sandbox's"),
                         ({"SMS_PROVIDER": "aliyn"}, "SMS_PROVIDER must be"),
                         ({"ALIYUN_SMS_UP_TOKEN": "sandbox-sms-up-token"}, "ALIYUN_SMS_UP_TOKEN must be"),
                         ({"ALIYUN_SMS_UP_TOKEN": "short-guessable"}, "ALIYUN_SMS_UP_TOKEN must be")):
        with pytest.raises(ConfigError) as info:
            load_settings({**GOOD, **ALIYUN, **broken})
        assert word in str(info.value), broken


def test_the_providers_named_in_settings_core_and_channels_are_the_same():
    from app.core import sms
    from app.notifications.channels import SMS_CLIENTS
    from config.notify_settings import PROVIDER_SETTINGS, SMS_PROVIDERS
    assert set(SMS_CLIENTS) == set(sms.PROVIDERS) == set(PROVIDER_SETTINGS) == set(SMS_PROVIDERS) - {"off"}
    for name, client in SMS_CLIENTS.items():  # each client reads the template setting the settings check
        assert client.TEMPLATE_SETTING == PROVIDER_SETTINGS[name][3]


def test_development_points_aliyun_at_the_sandbox():
    got = load_settings({"APP_ENV": "development", "SMS_PROVIDER": "aliyun", "SECRET_KEY": "x" * 40})
    assert got["ALIYUN_SMS_ENDPOINT"] == "http://127.0.0.1:5100/aliyun-sms"
    assert got["ALIYUN_SMS_ACCESS_KEY_ID"] == "LTAIsandboxAliyunSms0000"
    assert got["ALIYUN_SMS_TEMPLATE_CODES"] == SANDBOX_ALIYUN_TEMPLATE_CODES

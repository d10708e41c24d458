"""Settings of the notifications domain (app/notifications): the SMS provider, its keys, signature and template ids,
email over SMTP, quiet hours and caps. Read by config/settings.py; production refuses missing or sandbox values.

SMS in China go out only under an approved signature (签名) and approved templates, so the configuration names the
template id of every template the app sends (SMS_TEMPLATE_IDS, "key=id,key=id"); the template texts themselves live
in app/notifications/catalogue.py (submit exactly those for approval).
"""
from config.errors import ConfigError

# The development defaults are the WeCom sandbox's SMS (wecom_sandbox/sms.py): its keys, app id, signature and the
# ids of its approved templates. Anybody can read them here, so production refuses every one of them.
SANDBOX_SMS = {
    "SMS_SECRET_ID": "AKIDsandboxSmsSecretId000000000000",
    "SMS_SECRET_KEY": "sandbox-sms-secret-key",
    "SMS_SDK_APP_ID": "1400000000",
    "SMS_SIGN_NAME": "面试官示例",
}
SANDBOX_SMS_TEMPLATE_IDS = {
    "code": "2100001", "invitation": "2100002", "reminder": "2100003", "slots_offered": "2100004",
    "booking_moved": "2100005", "booking_cancelled": "2100006", "check_requested": "2100007",
    "offer_sent": "2100008", "offer_expiring": "2100009", "onboarding_returned": "2100010",
    "decision": "2100011", "data_request_answered": "2100012", "slot_reminder": "2100013", "interview_soon": "2100014",
}
# Aliyun SMS (wecom_sandbox/aliyun_sms.py plays it): the sandbox's AccessKey, signature and TemplateCodes.
SANDBOX_ALIYUN_SMS = {
    "ALIYUN_SMS_ACCESS_KEY_ID": "LTAIsandboxAliyunSms0000",
    "ALIYUN_SMS_ACCESS_KEY_SECRET": "sandbox-aliyun-sms-secret",
    "ALIYUN_SMS_SIGN_NAME": "面试官示例",
}
SANDBOX_ALIYUN_TEMPLATE_CODES = {key: f"SMS_46{number}" for key, number in SANDBOX_SMS_TEMPLATE_IDS.items()}
# The sandbox pushes Aliyun replies to {PUBLIC_BASE_URL}/sms/aliyun/replies/<this> (wecom_sandbox/aliyun_sms.py).
SANDBOX_SMS_UP_TOKEN = "sandbox-sms-up-token"
SMS_PROVIDERS = ("tencent", "aliyun", "off")
TENCENT_ENDPOINT = "https://sms.tencentcloudapi.com"
ALIYUN_ENDPOINT = "https://dysmsapi.aliyuncs.com"
ALIYUN_SANDBOX_ENDPOINT = "http://127.0.0.1:5100/aliyun-sms"
# Per provider: its required settings with the sandbox's values, its endpoint setting and production endpoint, its
# template setting and the sandbox's template ids.
PROVIDER_SETTINGS = {
    "tencent": (SANDBOX_SMS, "SMS_ENDPOINT", TENCENT_ENDPOINT, "SMS_TEMPLATE_IDS", SANDBOX_SMS_TEMPLATE_IDS),
    "aliyun": (SANDBOX_ALIYUN_SMS, "ALIYUN_SMS_ENDPOINT", ALIYUN_ENDPOINT, "ALIYUN_SMS_TEMPLATE_CODES",
               SANDBOX_ALIYUN_TEMPLATE_CODES),
}


def _template_ids(raw, sandbox_default=False, sandbox_ids=SANDBOX_SMS_TEMPLATE_IDS):
    """"key=id,key=id" -> {key: id}; when empty, the sandbox ids (development) or nothing (production)."""
    if not raw:
        return dict(sandbox_ids) if sandbox_default else {}
    pairs = [p.strip() for p in raw.split(",") if p.strip()]
    ids = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        ids[key.strip()] = value.strip()
    return ids


def load(env, app_env, int_setting):
    """The notification settings from `env` (development defaults point at the sandbox on port 5100)."""
    production = app_env == "production"
    return {
        # "tencent" (Tencent Cloud SMS API 3.0, or the sandbox that speaks it) or "off" (no SMS at all).
        "SMS_PROVIDER": (env.get("SMS_PROVIDER") or ("" if production else "tencent")).lower(),
        # Where SendSms / PullSmsSendStatus / PullSmsReplyStatus are POSTed (the sandbox in development).
        "SMS_ENDPOINT": (env.get("SMS_ENDPOINT") or (TENCENT_ENDPOINT if production else "http://127.0.0.1:5100")).rstrip("/"),
        "SMS_REGION": env.get("SMS_REGION") or "ap-guangzhou",
        "SMS_SECRET_ID": env.get("SMS_SECRET_ID") or ("" if production else SANDBOX_SMS["SMS_SECRET_ID"]),
        "SMS_SECRET_KEY": env.get("SMS_SECRET_KEY") or ("" if production else SANDBOX_SMS["SMS_SECRET_KEY"]),
        "SMS_SDK_APP_ID": env.get("SMS_SDK_APP_ID") or ("" if production else SANDBOX_SMS["SMS_SDK_APP_ID"]),
        "SMS_SIGN_NAME": env.get("SMS_SIGN_NAME") or ("" if production else SANDBOX_SMS["SMS_SIGN_NAME"]),
        "SMS_TEMPLATE_IDS": _template_ids(env.get("SMS_TEMPLATE_IDS"), sandbox_default=not production),
        # Aliyun SMS (SMS_PROVIDER=aliyun): Dysmsapi 2017-05-25 at this endpoint (the sandbox in development).
        "ALIYUN_SMS_ENDPOINT": (env.get("ALIYUN_SMS_ENDPOINT")
                                or (ALIYUN_ENDPOINT if production else ALIYUN_SANDBOX_ENDPOINT)).rstrip("/"),
        **{name: env.get(name) or ("" if production else value) for name, value in SANDBOX_ALIYUN_SMS.items()},
        # "key=SMS_123,key=SMS_456": the TemplateCode of every approved template (catalogue.py, ${name} variables).
        "ALIYUN_SMS_TEMPLATE_CODES": _template_ids(env.get("ALIYUN_SMS_TEMPLATE_CODES"), not production,
                                                   SANDBOX_ALIYUN_TEMPLATE_CODES),
        # The secret last part of the URL Aliyun pushes replies to (上行短信 HTTP批量推送, docs/notifications.md):
        # {PUBLIC_BASE_URL}/sms/aliyun/replies/<token>. Empty: the URL answers 404 and replies are not read.
        "ALIYUN_SMS_UP_TOKEN": env.get("ALIYUN_SMS_UP_TOKEN") or ("" if production else SANDBOX_SMS_UP_TOKEN),
        "SMS_TIMEOUT": float(env.get("SMS_TIMEOUT") or 5),
        # No SMS in these hours (local time of SMS_TIMEZONE); held until they end. Urgent notices go anyway.
        "SMS_QUIET_HOURS": env.get("SMS_QUIET_HOURS") or "22:00-08:00",
        "SMS_TIMEZONE": env.get("SMS_TIMEZONE") or "Asia/Shanghai",
        # Notice SMS per candidate phone per local day (codes have their own limits); the rest wait for tomorrow.
        "SMS_DAILY_CAP": int_setting(env, "SMS_DAILY_CAP", 3),
        # Verification-code SMS per hour for all phones together (a brake on SMS pumping through the public form).
        "SMS_CODES_PER_HOUR": int_setting(env, "SMS_CODES_PER_HOUR", 300),
        # HR is told (WeCom message) when an invitation, slot offer or offer reached the candidate on no channel
        # within this many hours.
        "NOTICE_UNREACHED_HOURS": int_setting(env, "NOTICE_UNREACHED_HOURS", 24),
        # Email (off while SMTP_HOST is empty). STARTTLS is required in production.
        "SMTP_HOST": env.get("SMTP_HOST") or "",
        "SMTP_PORT": int_setting(env, "SMTP_PORT", 587),
        "SMTP_USER": env.get("SMTP_USER") or "",
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD") or "",
        "SMTP_FROM": env.get("SMTP_FROM") or "",
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "1") == "1",
        # A CA file to trust for the SMTP server's certificate (empty: the system's CAs).
        "SMTP_CA_FILE": env.get("SMTP_CA_FILE") or "",
        "SMTP_TIMEOUT": float(env.get("SMTP_TIMEOUT") or 10),
    }


def check_production(env):
    """The reasons the notification settings in `env` are not fit for production."""
    problems = []
    provider = (env.get("SMS_PROVIDER") or "").lower()
    if provider not in SMS_PROVIDERS:
        problems.append("SMS_PROVIDER must be tencent (with SMS_SECRET_ID, SMS_SECRET_KEY, SMS_SDK_APP_ID, "
                        "SMS_SIGN_NAME, SMS_TEMPLATE_IDS), aliyun (with ALIYUN_SMS_ACCESS_KEY_ID, "
                        "ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_TEMPLATE_CODES) or off")
    if provider in PROVIDER_SETTINGS:
        problems.extend(_provider_problems(env, provider, *PROVIDER_SETTINGS[provider]))
    up_token = env.get("ALIYUN_SMS_UP_TOKEN") or ""
    if up_token and (up_token == SANDBOX_SMS_UP_TOKEN or len(up_token) < 24):
        problems.append("ALIYUN_SMS_UP_TOKEN must be a random secret of 24 characters or more (it is all that "
                        "guards the URL Aliyun pushes replies to), not the sandbox's value")
    if env.get("SMTP_HOST"):
        if env.get("SMTP_STARTTLS", "1") != "1":
            problems.append("SMTP_STARTTLS must be 1 in production (no plain-text SMTP)")
        if not env.get("SMTP_FROM"):
            problems.append("SMTP_FROM is required with SMTP_HOST")
    return problems


def _provider_problems(env, provider, sandbox_values, endpoint_name, endpoint, templates_name, sandbox_ids):
    """Missing or sandbox keys, signature and template ids, and a non-https endpoint, of one SMS provider."""
    problems = []
    for name, sandbox_value in sandbox_values.items():
        if not env.get(name):
            problems.append(f"{name} is required with SMS_PROVIDER={provider}")
        elif env.get(name) == sandbox_value:
            problems.append(f"{name} is the sandbox's value")
    if not (env.get(endpoint_name) or endpoint).startswith("https://"):
        problems.append(f"{endpoint_name} must be https (normally {endpoint}), not the sandbox")
    ids = _template_ids(env.get(templates_name))
    missing = sorted(set(sandbox_ids) - {k for k, v in ids.items() if v})
    if missing:
        problems.append(f"{templates_name} needs an approved template id for: " + ", ".join(missing))
    if any(ids.get(k) in set(sandbox_ids.values()) for k in ids):
        problems.append(f"{templates_name} holds the sandbox's template ids")
    return problems


def check(settings):
    """Settings that are wrong in any environment."""
    if settings["SMS_PROVIDER"] not in SMS_PROVIDERS:
        raise ConfigError(f"SMS_PROVIDER must be one of {', '.join(SMS_PROVIDERS)}, got {settings['SMS_PROVIDER']!r}")
    start, _, end = settings["SMS_QUIET_HOURS"].partition("-")
    for part in (start, end):
        hours, _, minutes = part.strip().partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ConfigError(f"SMS_QUIET_HOURS must look like 22:00-08:00, got {settings['SMS_QUIET_HOURS']!r}")

"""A developer-only WeCom sandbox: the API subset the app uses, a phone page per member, callbacks
encrypted like WeCom's. Run it with `python -m wecom_sandbox --port 5100`."""
import logging
import os
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "corp_id": "wwsandbox0000000001", "secret": "sandbox-secret", "token": "sandboxtoken",
    # 通讯录同步's secret: its tokens may write the directory (user/create); the app's may not.
    "contact_secret": "sandbox-contact-secret",
    "aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "agent_id": 1000002,
    "callback_url": "http://127.0.0.1:5000/wecom/callback", "token_ttl": 7200,
    "callback_timeout": 5.0, "retry_delay": 1.0,
    # Tencent Cloud SMS (wecom_sandbox/sms.py); match config/notify_settings.py's development defaults.
    "sms_secret_id": "AKIDsandboxSmsSecretId000000000000", "sms_secret_key": "sandbox-sms-secret-key",
    "sms_app_id": "1400000000", "sms_sign": "面试官示例", "sms_link_base": "http://127.0.0.1:5000",
    # Aliyun SMS (wecom_sandbox/aliyun_sms.py, under /aliyun-sms/); match config/notify_settings.py too. Notices per
    # number and template in 24 h (Aliyun's default is 50; a test lowers it to reach the limit quickly).
    "aliyun_key_id": "LTAIsandboxAliyunSms0000", "aliyun_key_secret": "sandbox-aliyun-sms-secret",
    "aliyun_sign": "面试官示例", "aliyun_notices_per_day": 50,
    # Replies to an Aliyun SMS are pushed to {sms_link_base}/sms/aliyun/replies/<this> (ALIYUN_SMS_UP_TOKEN).
    "aliyun_up_token": "sandbox-sms-up-token",
    "db": str(Path(__file__).resolve().parent.parent / "instance" / "sandbox.db"),
}
ENV = {"corp_id": "WECOM_CORP_ID", "secret": "WECOM_SECRET", "contact_secret": "WECOM_CONTACT_SECRET",
       "token": "WECOM_TOKEN", "aes_key": "WECOM_AES_KEY",
       "agent_id": "WECOM_AGENT_ID", "callback_url": "SANDBOX_CALLBACK_URL", "db": "SANDBOX_DB",
       "token_ttl": "SANDBOX_TOKEN_TTL", "retry_delay": "SANDBOX_RETRY_DELAY",
       "sms_secret_id": "SMS_SECRET_ID", "sms_secret_key": "SMS_SECRET_KEY", "sms_app_id": "SMS_SDK_APP_ID",
       "sms_sign": "SMS_SIGN_NAME", "sms_link_base": "PUBLIC_BASE_URL",
       "aliyun_key_id": "ALIYUN_SMS_ACCESS_KEY_ID", "aliyun_key_secret": "ALIYUN_SMS_ACCESS_KEY_SECRET",
       "aliyun_sign": "ALIYUN_SMS_SIGN_NAME", "aliyun_up_token": "ALIYUN_SMS_UP_TOKEN"}


def load_config(overrides=None, env=None):
    """Defaults, then environment variables, then explicit overrides (command-line arguments)."""
    env = os.environ if env is None else env
    cfg = dict(DEFAULTS)
    for name, var in ENV.items():
        if env.get(var):
            cfg[name] = type(DEFAULTS[name])(env[var])
    cfg.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return cfg


def create_sandbox(overrides=None):
    """Build the sandbox Flask app."""
    from wecom_sandbox import aliyun_sms, api, calendar, kf, pages, sms  # noqa: F401 - kf, calendar add to api.bp
    from wecom_sandbox.delivery import Deliverer
    from wecom_sandbox.events import SandboxEvents
    from wecom_sandbox.store import Store

    cfg = load_config(overrides)
    Path(cfg["db"]).parent.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__)
    app.config["SANDBOX"] = cfg
    app.config["SECRET_KEY"] = "wecom-sandbox-flash-only"
    app.json.ensure_ascii = False
    store = Store(cfg["db"])
    calendar.ensure_schema(store)
    sms.ensure_schema(store)
    aliyun_sms.ensure_schema(store)
    app.extensions["sandbox_store"] = store
    app.extensions["sms_reply_listeners"] = [aliyun_sms.push_reply]  # Aliyun pushes replies; Tencent's are pulled
    app.extensions["sandbox_events"] = SandboxEvents(store, Deliverer(store, cfg), cfg)
    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(kf.bp)
    app.register_blueprint(sms.bp)
    app.register_blueprint(aliyun_sms.bp, url_prefix="/aliyun-sms")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s sandbox %(levelname)s: %(message)s")
    return app

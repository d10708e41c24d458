"""Build the settings dict for create_app from the environment; fail fast in production."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

PRODUCTION_SECRETS = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "WECOM_CORP_ID", "WECOM_SECRET",
                      "WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_AGENT_ID")


class ConfigError(RuntimeError):
    """A required setting is missing or invalid."""


def _int(env, name, default):
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def _dev_secret(name):
    """Generate a development secret once and keep it under instance/ so restarts keep sessions."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / f".{name.lower()}"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def load_settings(env=None):
    """Return the settings for the environment `env` (defaults to os.environ, plus .env in development)."""
    if env is None:
        if os.environ.get("APP_ENV", "development") != "production":
            from dotenv import load_dotenv
            load_dotenv(ROOT / ".env", override=False)
        env = os.environ
    app_env = env.get("APP_ENV", "development")
    if app_env == "production":
        missing = [name for name in PRODUCTION_SECRETS if not env.get(name)]
        if missing:
            raise ConfigError("production needs these settings: " + ", ".join(missing))
    media_root = env.get("MEDIA_ROOT") or str(INSTANCE / "media")
    settings = {
        "APP_ENV": app_env,
        "SECRET_KEY": env.get("SECRET_KEY") or _dev_secret("SECRET_KEY"),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'interview.db'}",
        "REDIS_URL": env.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "MEDIA_ROOT": media_root,
        "MODELS_DIR": env.get("MODELS_DIR") or str(INSTANCE / "models"),
        "COMPANY_NAME": env.get("COMPANY_NAME") or "示例科技有限公司",
        # Uploads: one chunk, one whole answer, and how long an upload session may stay open.
        "UPLOAD_CHUNK_BYTES": _int(env, "UPLOAD_CHUNK_BYTES", 1024 * 1024),
        "UPLOAD_MAX_BYTES": _int(env, "UPLOAD_MAX_BYTES", 200 * 1024 * 1024),
        "UPLOAD_MIN_SECONDS": float(env.get("UPLOAD_MIN_SECONDS") or 0.5),
        "INVITE_TTL_HOURS": _int(env, "INVITE_TTL_HOURS", 72),
        "IDENTITY_MAX_ATTEMPTS": _int(env, "IDENTITY_MAX_ATTEMPTS", 5),
        # Recordings and face photos are deleted this many days after the interview ends (the consent text
        # promises 180: change both together, with a new consent version).
        "RETENTION_DAYS": _int(env, "RETENTION_DAYS", 180),
        # WeCom (the sandbox by default in development).
        "WECOM_API_BASE": (env.get("WECOM_API_BASE") or "http://127.0.0.1:5100/cgi-bin/").rstrip("/") + "/",
        "WECOM_CORP_ID": env.get("WECOM_CORP_ID") or "wwsandbox0000000001",
        "WECOM_AGENT_ID": _int(env, "WECOM_AGENT_ID", 1000002),
        "WECOM_SECRET": env.get("WECOM_SECRET") or "sandbox-secret",
        "WECOM_TOKEN": env.get("WECOM_TOKEN") or "sandboxtoken",
        "WECOM_AES_KEY": env.get("WECOM_AES_KEY") or "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "WECOM_SANDBOX": env.get("WECOM_SANDBOX", "1" if app_env != "production" else "0") == "1",
        "WECOM_TIMEOUT": float(env.get("WECOM_TIMEOUT") or 5),
        # The 微信客服 account candidates may send resumes to (empty: the kf channel is off).
        "WECOM_KF_OPEN_KFID": env.get("WECOM_KF_OPEN_KFID") or "",
        # The WeCom approval template used for offers (oa/applyevent); the sandbox accepts any id.
        "WECOM_OFFER_TEMPLATE_ID": env.get("WECOM_OFFER_TEMPLATE_ID") or "sandbox-offer-template",
        # Comma-separated WeCom userids seeded as HR admins.
        "HR_USERIDS": [u for u in (env.get("HR_USERIDS") or "hr_lina").split(",") if u],
        # Speech and faces.
        "ASR_ENGINE": env.get("ASR_ENGINE") or "faster-whisper",
        "ASR_BEAM_SIZE": _int(env, "ASR_BEAM_SIZE", 1),
        "WTF_CSRF_ENABLED": env.get("WTF_CSRF_ENABLED", "1") == "1",
        "MAX_CONTENT_LENGTH": _int(env, "MAX_REQUEST_BYTES", 8 * 1024 * 1024),
    }
    return settings

"""Build the settings dict for create_app from the environment; fail fast in production."""
import json
import os
import re
import secrets
from pathlib import Path

from config import notify_settings
from config.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

PRODUCTION_SECRETS = ("SECRET_KEY", "DATABASE_URL", "PUBLIC_BASE_URL", "WECOM_CORP_ID", "WECOM_SECRET",
                      "WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_AGENT_ID", "WECOM_API_BASE")
# Values published in this repository (the sandbox) or in WeCom's documentation (its test vector): anybody can
# forge callbacks or sessions with them, so production refuses them.
PUBLIC_VALUES = {
    "WECOM_TOKEN": {"sandboxtoken", "QDG6eK"},
    "WECOM_AES_KEY": {"jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"},
    "WECOM_SECRET": {"sandbox-secret"},
    "WECOM_CONTACT_SECRET": {"sandbox-contact-secret"},
    "WECOM_OFFER_TEMPLATE_ID": {"sandbox-offer-template"},
    "WECOM_CORP_ID": {"wwsandbox0000000001", "wx5823bf96d3bd56c7"},
    "S3_SECRET_KEY": {"interview-dev-secret"},  # scripts/services.sh --s3 (development SeaweedFS)
}
# Reminders of the process (app/process/reminders.py): comma-separated hours before the deadline.
REMINDER_HOURS = {
    "REMIND_AI_HOURS": "24,4",
    "REMIND_AI_HR_HOURS": "6",
    "REMIND_INTERVIEW_HOURS": "24,2",
    "REMIND_SCORECARD_HOURS": "24",
    "REMIND_SLOT_HOURS": "48",
}
# Rate limits (app/core/rate_limits.py; "N per minute;M per hour" strings), per client address unless named.
RATE_LIMITS = {
    "RATE_LIMIT_IDENTITY": "10 per minute;30 per hour",
    "RATE_LIMIT_TOKEN_MISSES": "20 per minute;100 per hour",
    "RATE_LIMIT_CALLBACK_FAILURES": "30 per minute",
    # The posting's apply form: per client address (a job fair's Wi-Fi shares one) and per phone number.
    "RATE_LIMIT_APPLY": "10 per minute;60 per hour",
    "RATE_LIMIT_APPLY_PHONE": "5 per hour;10 per day",
}
WEAK_SECRET_KEYS = {"secret", "changeme", "change-me", "dev", "development", "test", "test-secret", "password"}
MIN_SECRET_KEY_CHARS = 32


def _int(env, name, default):
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


SELF_ID_CORE = ("gender", "age_band")  # asked always, stored in their own columns


def _self_id_questions(raw):
    """SELF_ID_EXTRA_QUESTIONS: a JSON list of [key, label, [option, ...]], asked after gender and age band."""
    try:
        questions = [(key, label, list(options)) for key, label, options in json.loads(raw or "[]")]
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"SELF_ID_EXTRA_QUESTIONS must be a JSON list of [key, label, [options]]: {exc}") from exc
    for key, label, options in questions:
        key_ok = isinstance(key, str) and re.fullmatch(r"[a-z][a-z0-9_]{0,31}", key) and key not in SELF_ID_CORE
        if not (key_ok and isinstance(label, str) and label and options and all(isinstance(o, str) for o in options)):
            raise ConfigError(f"SELF_ID_EXTRA_QUESTIONS: {key!r} needs a new lower-case key, a label and text options")
    return questions


def _texts(env, defaults):
    """A group of text settings: each from `env` when set there (and not empty), else its default."""
    return {name: env.get(name) or default for name, default in defaults.items()}


def _dev_secret(name):
    """Generate a development secret once and keep it under instance/ so restarts keep sessions."""
    INSTANCE.mkdir(parents=True, exist_ok=True)
    path = INSTANCE / f".{name.lower()}"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def check_production(env):
    """The reasons `env` is not fit for production (missing, weak or publicly known values)."""
    problems = [f"{name} is required" for name in PRODUCTION_SECRETS if not env.get(name)]
    key = env.get("SECRET_KEY") or ""
    if key and (len(key) < MIN_SECRET_KEY_CHARS or key.lower() in WEAK_SECRET_KEYS or len(set(key)) < 8):
        problems.append(f"SECRET_KEY must be a random string of at least {MIN_SECRET_KEY_CHARS} characters "
                        "(python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    for name, known in PUBLIC_VALUES.items():
        if env.get(name) in known:
            problems.append(f"{name} is the sandbox's or WeCom's published example value")
    aes = env.get("WECOM_AES_KEY") or ""
    if aes and len(aes) != 43:
        problems.append("WECOM_AES_KEY must be the 43-character EncodingAESKey from the WeCom admin console")
    api = env.get("WECOM_API_BASE") or ""
    if api and not api.startswith("https://"):
        problems.append("WECOM_API_BASE must be https://qyapi.weixin.qq.com/cgi-bin/ (https), not the sandbox")
    base = env.get("PUBLIC_BASE_URL") or ""
    if base and not base.startswith("https://"):
        problems.append("PUBLIC_BASE_URL must be https:// (WeCom requires it; cookies are Secure)")
    return problems + notify_settings.check_production(env)


def load_settings(env=None):
    """Return the settings for the environment `env` (defaults to os.environ, plus .env in development)."""
    if env is None:
        if os.environ.get("APP_ENV", "development") != "production":
            from dotenv import load_dotenv
            load_dotenv(ROOT / ".env", override=False)
        env = os.environ
    app_env = env.get("APP_ENV", "development")
    if app_env == "production":
        problems = check_production(env)
        if problems:
            raise ConfigError("production settings refused: " + "; ".join(problems))
    media_root = env.get("MEDIA_ROOT") or str(INSTANCE / "media")
    settings = {
        "APP_ENV": app_env,
        "SECRET_KEY": env.get("SECRET_KEY") or _dev_secret("SECRET_KEY"),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'interview.db'}",
        "REDIS_URL": env.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "PUBLIC_BASE_URL": (env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000").rstrip("/"),
        "MEDIA_ROOT": media_root,
        # Where recordings, playback copies, face photos and attachments live: "local" (MEDIA_ROOT) or "s3" (one
        # bucket of any S3 API server; MEDIA_ROOT is then this host's scratch folder). app/core/storage.py.
        "STORAGE": (env.get("STORAGE") or "local").lower(),
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL") or "",
        "S3_BUCKET": env.get("S3_BUCKET") or "",
        "S3_ACCESS_KEY": env.get("S3_ACCESS_KEY") or "",
        "S3_SECRET_KEY": env.get("S3_SECRET_KEY") or "",
        "S3_REGION": env.get("S3_REGION") or "us-east-1",
        "MODELS_DIR": env.get("MODELS_DIR") or str(INSTANCE / "models"),
        "COMPANY_NAME": env.get("COMPANY_NAME") or "示例科技有限公司",
        # The zone people read times in (pages, messages, exports; app/localtime.py). Stored times stay UTC.
        "TIMEZONE": env.get("TIMEZONE") or "Asia/Shanghai",
        # Uploads: one chunk, one whole answer, and how long an upload session may stay open.
        "UPLOAD_CHUNK_BYTES": _int(env, "UPLOAD_CHUNK_BYTES", 1024 * 1024),
        "UPLOAD_MAX_BYTES": _int(env, "UPLOAD_MAX_BYTES", 200 * 1024 * 1024),
        # How long a completion lock lives: a web process killed mid-complete blocks the retry at most this long.
        "UPLOAD_LOCK_SECONDS": _int(env, "UPLOAD_LOCK_SECONDS", 60),
        "UPLOAD_MIN_SECONDS": float(env.get("UPLOAD_MIN_SECONDS") or 0.5),
        # The H5 drops a chunk request that has sent nothing for this long and sends it again (a dead connection).
        "UPLOAD_STALL_SECONDS": _int(env, "UPLOAD_STALL_SECONDS", 30),
        # One attachment a candidate sends with a message (app/conversation).
        "ATTACHMENT_MAX_BYTES": _int(env, "ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024),
        # A resume file is parsed in a child process with these limits (app/screening/resume_reader.py).
        "RESUME_READ_CPU_SECONDS": _int(env, "RESUME_READ_CPU_SECONDS", 20),
        "RESUME_READ_MEMORY_MB": _int(env, "RESUME_READ_MEMORY_MB", 1024),
        # The candidate's optional self-identification asks these after gender and age band (app/analytics/self_id.py).
        "SELF_ID_EXTRA_QUESTIONS": _self_id_questions(env.get("SELF_ID_EXTRA_QUESTIONS")),
        "INVITE_TTL_HOURS": _int(env, "INVITE_TTL_HOURS", 72),
        "IDENTITY_MAX_ATTEMPTS": _int(env, "IDENTITY_MAX_ATTEMPTS", 5),
        # Recordings and face photos are deleted this many days after the interview ends (the consent text
        # promises 180: change both together, with a new consent version).
        "RETENTION_DAYS": _int(env, "RETENTION_DAYS", 180),
        # HR decides a candidate's deletion request (confirm, or keep with a legal reason) within this many days.
        "PRIVACY_DEADLINE_DAYS": _int(env, "PRIVACY_DEADLINE_DAYS", 15),
        # The candidate's data package (the export with its files, a zip in storage) can be downloaded this many
        # days, then the retention purge removes it; one larger than PRIVACY_ARCHIVE_MAX_MB is refused with a reason.
        "PRIVACY_ARCHIVE_DAYS": _int(env, "PRIVACY_ARCHIVE_DAYS", 7),
        "PRIVACY_ARCHIVE_MAX_MB": _int(env, "PRIVACY_ARCHIVE_MAX_MB", 2048),
        # A WeCom callback's decrypted XML and payload (an approver's comment, an external contact's id) are
        # blanked this many days after it was handled; the row (type, status, result) stays as the audit.
        "WECOM_EVENT_DAYS": _int(env, "WECOM_EVENT_DAYS", 30),
        # WeCom (the sandbox by default in development).
        "WECOM_API_BASE": (env.get("WECOM_API_BASE") or "http://127.0.0.1:5100/cgi-bin/").rstrip("/") + "/",
        "WECOM_CORP_ID": env.get("WECOM_CORP_ID") or "wwsandbox0000000001",
        "WECOM_AGENT_ID": _int(env, "WECOM_AGENT_ID", 1000002),
        "WECOM_SECRET": env.get("WECOM_SECRET") or "sandbox-secret",
        # 通讯录同步's secret (API 编辑通讯录): creating the new hire's WeCom account needs it; empty in production
        # until set (the hire is still recorded; HR is told the account could not be made).
        "WECOM_CONTACT_SECRET": env.get("WECOM_CONTACT_SECRET") or ("" if app_env == "production"
                                                                    else "sandbox-contact-secret"),
        "WECOM_TOKEN": env.get("WECOM_TOKEN") or "sandboxtoken",
        "WECOM_AES_KEY": env.get("WECOM_AES_KEY") or "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
        "WECOM_SANDBOX": env.get("WECOM_SANDBOX", "1" if app_env != "production" else "0") == "1",
        "WECOM_TIMEOUT": float(env.get("WECOM_TIMEOUT") or 5),
        # Seconds a signed callback's timestamp may be off our clock (0: no window). WeCom's retries of one event
        # (3, 5 s apart) carry its timestamp; the window also absorbs clock skew and Tencent-side delays.
        "WECOM_CALLBACK_MAX_AGE": _int(env, "WECOM_CALLBACK_MAX_AGE", 900),
        # The 微信客服 account candidates may send resumes to (empty: the kf channel is off).
        "WECOM_KF_OPEN_KFID": env.get("WECOM_KF_OPEN_KFID") or "",
        # The WeCom approval template used for offers outside policy (oa/applyevent); the sandbox accepts any id.
        # Empty in production until set: such an offer is then refused with the reason (offers within policy go).
        "WECOM_OFFER_TEMPLATE_ID": env.get("WECOM_OFFER_TEMPLATE_ID") or ("" if app_env == "production"
                                                                          else "sandbox-offer-template"),
        # Comma-separated WeCom userids of HR (read on every request; app/core/staff.py).
        "HR_USERIDS": [u for u in (env.get("HR_USERIDS") or "hr_lina").split(",") if u],
        **_texts(env, REMINDER_HOURS),
        # A CJK TrueType font for the offer letter PDF (empty: the first one found among common Debian paths).
        "PDF_CJK_FONT": env.get("PDF_CJK_FONT") or "",
        # Speech and faces.
        "ASR_ENGINE": env.get("ASR_ENGINE") or "faster-whisper",
        "ASR_BEAM_SIZE": _int(env, "ASR_BEAM_SIZE", 1),
        # Whisper's threads per model worker; unset: the engine's default, app/analysis/asr.CPU_THREADS (one: run one
        # worker per core; docs/operations.md, sizing).
        "ASR_THREADS": _int(env, "ASR_THREADS", None),
        # Staff sign-ins last one working day (cookie and server-side record); logout revokes them at once.
        "STAFF_SESSION_HOURS": float(env.get("STAFF_SESSION_HOURS") or 10),
        "RATE_LIMITS_ENABLED": env.get("RATE_LIMITS_ENABLED", "1") == "1",
        **_texts(env, RATE_LIMITS),
        # How many reverse proxies in front of the app set X-Forwarded-For (0: use the socket's address).
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        "WTF_CSRF_ENABLED": env.get("WTF_CSRF_ENABLED", "1") == "1",
        "MAX_CONTENT_LENGTH": _int(env, "MAX_REQUEST_BYTES", 8 * 1024 * 1024),
        # A form's text: a whole urlencoded form (app/web/request_guards.bound_form), a multipart form's text fields
        # each (Werkzeug); files are not counted. 2 MB takes a paste of about 230,000 Chinese characters (9 bytes
        # each, urlencoded), which the box's own limit then refuses whole and gives back; a longer one is a 413.
        "MAX_FORM_MEMORY_SIZE": _int(env, "MAX_FORM_BYTES", 2 * 1024 * 1024),
    }
    # SMS, email, quiet hours (app/notifications): config/notify_settings.py.
    settings.update(notify_settings.load(env, app_env, _int))
    check_storage(settings)
    check_timezone(settings)
    notify_settings.check(settings)
    return settings


def check_timezone(settings):
    """TIMEZONE names a zone this machine knows (zoneinfo), so no page fails on it later."""
    from app.core.localtime import check_zone
    try:
        check_zone(settings["TIMEZONE"])
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def check_storage(settings):
    """STORAGE is local or s3, and s3 names its bucket."""
    if settings["STORAGE"] not in ("local", "s3"):
        raise ConfigError(f"STORAGE must be local or s3, got {settings['STORAGE']!r}")
    if settings["STORAGE"] == "s3" and not settings["S3_BUCKET"]:
        raise ConfigError("STORAGE=s3 needs S3_BUCKET (and S3_ENDPOINT_URL unless it is AWS)")

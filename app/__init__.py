"""The application factory."""
import logging

from flask import Flask

from config.settings import check_timezone, load_settings


def create_app(config=None):
    """Create the Flask app; `config` overrides settings read from the environment."""
    settings = load_settings()
    if config:
        settings.update(config)
        check_timezone(settings)
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings)
    configure_cookies(app)
    configure_logging(app)
    register_extensions(app)
    from app.core import converters
    converters.register(app)
    register_domains(app)
    register_errorhandlers(app)
    register_commands(app)
    from app.core import templating
    from app.web import request_guards, security_headers, static_files
    request_guards.register(app)
    templating.register(app)
    from app.wecom.users import actor_name
    app.add_template_filter(actor_name, "actor_name")   # a userid as the member's name (the wecom layer knows it)
    security_headers.register(app)
    static_files.register(app)
    return app


def configure_cookies(app):
    """Session cookies: HttpOnly, SameSite=Lax, Secure over HTTPS (always in production), a working day long."""
    import datetime as dt
    cfg = app.config
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["SESSION_COOKIE_SECURE"] = (cfg["APP_ENV"] == "production" or cfg["PUBLIC_BASE_URL"].startswith("https://"))
    cfg["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=cfg.get("STAFF_SESSION_HOURS", 10))


def configure_logging(app):
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_extensions(app):
    from app.core import extensions
    from app.core.db import database, init_db

    init_db(app.config["DATABASE_URL"])
    extensions.redis_client.init(app.config["REDIS_URL"])
    extensions.settings.clear()
    extensions.settings.update(app.config)

    @app.before_request
    def _connect():
        from flask import request
        from peewee import OperationalError

        from app.core.errors import ServiceUnavailable
        if request.blueprint == "health":
            return  # the probes check the database themselves and answer 503, not 500
        try:
            database.connect(reuse_if_open=True)
        except OperationalError as exc:
            logging.getLogger(__name__).error("database unavailable: %s", exc)
            raise ServiceUnavailable("服务暂时不可用,请稍后再试 Service unavailable, try again later",
                                     code="database_unavailable") from exc

    @app.teardown_request
    def _close(exc):
        if not database.is_closed():
            database.close()

    from app.core import rate_limits
    rate_limits.init_app(app)

    from flask_wtf.csrf import CSRFProtect
    csrf = CSRFProtect(app)
    app.extensions["csrf_protect"] = csrf


def register_domains(app):
    """Register the product's parts (app/domains.py) and the blueprints they declare."""
    from app.core import domains
    from app.domains import DOMAINS
    domains.register(DOMAINS)
    csrf = app.extensions["csrf_protect"]
    for domain in DOMAINS:
        for bp in domain.blueprints:
            app.register_blueprint(bp)
        for bp in domain.csrf_exempt:  # a token or WeCom's msg_signature authenticates these, not a form token
            csrf.exempt(bp)


def register_errorhandlers(app):
    from app.web.errors import register
    register(app)


def register_commands(app):
    from app.cli import register
    register(app)

"""The application factory."""
import logging

from flask import Flask

from config.settings import load_settings


def create_app(config=None):
    """Create the Flask app; `config` overrides settings read from the environment."""
    settings = load_settings()
    if config:
        settings.update(config)
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(settings)
    configure_cookies(app)
    configure_logging(app)
    register_extensions(app)
    from app import converters
    converters.register(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    from app import security_headers, static_files, templating
    templating.register(app)
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
    from app import extensions
    from app.db import database, init_db

    init_db(app.config["DATABASE_URL"])
    extensions.redis_client.init(app.config["REDIS_URL"])
    extensions.settings.clear()
    extensions.settings.update(app.config)

    @app.before_request
    def _connect():
        from flask import request
        from peewee import OperationalError

        from app.errors import ServiceUnavailable
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

    from app import rate_limits
    rate_limits.init_app(app)

    from flask_wtf.csrf import CSRFProtect
    csrf = CSRFProtect(app)
    app.extensions["csrf_protect"] = csrf


def register_blueprints(app):
    from app.blueprints.candidate import bp as candidate_bp
    from app.blueprints.health import bp as health_bp
    from mini_program_api import bp as mp_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(candidate_bp)
    app.register_blueprint(mp_bp)
    # JSON APIs authenticate with the interview token, not a session cookie.
    app.extensions["csrf_protect"].exempt(mp_bp)

    from app.conversation.staff_views import bp as conversation_staff_bp
    from app.conversation.views import api_bp as conversation_api_bp
    from app.conversation.views import page_bp as conversation_page_bp
    app.register_blueprint(conversation_page_bp)
    app.register_blueprint(conversation_api_bp)
    app.extensions["csrf_protect"].exempt(conversation_api_bp)
    app.register_blueprint(conversation_staff_bp)

    from app.notifications.views import api_bp as notifications_api_bp
    from app.notifications.views import page_bp as notifications_page_bp
    app.register_blueprint(notifications_api_bp)
    app.register_blueprint(notifications_page_bp)
    # The code endpoints are called by candidates' pages with JSON, no session cookie (rate-limited instead).
    app.extensions["csrf_protect"].exempt(notifications_api_bp)

    from app.privacy.views import admin_bp as privacy_admin_bp
    from app.privacy.views import candidate_bp as privacy_candidate_bp
    app.register_blueprint(privacy_candidate_bp)
    app.register_blueprint(privacy_admin_bp)
    from app.analytics.candidate_views import bp as self_id_bp
    from app.analytics.views import bp as analytics_bp
    app.register_blueprint(self_id_bp)
    app.register_blueprint(analytics_bp)
    from app.process.staff_views import bp as process_staff_bp
    from app.process.views import bp as process_bp
    app.register_blueprint(process_bp)
    app.register_blueprint(process_staff_bp)

    from app.blueprints.admin import bp as admin_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.manager import bp as manager_bp
    from app.blueprints.postings import bp as postings_bp
    from app.blueprints.reports import bp as reports_bp
    from wecom_callbacks import bp as wecom_callbacks_bp
    app.register_blueprint(auth_bp)
    app.register_blueprint(manager_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(postings_bp)
    app.register_blueprint(wecom_callbacks_bp)
    # WeCom authenticates callbacks with msg_signature, not a form token.
    app.extensions["csrf_protect"].exempt(wecom_callbacks_bp)


def register_errorhandlers(app):
    from app.blueprints.errors import register
    register(app)


def register_commands(app):
    from app.cli import register
    register(app)

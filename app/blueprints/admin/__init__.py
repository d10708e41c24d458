"""HR admin under /admin/ (minimal: jobs and applications with stages, a test card)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.blueprints.admin import views  # noqa: E402,F401

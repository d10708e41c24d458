"""Manager pages under /m/: my applications, one application with its audit trail and notes."""
from flask import Blueprint

bp = Blueprint("manager", __name__, url_prefix="/m")

from app.blueprints.manager import views  # noqa: E402,F401

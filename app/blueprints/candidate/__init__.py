"""The candidate H5 under /i/<token>."""
from flask import Blueprint

bp = Blueprint("candidate", __name__, url_prefix="/i")

from app.blueprints.candidate import views  # noqa: E402,F401

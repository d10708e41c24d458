"""The candidate H5 under /i/<token>."""
from flask import Blueprint

bp = Blueprint("candidate", __name__, url_prefix="/i")

from app.rate_limits import token_miss_limit  # noqa: E402

token_miss_limit(bp)

from app.blueprints.candidate import views  # noqa: E402,F401

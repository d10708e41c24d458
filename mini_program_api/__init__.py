"""The mini-program JSON API, /mp/api/v1."""
from flask import Blueprint

bp = Blueprint("mini_program_api", __name__, url_prefix="/mp/api/v1")

from app.rate_limits import token_miss_limit  # noqa: E402

token_miss_limit(bp)

from mini_program_api import views  # noqa: E402,F401

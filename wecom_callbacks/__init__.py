"""The WeCom callback blueprint: GET/POST /wecom/callback."""
from flask import Blueprint

bp = Blueprint("wecom_callbacks", __name__, url_prefix="/wecom")

from wecom_callbacks import views  # noqa: E402,F401

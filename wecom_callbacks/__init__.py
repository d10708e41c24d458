"""The WeCom callback blueprint: GET/POST /wecom/callback."""
from wecom_callbacks.views import bp

__all__ = ["bp"]

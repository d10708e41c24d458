"""What the WeCom callback contributes: /wecom/callback (msg_signature authenticates it) and the job that handles
each stored event."""
from app.core.domains import Domain
from wecom_callbacks import bp
from wecom_callbacks.handlers import HANDLE_WECOM_EVENT

DOMAIN = Domain("wecom_callbacks", blueprints=(bp,), csrf_exempt=(bp,), jobs=(HANDLE_WECOM_EVENT,))

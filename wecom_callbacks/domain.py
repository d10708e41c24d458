"""What the WeCom callback contributes: /wecom/callback (msg_signature authenticates it) and the job that handles
each stored event, with its sweep and `flask wecom events`."""
from app.core.domains import Domain
from wecom_callbacks import bp, cli, handlers
from wecom_callbacks.handlers import HANDLE_WECOM_EVENT

DOMAIN = Domain("wecom_callbacks", blueprints=(bp,), csrf_exempt=(bp,), jobs=(HANDLE_WECOM_EVENT,),
                # a handler that kept failing is handed back to its job at growing ages, then marked failed
                sweeps=(handlers.retry_stranded,), cli=cli.register)

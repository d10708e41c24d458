"""What notifications contribute: the candidate's phone-code endpoints and unsubscribe page, the notice, receipt
and due-notice jobs (receipts and held notices every minute), its data for export and erasure."""
from app.core.domains import Domain
from app.notifications import invitations, personal_data, views
from app.notifications.models import NOTIFICATION_MODELS
from app.notifications.receipts import PULL_SMS_RECEIPTS
from app.notifications.sending import SEND_DUE_NOTICES, SEND_NOTICE

DOMAIN = Domain(
    "notifications",
    models=tuple(NOTIFICATION_MODELS),
    blueprints=(views.api_bp, views.page_bp),
    csrf_exempt=(views.api_bp,),  # candidates' pages call the code endpoints with JSON (rate-limited instead)
    jobs=(SEND_NOTICE, PULL_SMS_RECEIPTS, SEND_DUE_NOTICES),
    schedule=((PULL_SMS_RECEIPTS, 60), (SEND_DUE_NOTICES, 60)),
    personal_data=personal_data,
    invitations=invitations,
)

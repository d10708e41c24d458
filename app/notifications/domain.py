"""What notifications contribute: the candidate's phone-code endpoints and unsubscribe page, the notice, receipt
and due-notice jobs (receipts and held notices every minute), its data for export and erasure."""
from app.core.domains import Domain
from app.core.follow_ups import the_event
from app.notifications import codes, invitations, personal_data, views
from app.notifications.models import NOTIFICATION_MODELS
from app.notifications.receipts import PULL_SMS_RECEIPTS
from app.notifications.sending import SEND_DUE_NOTICES, SEND_NOTICE
from app.notifications.stage_notices import DECISION_STAGES, SEND_DECISION_NOTICE
from app.notifications.unreached import TELL_HR_UNREACHED

DOMAIN = Domain(
    "notifications",
    models=tuple(NOTIFICATION_MODELS),
    blueprints=(views.api_bp, views.page_bp, views.hooks_bp),
    # candidates' pages call the code endpoints with JSON (rate-limited instead); Aliyun calls the hooks
    csrf_exempt=(views.api_bp, views.hooks_bp),
    jobs=(SEND_NOTICE, PULL_SMS_RECEIPTS, SEND_DUE_NOTICES, SEND_DECISION_NOTICE, TELL_HR_UNREACHED),
    schedule=((PULL_SMS_RECEIPTS, 60), (SEND_DUE_NOTICES, 60), (TELL_HR_UNREACHED, 600)),
    follow_ups={stage: ((SEND_DECISION_NOTICE, the_event),) for stage in DECISION_STAGES},
    personal_data=personal_data,
    invitations=invitations,
    phone_proofs=codes.check_proof,
)

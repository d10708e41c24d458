"""What notifications contribute: the candidate's phone-code endpoints and unsubscribe page, the notice, receipt
and due-notice jobs (receipts and held notices every minute), the follow-ups of a stage change (the decision
notice; held notices the new stage made moot cancelled), its data for export and erasure."""
from app.core.domains import Domain
from app.core.follow_ups import the_event
from app.notifications import codes, invitations, personal_data, views
from app.notifications.catalogue import MOOT_STAGES
from app.notifications.models import NOTIFICATION_MODELS
from app.notifications.receipts import PULL_SMS_RECEIPTS
from app.notifications.sending import CANCEL_MOOT_NOTICES, SEND_DUE_NOTICES, SEND_NOTICE, with_held_notices
from app.notifications.stage_notices import DECISION_STAGES, SEND_DECISION_NOTICE
from app.notifications.unreached import TELL_HR_UNREACHED


def _follow_ups(stage):
    """After a move to `stage`: the decision notice (a person's decision), the held notices it made moot cancelled."""
    wanted = ((SEND_DECISION_NOTICE, the_event, DECISION_STAGES), (CANCEL_MOOT_NOTICES, with_held_notices, MOOT_STAGES))
    return tuple((job, args_for) for job, args_for, stages in wanted if stage in stages)


FOLLOW_UPS = {stage: _follow_ups(stage) for stage in dict.fromkeys((*DECISION_STAGES, *MOOT_STAGES))}

DOMAIN = Domain(
    "notifications",
    models=tuple(NOTIFICATION_MODELS),
    blueprints=(views.api_bp, views.page_bp, views.hooks_bp),
    # candidates' pages call the code endpoints with JSON (rate-limited instead); Aliyun calls the hooks
    csrf_exempt=(views.api_bp, views.hooks_bp),
    jobs=(SEND_NOTICE, PULL_SMS_RECEIPTS, SEND_DUE_NOTICES, SEND_DECISION_NOTICE, CANCEL_MOOT_NOTICES,
          TELL_HR_UNREACHED),
    schedule=((PULL_SMS_RECEIPTS, 60), (SEND_DUE_NOTICES, 60), (TELL_HR_UNREACHED, 600)),
    follow_ups=FOLLOW_UPS,
    personal_data=personal_data,
    invitations=invitations,
    phone_proofs=codes.check_proof,
)

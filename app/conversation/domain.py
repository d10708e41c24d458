"""What the conversation contributes: the candidate's status page and messages, the staff panel, the JSON API, the
stage notices (one for every stage in `stages.NOTICES`), HR's notice of a burst and the channel sends."""
from app.conversation import personal_data, staff_views, views
from app.conversation.channels import DELIVER_MESSAGE
from app.conversation.models import CONVERSATION_MODELS
from app.conversation.notify import NOTIFY_STAFF_OF_MESSAGE
from app.conversation.services import POST_STAGE_NOTICE
from app.core.domains import Domain
from app.core.follow_ups import the_event
from app.core.phases import NOTICES

DOMAIN = Domain(
    "conversation",
    models=tuple(CONVERSATION_MODELS),
    blueprints=(views.page_bp, views.api_bp, staff_views.bp),
    csrf_exempt=(views.api_bp,),  # the candidate's token authenticates it
    jobs=(POST_STAGE_NOTICE, NOTIFY_STAFF_OF_MESSAGE, DELIVER_MESSAGE),
    # Every stage the candidate hears about gets its notice: adding a stage to NOTICES is all it takes.
    follow_ups={stage: ((POST_STAGE_NOTICE, the_event),) for stage in NOTICES},
    personal_data=personal_data,
)

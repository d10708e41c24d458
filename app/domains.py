"""The domains of the product, bottom to top, and what they contribute (their models, in create order)."""
from app.analytics.models import ANALYTICS_MODELS
from app.conversation.models import CONVERSATION_MODELS
from app.core.models import CORE_MODELS
from app.interview.models import INTERVIEW_MODELS
from app.privacy.models import PRIVACY_MODELS
from app.process.models import PROCESS_MODELS
from app.screening.models import FUNNEL_MODELS

ALL_MODELS = (CORE_MODELS + INTERVIEW_MODELS + CONVERSATION_MODELS + PRIVACY_MODELS + FUNNEL_MODELS + ANALYTICS_MODELS
              + PROCESS_MODELS)

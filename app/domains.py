"""The parts of the product, bottom to top: the core, the domains, then the web shell and the two APIs on top.

The app factory registers them (app/core/domains.py says what each declaration holds); their order is the order of
the models' create order, of follow-up jobs after one stage change and of the blueprints.
"""
from app.analytics.domain import DOMAIN as ANALYTICS
from app.conversation.domain import DOMAIN as CONVERSATION
from app.core.domain import DOMAIN as CORE
from app.interview.domain import DOMAIN as INTERVIEW
from app.notifications.domain import DOMAIN as NOTIFICATIONS
from app.privacy.domain import DOMAIN as PRIVACY
from app.process.domain import DOMAIN as PROCESS
from app.screening.domain import DOMAIN as SCREENING
from app.web.domain import DOMAIN as WEB
from mini_program_api.domain import DOMAIN as MINI_PROGRAM_API
from wecom_callbacks.domain import DOMAIN as WECOM_CALLBACKS

DOMAINS = (CORE, INTERVIEW, SCREENING, CONVERSATION, NOTIFICATIONS, PROCESS, ANALYTICS, PRIVACY, WEB,
           MINI_PROGRAM_API, WECOM_CALLBACKS)

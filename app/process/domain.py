"""What the process after the AI report contributes: second-round scheduling, scorecards, the background check,
offers (with their WeCom approval), onboarding and reminders; the panel's staff role; its data and commands."""
from app.core.domains import Domain, StatusSection
from app.core.follow_ups import the_event
from app.process import cli, interviewer_views, personal_data, scheduling, scorecards, staff_views, views
from app.process.calendar_sync import CANCEL_CALENDAR, SCRUB_SCHEDULE, SYNC_BOOKING
from app.process.checks import START_CHECK
from app.process.models import PROCESS_MODELS
from app.process.offers import OFFER_APPROVAL_REVOKED, OFFER_STAGE_CHANGED
from app.process.onboarding import CREATE_EMPLOYEE_ACCOUNT, START_ONBOARDING
from app.process.reminders import SEND_REMINDERS
from app.process.round_decisions import PUSH_ROUND_CARD
from app.process.scheduling import APPLICATION_CLOSED, NOTIFY_ROUND_ANSWER
from app.process.scorecards import NOTIFY_SCORECARDS_DONE

# The offer follows its approval (passed: offer_sent; refused: on_hold).
_OFFER = ((OFFER_STAGE_CHANGED, the_event),)
# A closed application's upcoming second-round booking is cancelled (slot freed, WeCom schedule and meeting
# cancelled, the panel told); a past one stays.
_CLOSED = ((APPLICATION_CLOSED, the_event),)

DOMAIN = Domain(
    "process",
    models=tuple(PROCESS_MODELS),
    blueprints=(views.bp, staff_views.bp, interviewer_views.bp),
    jobs=(SYNC_BOOKING, CANCEL_CALENDAR, SCRUB_SCHEDULE, APPLICATION_CLOSED, NOTIFY_ROUND_ANSWER,
          NOTIFY_SCORECARDS_DONE, PUSH_ROUND_CARD, START_CHECK, OFFER_STAGE_CHANGED, OFFER_APPROVAL_REVOKED,
          START_ONBOARDING, CREATE_EMPLOYEE_ACCOUNT, SEND_REMINDERS),
    schedule=((SEND_REMINDERS, 300),),
    sweeps=(scorecards.resume_unsent_cards,),
    follow_ups={"on_hold": _OFFER, "offer_sent": _OFFER, "rejected": _CLOSED, "withdrawn": _CLOSED,
                "expired": _CLOSED, "background_check": ((START_CHECK, the_event),),
                "onboarding": ((START_ONBOARDING, the_event),), "hired": ((CREATE_EMPLOYEE_ACCOUNT, the_event),)},
    personal_data=personal_data,
    staff_roles={"interviewer": scheduling.is_interviewer},
    status_section=StatusSection("process/status_section.html", lambda application: {
        "links": views.status_links(application)}),
    cli=cli.register,
)

"""What the AI interview contributes: the candidate's H5 and the manager's report page, the answer chain and the
result card as jobs, what follows the report and a manager's decision, its sweep and commands."""
from app.core.domains import Domain
from app.core.follow_ups import the_event
from app.interview import answer_jobs, cli, personal_data, reports, result_cards, staff_views, views
from app.interview.answer_jobs import ANALYSE_VIDEO, PROCESS_ANSWER, SCORE_ANSWER
from app.interview.decision_changes import DECISION_SOURCES
from app.interview.decisions import NOTIFY_HR
from app.interview.identity_lock import NOTIFY_IDENTITY_LOCKED
from app.interview.models import INTERVIEW_MODELS
from app.interview.playback import PREPARE_PLAYBACK
from app.interview.refused_taps import ANSWER_REFUSED_TAP
from app.interview.reports import BUILD_REPORT
from app.interview.result_cards import GREY_CLOSED_CARDS, GREY_ERASED_CARD, PUSH_RESULT_CARD, UPDATE_DECISION_CARD
from app.interview.withdrawn_report import AMEND_RESULT_CARD, REFRESH_REPORT


def _report(event):
    """The report that moved the application to ai_scored."""
    report = reports.latest_report(event.application_id)
    return [(report.id,)] if report else []


def _decided_cards(event):
    """The application's cards marked with this decision whose buttons are not greyed out yet."""
    return [(card_id, decision) for card_id, decision in result_cards.cards_awaiting_update(event.application_id)
            if decision == event.to_stage]


def _decided_by_a_person(event):
    """HR hears of a manager's decision (card tap or staff page), not of the system's or an approval's moves."""
    return [(event.id,)] if event.source in DECISION_SOURCES else []


_AFTER_DECISION = ((UPDATE_DECISION_CARD, _decided_cards), (NOTIFY_HR, _decided_by_a_person))

DOMAIN = Domain(
    "interview",
    models=tuple(INTERVIEW_MODELS),
    blueprints=(views.bp, staff_views.bp),
    jobs=(PROCESS_ANSWER, ANALYSE_VIDEO, SCORE_ANSWER, PREPARE_PLAYBACK, BUILD_REPORT, PUSH_RESULT_CARD,
          UPDATE_DECISION_CARD, GREY_ERASED_CARD, NOTIFY_HR, NOTIFY_IDENTITY_LOCKED, ANSWER_REFUSED_TAP,
          GREY_CLOSED_CARDS, REFRESH_REPORT, AMEND_RESULT_CARD),
    follow_ups={"ai_scored": ((PUSH_RESULT_CARD, _report),), "second_round": _AFTER_DECISION,
                "on_hold": _AFTER_DECISION, "rejected": _AFTER_DECISION,
                # Closed before anyone decided: the cards say so (a decided card keeps its decision).
                "withdrawn": ((GREY_CLOSED_CARDS, the_event),), "expired": ((GREY_CLOSED_CARDS, the_event),)},
    sweeps=(answer_jobs.resume_stranded,),
    personal_data=personal_data,
    cli=cli.register,
)

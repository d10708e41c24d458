"""Jobs of the process after the AI report (app/process), fast queue. WeCom's 45009/-1 raise, so RQ retries."""
from workers.context import with_app


@with_app
def sync_booking(booking_id):
    from app.process import scheduling
    return scheduling.sync_booking(booking_id)


@with_app
def cancel_calendar(schedule_id, meeting_id, interviewers=(), text=""):
    from app.process import scheduling
    return scheduling.cancel_calendar(schedule_id, meeting_id, interviewers, text)


@with_app
def application_closed(stage_event_id):
    from app.process import scheduling
    return scheduling.application_closed(stage_event_id)


@with_app
def notify_round_answer(process_event_id):
    from app.process import scheduling
    return scheduling.notify_round_answer(process_event_id)


@with_app
def notify_scorecards_done(round_id):
    from app.process import scorecards
    return scorecards.notify_done(round_id)


@with_app
def start_check(stage_event_id):
    from app.process import checks
    return checks.start_check(stage_event_id)


@with_app
def offer_stage_changed(stage_event_id):
    from app.process import offers
    return offers.stage_changed(stage_event_id)


@with_app
def offer_approval_revoked(approval_id):
    from app.process import offers
    return offers.approval_revoked(approval_id)


@with_app
def start_onboarding(stage_event_id):
    from app.process import onboarding
    return onboarding.start(stage_event_id)


@with_app
def create_employee_account(stage_event_id):
    from app.process import onboarding
    return onboarding.create_employee_account(stage_event_id)


@with_app
def send_reminders():
    from app.process import reminders
    return reminders.run()

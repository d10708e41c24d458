"""The job registry: every background job declared once, with its queue, job-id format and retry policy.

Code enqueues a declaration (`enqueue(PROCESS_ANSWER, answer.id)`), never a dotted path: the dotted paths of
the job functions in `workers/` appear here and nowhere else, so a reader (or an import graph) can follow each
chain from this file. A job id is built from the job's arguments, so enqueueing a job that is already queued or
running is a no-op.
"""
import logging
from dataclasses import dataclass

from rq import Callback, Retry

from app.services.queues import FAST, MEDIA, SCORING, get_queue
from app.services.tx import after_commit

log = logging.getLogger(__name__)

RETRY_INTERVALS = [2, 10, 30]
FAILURE_TTL = 7 * 24 * 3600
PENDING = ("queued", "started", "deferred", "scheduled")


@dataclass(frozen=True)
class JobSpec:
    """One background job. `job_id` is a format over the job's arguments ({0}, {1}...) and an optional {key}."""
    func: str
    queue: str
    job_id: str
    retries: int = 3
    on_failure: str | None = None

    @property
    def name(self):
        return self.func.rsplit(".", 1)[-1]

    def make_job_id(self, args, key=""):
        job_id = self.job_id.format(*args, key=key)
        if key and "{key}" not in self.job_id:
            job_id = f"{job_id}-{key}"
        return job_id


# --- the answer chain: transcribe -> video -> score -> report (see ANSWER_STEPS) ---
_ANSWER_FAILED = "workers.answers.on_failure"
PROCESS_ANSWER = JobSpec("workers.answers.process_answer", MEDIA, "process-answer-{0}", on_failure=_ANSWER_FAILED)
ANALYSE_VIDEO = JobSpec("workers.answers.analyse_video", MEDIA, "video-answer-{0}", on_failure=_ANSWER_FAILED)
SCORE_ANSWER = JobSpec("workers.answers.score_answer", SCORING, "score-answer-{0}", on_failure=_ANSWER_FAILED)
# After the video check, on the media queue: the seekable copy managers watch (app/services/playback.py).
PREPARE_PLAYBACK = JobSpec("workers.answers.prepare_playback", MEDIA, "playback-answer-{0}",
                           on_failure="workers.answers.on_playback_failure")
# One id per trigger ({key}: the answer that finished, or "sweep"): a report job that is already running for an
# earlier answer must not swallow the one enqueued by the last answer.
BUILD_REPORT = JobSpec("workers.answers.build_report", SCORING, "report-interview-{0}-{key}",
                       on_failure="workers.answers.on_report_failure")

# --- stage follow-ups (app/services/follow_ups.py) and cards ---
PUSH_RESULT_CARD = JobSpec("workers.cards.push_result_card", FAST, "result-card-report-{0}")
UPDATE_DECISION_CARD = JobSpec("workers.cards.update_decision_card", FAST, "card-update-{0}-{1}")
NOTIFY_HR = JobSpec("workers.cards.notify_hr", FAST, "notify-hr-{0}")

# --- the conversation (app/conversation): stage notices, HR's notice of a candidate's burst, channel sends ---
POST_STAGE_NOTICE = JobSpec("workers.conversation.post_stage_notice", FAST, "stage-notice-{0}")
NOTIFY_STAFF_OF_MESSAGE = JobSpec("workers.conversation.notify_staff", FAST, "conversation-notify-{0}-{1}")
DELIVER_MESSAGE = JobSpec("workers.conversation.deliver_message", FAST, "deliver-message-{0}")

# --- candidate rights (app/privacy): a confirmed deletion request removes the candidate's files and records ---
EXECUTE_DELETION = JobSpec("workers.privacy.execute_deletion", FAST, "privacy-deletion-{0}")
# --- the process after the AI report (app/process): calendar, notices, scorecards, offers ---
SYNC_BOOKING = JobSpec("workers.process.sync_booking", FAST, "sync-booking-{0}")
CANCEL_CALENDAR = JobSpec("workers.process.cancel_calendar", FAST, "cancel-calendar-{0}-{1}")
# An application moved to a closed stage: its upcoming second-round booking is cancelled (the StageEvent id).
APPLICATION_CLOSED = JobSpec("workers.process.application_closed", FAST, "application-closed-{0}")
NOTIFY_ROUND_ANSWER = JobSpec("workers.process.notify_round_answer", FAST, "round-answer-{0}")
NOTIFY_SCORECARDS_DONE = JobSpec("workers.process.notify_scorecards_done", FAST, "scorecards-done-{0}")
START_CHECK = JobSpec("workers.process.start_check", FAST, "start-check-{0}")
OFFER_STAGE_CHANGED = JobSpec("workers.process.offer_stage_changed", FAST, "offer-stage-{0}")
START_ONBOARDING = JobSpec("workers.process.start_onboarding", FAST, "start-onboarding-{0}")
CREATE_EMPLOYEE_ACCOUNT = JobSpec("workers.process.create_employee_account", FAST, "employee-account-{0}")

# --- WeCom callbacks (wecom_callbacks/inbox.py) ---
HANDLE_WECOM_EVENT = JobSpec("workers.wecom_events.handle_event", FAST, "wecom-event-{0}")

# --- the funnel: resumes parsed (OCR needs the media workers' time), then screened (app/screening/) ---
PARSE_RESUME = JobSpec("workers.screening.parse_resume", MEDIA, "parse-resume-{0}",
                       on_failure="workers.screening.on_parse_failure")
SCREEN_APPLICATION = JobSpec("workers.screening.screen_application", SCORING, "screen-application-{0}")
SCREEN_JOB = JobSpec("workers.screening.screen_job", SCORING, "screen-job-{0}-{key}")
REPARSE_RESUMES = JobSpec("workers.screening.reparse_resumes", FAST, "reparse-resumes", retries=0)

# --- notices to candidates (app/notifications): send one on its best channel; receipts and T replies pulled; notices
# held for quiet hours or a limit sent when due ---
SEND_NOTICE = JobSpec("workers.notifications.send_notice", FAST, "send-notice-{0}")
PULL_SMS_RECEIPTS = JobSpec("workers.notifications.pull_sms_receipts", FAST, "pull-sms-receipts", retries=0)
SEND_DUE_NOTICES = JobSpec("workers.notifications.send_due_notices", FAST, "send-due-notices", retries=0)

# --- scheduled sweeps (workers/scheduler.py registers them with RQ's cron scheduler) ---
SWEEP_UNFINISHED = JobSpec("workers.sweeps.resume_unfinished", FAST, "sweep-unfinished", retries=0)
PURGE_RETENTION = JobSpec("workers.sweeps.purge_retention", FAST, "purge-retention", retries=0)
SEND_REMINDERS = JobSpec("workers.process.send_reminders", FAST, "send-reminders", retries=0)

# --- analytics (app/analytics/jobs.py): rollup, weekly fairness snapshot, bottleneck flags pushed to HR once ---
ANALYTICS_DAILY = JobSpec("workers.analytics.daily", FAST, "analytics-daily", retries=0)

# Seconds between sweeps: a stranded answer or an unsent card is picked up within about this long.
SCHEDULE = [(SWEEP_UNFINISHED, 20), (PURGE_RETENTION, 6 * 3600), (ANALYTICS_DAILY, 24 * 3600), (SEND_REMINDERS, 300),
            (PULL_SMS_RECEIPTS, 60), (SEND_DUE_NOTICES, 60)]

ALL_JOBS = (PROCESS_ANSWER, ANALYSE_VIDEO, SCORE_ANSWER, PREPARE_PLAYBACK, BUILD_REPORT, PUSH_RESULT_CARD,
            UPDATE_DECISION_CARD, NOTIFY_HR, POST_STAGE_NOTICE, NOTIFY_STAFF_OF_MESSAGE, DELIVER_MESSAGE,
            HANDLE_WECOM_EVENT, EXECUTE_DELETION, PARSE_RESUME, SCREEN_APPLICATION, SCREEN_JOB, REPARSE_RESUMES,
            SYNC_BOOKING, CANCEL_CALENDAR, APPLICATION_CLOSED, NOTIFY_ROUND_ANSWER, NOTIFY_SCORECARDS_DONE, START_CHECK,
            OFFER_STAGE_CHANGED, START_ONBOARDING, CREATE_EMPLOYEE_ACCOUNT,
            SWEEP_UNFINISHED, PURGE_RETENTION, ANALYTICS_DAILY, SEND_REMINDERS,
            SEND_NOTICE, PULL_SMS_RECEIPTS, SEND_DUE_NOTICES)


def enqueue(spec, *args, key=""):
    """Enqueue `spec` with `args` now; a job with the same id that is still pending makes this a no-op."""
    queue = get_queue(spec.queue)
    job_id = spec.make_job_id(args, key)
    existing = queue.fetch_job(job_id)
    if existing is not None and existing.get_status(refresh=True) in PENDING:
        return existing
    options = {}
    if spec.on_failure:
        options["on_failure"] = Callback(spec.on_failure)
    if spec.retries:
        options["retry"] = Retry(max=spec.retries, interval=RETRY_INTERVALS)
    return queue.enqueue(spec.func, *args, job_id=job_id, failure_ttl=FAILURE_TTL, **options)


def enqueue_after_commit(spec, *args, key=""):
    """Enqueue once the current transaction commits, so the worker finds the rows it needs."""
    after_commit(lambda: enqueue(spec, *args, key=key))

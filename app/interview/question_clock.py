"""The question clock: think time and answer time per attempt, kept on the server so a reload buys nothing.

The server records when an attempt is first shown (think time runs from then) and when its recording starts
(answer time runs from then); complete_upload checks the recording's decoded length against what was left.
See docs/candidate-flow.md.
"""
import dataclasses
import datetime as dt
import math

from peewee import IntegrityError

from app.core.base import utcnow
from app.core.errors import BadRequest, Conflict, Unprocessable
from app.core.tx import transaction
from app.interview.answers import attempts_used
from app.interview.flow import check_question
from app.interview.models import Answer, QuestionStart

# A retake has no think time, only a short get-ready before recording (the question is already known).
RETAKE_READY_SECONDS = 3
# The recording may start late by the upload latency of the "start" click; the deadline allows for it.
ANSWER_GRACE_SECONDS = 10
# MediaRecorder stops a little after the countdown ends: a recording this much over answer_seconds still counts.
ANSWER_TOLERANCE_SECONDS = 3
# A recording cannot be longer than the time since its question was shown. Both ends are server clocks (maybe two
# web hosts, NTP-synchronised) and a container's duration may round up: this much more is forgiven.
SHOWN_TOLERANCE_SECONDS = 5


@dataclasses.dataclass
class AttemptTiming:
    """The server's clock for one attempt: think until think_ends_at, record answer_seconds at most."""
    attempt: int
    shown_at: dt.datetime
    think_seconds: int
    think_ends_at: dt.datetime
    think_remaining_s: int
    answer_seconds: int
    answer_deadline: dt.datetime
    # Once recording started (POST .../start with "recording": true): the answer window on the server's clock.
    recording_started_at: dt.datetime | None = None
    recording_limit_s: float | None = None
    answer_remaining_s: int | None = None
    answer_time_over: bool = False
    makeup: bool = False


def start_attempt(interview_id, question_id, attempt):
    """The QuestionStart of an attempt, created the first time it is shown (a second view does not move it)."""
    key = ((QuestionStart.interview == interview_id) & (QuestionStart.question == question_id)
           & (QuestionStart.attempt == attempt))
    row = QuestionStart.get_or_none(key)
    if row is not None:
        return row
    try:
        with transaction():
            return QuestionStart.create(interview=interview_id, question=question_id, attempt=attempt)
    except IntegrityError:
        # A parallel first view (double load, two tabs) created it: its time is the one that counts.
        return QuestionStart.get(key)


def attempt_timing(question, start, now=None):
    """Remaining think seconds and the latest end of the recording, from when the attempt was first shown.

    Before recording is reported the deadline is the latest one (think end + answer_seconds + grace); once
    start_recording noted it, the deadline is recording start + answer_seconds. complete_upload checks the
    recording's own duration against the limit set at its (re)start.
    """
    now = now or utcnow()
    think = question.think_seconds if start.attempt == 1 else RETAKE_READY_SECONDS
    think_ends_at = start.shown_at + dt.timedelta(seconds=think)
    remaining = max(0, math.ceil((think_ends_at - now).total_seconds()))
    deadline = think_ends_at + dt.timedelta(seconds=question.answer_seconds + ANSWER_GRACE_SECONDS)
    timing = AttemptTiming(attempt=start.attempt, shown_at=start.shown_at, think_seconds=think,
                           think_ends_at=think_ends_at, think_remaining_s=min(remaining, think),
                           answer_seconds=question.answer_seconds, answer_deadline=deadline)
    window = start.makeup_started_at or start.recording_started_at
    if window is not None:
        # Recording started: the window is answer_seconds from then, whatever happens to the page.
        timing.answer_deadline = window + dt.timedelta(seconds=question.answer_seconds)
        left = max(0, math.ceil((timing.answer_deadline - now).total_seconds()))
        timing.recording_started_at = start.recording_started_at
        timing.recording_limit_s = start.recording_limit_s
        timing.answer_remaining_s = min(left, question.answer_seconds)
        timing.answer_time_over = left <= 0
        timing.makeup = start.makeup_started_at is not None
    return timing


def next_attempt(interview_id, question):
    """The attempt the candidate records next at `question` (the last allowed one when all are used)."""
    return min(attempts_used(interview_id, question.id) + 1, 1 + question.retakes_allowed)


def open_attempt(interview, question_id, attempt=None):
    """Show an attempt (default: the next one): start its clock on first view and return its AttemptTiming."""
    if attempt is None:
        question = check_question(interview, question_id, 1)
        attempt = next_attempt(interview.id, question)
    question = check_question(interview, question_id, attempt)
    return attempt_timing(question, start_attempt(interview.id, question.id, attempt))


def start_recording(interview, question_id, attempt):
    """Note that recording of an attempt (re)starts now; return its AttemptTiming with the time it may record.

    The first start sets recording_started_at once (answer window = answer_seconds from then). A later start is
    a restart after a reload lost the recording: it may record only what is left of the window. When nothing is
    left, the client moves to the next attempt (a retake); the last attempt gets one make-up window instead.

    A start from another page or device of the link counts as a restart too (recording_restarts, the report's
    count): the server cannot tell it from a reload, and a count a client could switch off would mean nothing.
    """
    question = check_question(interview, question_id, attempt)
    if Answer.select().where((Answer.interview == interview.id) & (Answer.question == question.id)
                             & (Answer.attempt == attempt)).exists():
        raise Conflict("本次作答已提交,无需重新录制 This attempt was already submitted", code="attempt_submitted")
    row = start_attempt(interview.id, question.id, attempt)
    now = utcnow()
    with transaction():
        # A conditional UPDATE: of two parallel first starts only one sets the time.
        first = (QuestionStart.update(recording_started_at=now, recording_limit_s=float(question.answer_seconds))
                 .where((QuestionStart.id == row.id) & QuestionStart.recording_started_at.is_null()).execute())
        row = QuestionStart.get_by_id(row.id)
        if not first:
            window = row.makeup_started_at or row.recording_started_at
            left = (window + dt.timedelta(seconds=question.answer_seconds) - now).total_seconds()
            fields = {"recording_limit_s": max(0.0, left), "recording_restarts": QuestionStart.recording_restarts + 1}
            if left <= 0 and attempt == 1 + question.retakes_allowed and row.makeup_started_at is None:
                fields.update(makeup_started_at=now, recording_limit_s=float(question.answer_seconds))
            QuestionStart.update(**fields).where(QuestionStart.id == row.id).execute()
            row = QuestionStart.get_by_id(row.id)
    return attempt_timing(question, row, now)


# One report of leaving the page cannot count more than this (a phone left locked overnight is one long absence).
MAX_HIDDEN_REPORT_S = 3600


def record_page_hidden(interview, question_id, attempt, seconds):
    """Count one time the candidate left the page while recording an attempt, for `seconds` (a finite number, not
    negative: PostgreSQL would store a NaN and every later sum with it); return the row."""
    if (not isinstance(seconds, int | float) or isinstance(seconds, bool) or not math.isfinite(seconds)
            or seconds < 0):
        raise BadRequest("seconds 必须是非负数 seconds must be a non-negative number", code="invalid_seconds")
    question = check_question(interview, question_id, attempt)
    row = start_attempt(interview.id, question.id, attempt)
    seconds = min(float(seconds), MAX_HIDDEN_REPORT_S)
    (QuestionStart.update(hidden_count=QuestionStart.hidden_count + 1,
                          hidden_seconds=QuestionStart.hidden_seconds + seconds)
     .where(QuestionStart.id == row.id).execute())
    return QuestionStart.get_by_id(row.id)


def reset_recording(interview_id, question_id, attempt):
    """Forget the recording clock of an attempt whose file was refused: recording it again gets the full time."""
    (QuestionStart.update(recording_started_at=None, recording_limit_s=None, makeup_started_at=None)
     .where((QuestionStart.interview == interview_id) & (QuestionStart.question == question_id)
            & (QuestionStart.attempt == attempt)).execute())


def check_answer_duration(question, duration_s, limit_s=None):
    """Refuse a recording longer than the time it had (plus MediaRecorder's late stop).

    limit_s is what the attempt's recording had at its last (re)start (QuestionStart.recording_limit_s);
    without it, the question's answer_seconds.
    """
    seconds = question.answer_seconds if limit_s is None else min(question.answer_seconds, limit_s)
    if duration_s > seconds + ANSWER_TOLERANCE_SECONDS:
        whole = math.ceil(seconds)
        which = f"本题 {whole} 秒的" if whole >= question.answer_seconds else f"页面刷新后剩余的 {whole} 秒"
        raise Unprocessable(f"回答时长 {duration_s:.0f} 秒,超过了{which}作答时间,请重新录制本题 "
                            f"The answer is longer than the {whole} s allowed, please record it again",
                            code="answer_too_long", duration_s=round(duration_s, 1),
                            answer_seconds=question.answer_seconds, limit_s=whole)


def check_recorded_after_shown(interview_id, question_id, attempt, duration_s, now=None):
    """Refuse a recording longer than the time since its attempt was first shown: it was made before the candidate
    could see the question (a prepared answer).

    A retake never shown on its own counts from the latest earlier attempt. An answer to a question the server never
    showed is not checked: its text is only ever sent by open_attempt, which records the showing.
    """
    start = (QuestionStart.select().where((QuestionStart.interview == interview_id)
                                          & (QuestionStart.question == question_id)
                                          & (QuestionStart.attempt <= attempt))
             .order_by(QuestionStart.attempt.desc()).first())
    if start is None:
        return
    elapsed = max(0.0, ((now or utcnow()) - start.shown_at).total_seconds())
    if duration_s > elapsed + SHOWN_TOLERANCE_SECONDS:
        raise Unprocessable(f"这段录音有 {duration_s:.0f} 秒,但题目显示后才过了 {elapsed:.0f} 秒:请看到题目后现场作答,"
                            "重新录制本题 The recording is longer than the time since the question was shown: "
                            "please record your answer again", code="answer_before_question",
                            duration_s=round(duration_s, 1), shown_s_ago=round(elapsed, 1))


def recording_limit(interview_id, question, attempt, duration_s=0.0, ended_by=None):
    """The recording limit the server set for an attempt at `question` (as the interview was sent it), or None when
    recording was never reported (or the whole answer time applies).

    A restart (a reload lost the recording, or a second tab of the link began recording) leaves the attempt only
    the time still to go. A recording that must have begun before the latest restart (`duration_s` long and over by
    `ended_by`, when its upload was opened) is not the restarted one but one of the window before, which an honest
    client records within answer_seconds: the first tab's answer keeps its whole time.
    """
    row = QuestionStart.get_or_none((QuestionStart.interview == interview_id) & (QuestionStart.question == question.id)
                                    & (QuestionStart.attempt == attempt))
    if row is None or row.recording_limit_s is None:
        return None
    window = row.makeup_started_at or row.recording_started_at
    restarted = row.recording_limit_s < question.answer_seconds  # a later start (a reload or another page)
    if ended_by is not None and window is not None and (restarted or row.makeup_started_at):
        # recording_limit_s was set at the latest restart to what the window had left: that restart's time.
        restarted_at = window + dt.timedelta(seconds=question.answer_seconds - row.recording_limit_s)
        if ended_by - dt.timedelta(seconds=duration_s) < restarted_at:
            return None
    return row.recording_limit_s

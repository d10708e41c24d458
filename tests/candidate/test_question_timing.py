"""The server's clock of each question attempt (think window, answer deadline), on SQLite and PostgreSQL."""
import datetime as dt
import threading

import pytest

from app.core.db import database
from app.core.errors import BadRequest, Conflict
from app.interview import question_clock, uploads
from app.interview.models import QuestionStart
from app.interview.question_clock import ANSWER_GRACE_SECONDS, RETAKE_READY_SECONDS
from tests.support.interviews import invite, make_ready, make_short_job
from tests.support.media import ffmpeg_media


@pytest.fixture
def ready(any_db_app):
    job = make_short_job(questions=2, think=30, answer=4, retakes=1)
    interview, token = invite(job)
    interview = make_ready(interview)
    return job, interview, token


def shift_back(interview, question, attempt, seconds):
    """Pretend the attempt was first shown `seconds` earlier (instead of sleeping in the test)."""
    row = QuestionStart.get(interview=interview.id, question=question.id, attempt=attempt)
    QuestionStart.update(shown_at=row.shown_at - dt.timedelta(seconds=seconds)).where(
        QuestionStart.id == row.id).execute()


def test_first_view_records_shown_at_once(ready):
    job, interview, _ = ready
    q1 = job.ordered_questions()[0]
    first = question_clock.open_attempt(interview, q1.id)
    again = question_clock.open_attempt(interview, q1.id)
    assert first.attempt == again.attempt == 1
    assert again.shown_at == first.shown_at
    assert QuestionStart.select().count() == 1
    assert first.think_seconds == 30 and first.think_remaining_s in (29, 30)
    assert first.answer_deadline == first.shown_at + dt.timedelta(seconds=30 + 4 + ANSWER_GRACE_SECONDS)


def test_think_time_runs_down_and_ends(ready):
    job, interview, _ = ready
    q1 = job.ordered_questions()[0]
    start = question_clock.open_attempt(interview, q1.id)
    shift_back(interview, q1, 1, 12)
    later = question_clock.open_attempt(interview, q1.id)
    assert later.shown_at == start.shown_at - dt.timedelta(seconds=12)
    assert 17 <= later.think_remaining_s <= 18
    shift_back(interview, q1, 1, 20)
    assert question_clock.open_attempt(interview, q1.id).think_remaining_s == 0
    # The arithmetic itself, at fixed instants.
    row = QuestionStart.get(interview=interview.id, question=q1.id, attempt=1)
    at = lambda s: question_clock.attempt_timing(q1, row, now=row.shown_at + dt.timedelta(seconds=s))  # noqa: E731
    assert [at(s).think_remaining_s for s in (0, 0.5, 10, 29.2, 30, 31, 3600)] == [30, 30, 20, 1, 0, 0, 0]


def test_a_retake_has_only_a_short_get_ready(ready):
    job, interview, _ = ready
    q1 = job.ordered_questions()[0]
    question_clock.open_attempt(interview, q1.id)
    retake = question_clock.open_attempt(interview, q1.id, 2)
    assert retake.attempt == 2 and retake.think_seconds == RETAKE_READY_SECONDS
    assert retake.think_remaining_s <= RETAKE_READY_SECONDS
    assert retake.answer_deadline == retake.shown_at + dt.timedelta(
        seconds=RETAKE_READY_SECONDS + 4 + ANSWER_GRACE_SECONDS)
    assert QuestionStart.select().count() == 2
    with pytest.raises(Conflict) as exc:
        question_clock.open_attempt(interview, q1.id, 3)
    assert exc.value.code == "no_retakes_left"
    other = make_short_job(title="别的岗位").ordered_questions()[0]
    with pytest.raises(BadRequest) as exc:
        question_clock.open_attempt(interview, other.id)
    assert exc.value.code == "question_not_in_interview"


def test_parallel_first_views_share_one_start(any_db_app, ready):
    job, interview, _ = ready
    q1 = job.ordered_questions()[0]
    barrier, rows, errors = threading.Barrier(4), [], []

    def view():
        try:
            with any_db_app.app_context(), database.connection_context():
                barrier.wait(10)
                rows.append(question_clock.start_attempt(interview.id, q1.id, 1))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=view) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len({(r.id, r.shown_at) for r in rows}) == 1 and len(rows) == 4
    assert QuestionStart.select().count() == 1


def upload_file(token, question_id, path, attempt=1):
    data = path.read_bytes()
    upload = uploads.init_upload(token, question_id, attempt, "video/webm", len(data))
    size = upload.chunk_bytes
    for index in range(upload.total_chunks):
        uploads.put_chunk(token, upload.id, index, data[index * size:(index + 1) * size])
    return upload


def test_an_over_long_recording_is_refused_and_the_upload_stays_retryable(ready, tmp_path, redis_conn):
    from app.core.errors import Unprocessable
    from app.interview.models import Answer, Upload
    job, interview, token = ready
    q1 = job.ordered_questions()[0]  # answer_seconds 4, tolerance 3
    long_file = ffmpeg_media(tmp_path / "long.webm", seconds=9.0)
    upload = upload_file(token, q1.id, long_file)
    with pytest.raises(Unprocessable) as exc:
        uploads.complete_upload(token, upload.id)
    assert exc.value.code == "answer_too_long" and exc.value.message.startswith("回答时长")
    assert exc.value.details["answer_seconds"] == 4 and exc.value.details["duration_s"] >= 8.5
    assert Answer.select().count() == 0 and Upload.get_by_id(upload.id).status == "open"
    # A little over the limit (MediaRecorder stops late) is fine; the same attempt is recorded again.
    ok_file = ffmpeg_media(tmp_path / "ok.webm", seconds=6.0)
    again = upload_file(token, q1.id, ok_file)
    answer, created = uploads.complete_upload(token, again.id)
    assert created and answer.attempt == 1 and 5.5 < answer.duration_s < 7


def shift_recording(interview, question, attempt, seconds):
    """Pretend recording of the attempt (and so its showing) started `seconds` earlier."""
    row = QuestionStart.get(interview=interview.id, question=question.id, attempt=attempt)
    earlier = dt.timedelta(seconds=seconds)
    QuestionStart.update(recording_started_at=row.recording_started_at - earlier,
                         shown_at=row.shown_at - earlier).where(QuestionStart.id == row.id).execute()


def test_recording_start_is_set_once_and_a_restart_gets_only_the_time_left(ready):
    job, interview, _ = ready
    q1 = job.ordered_questions()[0]  # answer_seconds 4
    before = question_clock.open_attempt(interview, q1.id)
    assert before.recording_started_at is None and before.answer_remaining_s is None
    first = question_clock.start_recording(interview, q1.id, 1)
    assert first.recording_started_at is not None and first.recording_limit_s == 4
    assert first.answer_deadline == first.recording_started_at + dt.timedelta(seconds=4)
    assert first.answer_remaining_s in (3, 4) and not first.answer_time_over
    # A reload 2.5 s into the recording: the restart may record what is left, the start time does not move.
    shift_recording(interview, q1, 1, 2.5)
    again = question_clock.start_recording(interview, q1.id, 1)
    assert again.recording_started_at == first.recording_started_at - dt.timedelta(seconds=2.5)
    assert 1.0 <= again.recording_limit_s <= 1.5 and again.answer_remaining_s in (1, 2)
    row = QuestionStart.get(interview=interview.id, question=q1.id, attempt=1)
    assert row.recording_restarts == 1 and row.makeup_started_at is None
    # Looking at the question again does not restart anything.
    assert question_clock.open_attempt(interview, q1.id).recording_limit_s == again.recording_limit_s


def test_time_over_uses_a_retake_then_the_last_attempt_gets_one_make_up(ready):
    job, interview, _ = ready
    q1 = job.ordered_questions()[0]  # 4 s, one retake
    question_clock.start_recording(interview, q1.id, 1)
    shift_recording(interview, q1, 1, 10)
    over = question_clock.start_recording(interview, q1.id, 1)
    assert over.answer_time_over and over.answer_remaining_s == 0 and over.recording_limit_s == 0
    assert not over.makeup  # a retake is left: the client moves to attempt 2
    question_clock.start_recording(interview, q1.id, 2)
    shift_recording(interview, q1, 2, 10)
    makeup = question_clock.start_recording(interview, q1.id, 2)
    assert makeup.makeup and not makeup.answer_time_over and makeup.recording_limit_s == 4
    assert makeup.answer_remaining_s in (3, 4)
    # The make-up window is given once.
    row = QuestionStart.get(interview=interview.id, question=q1.id, attempt=2)
    QuestionStart.update(makeup_started_at=row.makeup_started_at - dt.timedelta(seconds=10)).where(
        QuestionStart.id == row.id).execute()
    final = question_clock.start_recording(interview, q1.id, 2)
    assert final.answer_time_over and final.makeup and final.recording_limit_s == 0


def test_a_restarted_recording_longer_than_the_time_left_is_refused(ready, tmp_path, redis_conn):
    from app.core.errors import Unprocessable
    from app.interview.models import Answer, Upload
    job, interview, token = ready
    q1 = job.ordered_questions()[0]  # 4 s + 3 s tolerance
    question_clock.start_recording(interview, q1.id, 1)
    shift_recording(interview, q1, 1, 3)
    restarted = question_clock.start_recording(interview, q1.id, 1)
    assert restarted.recording_limit_s <= 1.0
    shift_recording(interview, q1, 1, 7)  # the restarted recording is made: 7 s go by before its upload opens
    six = ffmpeg_media(tmp_path / "six.webm", seconds=6.0)  # fine for a first recording, too long now
    upload = upload_file(token, q1.id, six)
    with pytest.raises(Unprocessable) as exc:
        uploads.complete_upload(token, upload.id)
    assert exc.value.code == "answer_too_long" and "页面刷新后剩余的 1 秒" in exc.value.message
    assert exc.value.details["limit_s"] == 1 and exc.value.details["answer_seconds"] == 4
    assert Answer.select().count() == 0 and Upload.get_by_id(upload.id).status == "open"
    # The refused file is unusable: recording the same attempt again gets the full answer time.
    row = QuestionStart.get(interview=interview.id, question=q1.id, attempt=1)
    assert row.recording_started_at is None and row.recording_limit_s is None
    fresh = question_clock.start_recording(interview, q1.id, 1)
    assert fresh.recording_limit_s == 4
    answer, created = uploads.complete_upload(token, upload.id)  # the same upload, retried, now fits
    assert created and answer.attempt == 1 and Answer.select().count() == 1
    # An attempt already submitted is never restarted (its answer stays).
    with pytest.raises(Conflict) as exc:
        question_clock.start_recording(interview, q1.id, 1)
    assert exc.value.code == "attempt_submitted" and Answer.select().count() == 1


def test_a_recording_begun_before_a_restart_keeps_the_whole_answer_time(ready, tmp_path, redis_conn):
    """A second tab of the link began recording (a restart, the time left only) while the first tab recorded:
    the first tab's answer, over before the restart could have let it begin, is held to the whole answer time."""
    job, interview, token = ready
    q1 = job.ordered_questions()[0]  # 4 s + 3 s tolerance
    # Made before the clock runs: the answer counts as begun before the restart only if its upload opens within
    # its 4 s of that restart, and ffmpeg on a busy machine took longer than that.
    first = ffmpeg_media(tmp_path / "first.webm", seconds=4.0)
    question_clock.start_recording(interview, q1.id, 1)
    shift_recording(interview, q1, 1, 3)
    assert question_clock.start_recording(interview, q1.id, 1).recording_limit_s <= 1.0  # the second tab
    upload = upload_file(token, q1.id, first)
    answer, created = uploads.complete_upload(token, upload.id)
    assert created and answer.duration_s == pytest.approx(4.0, abs=0.3)


def test_a_short_restarted_recording_is_stored_once(ready, tmp_path, redis_conn):
    from app.interview.models import Answer
    job, interview, token = ready
    q1 = job.ordered_questions()[0]
    short = ffmpeg_media(tmp_path / "short.webm", seconds=2.0)
    question_clock.start_recording(interview, q1.id, 1)
    shift_recording(interview, q1, 1, 2)
    assert question_clock.start_recording(interview, q1.id, 1).recording_limit_s <= 2
    upload = upload_file(token, q1.id, short)
    answer, created = uploads.complete_upload(token, upload.id)
    assert created and 1.5 < answer.duration_s < 2.5
    assert uploads.complete_upload(token, upload.id) == (answer, False)
    assert Answer.select().count() == 1


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1.0])
def test_time_away_must_be_a_finite_non_negative_number(ready, seconds):
    """PostgreSQL stored a NaN (every later sum NaN); SQLite refused it with a 500."""
    job, interview, _ = ready
    with pytest.raises(BadRequest) as exc:
        question_clock.record_page_hidden(interview, job.ordered_questions()[0].id, 1, seconds)
    assert exc.value.code == "invalid_seconds"
    assert QuestionStart.select().where(QuestionStart.hidden_count > 0).count() == 0


def test_a_second_page_gets_only_the_time_left_and_the_first_keeps_its_whole_time(ready, tmp_path, redis_conn):
    """A second page of the link began recording while the first recorded: it records only what is left of the
    shared window, counted as a restart (the server cannot tell it from a reload), and the first page's answer,
    begun before that start, keeps the whole answer time."""
    from app.interview.models import QuestionStart
    job, interview, token = ready
    q1 = job.ordered_questions()[0]  # 4 s
    first = ffmpeg_media(tmp_path / "first.webm", seconds=4.0)  # before the clock runs (see the test above)
    question_clock.start_recording(interview, q1.id, 1)  # the first page's first start
    shift_recording(interview, q1, 1, 3)
    second = question_clock.start_recording(interview, q1.id, 1)
    assert second.recording_limit_s <= 1.0 and second.answer_remaining_s in (1, 2)
    assert QuestionStart.get().recording_restarts == 1
    upload = upload_file(token, q1.id, first)
    answer, created = uploads.complete_upload(token, upload.id)
    assert created and answer.duration_s == pytest.approx(4.0, abs=0.3)
    # The same page starting again (a reload lost its recording) is a restart, as before.
    question_clock.start_recording(interview, q1.id, 2)
    question_clock.start_recording(interview, q1.id, 2)
    assert QuestionStart.get(QuestionStart.attempt == 2).recording_restarts == 1

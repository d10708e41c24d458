"""Playback copies: what managers (and the candidate) watch, seekable in every WeCom webview.

MediaRecorder's WebM has no duration and no cues, so players show Infinity and cannot seek, and iPhone webviews
play MP4 (H.264/AAC) most reliably. After upload the media worker writes an MP4 with its index at the front
(faststart) and a poster frame; audio-only answers get an AAC .m4a. The original stays for audit until
retention removes it.

Managers need the score first: the copies are made on the lowest-priority queue (PLAYBACK) once the report is
built (`enqueue_copies`), so the result card never waits behind ffmpeg. Until a copy exists the report page plays
the original; when that is not a file every phone plays (MP4 / M4A, what iPhones record) it adds "视频处理中"
(`playback_state`).
"""
import logging
import subprocess
import tempfile
from pathlib import Path

from app.core import jobs
from app.core.jobs import JobSpec
from app.core.queues import PLAYBACK
from app.core.storage import get_storage, scratch_dir
from app.core.tx import transaction
from app.interview.models import Answer, AnswerStatus, Report

log = logging.getLogger(__name__)

FFMPEG_TIMEOUT_S = 600
# Small enough for a phone on 4G, sharp enough to read a face: <= 640 px wide, <= 24 fps, CRF 28.
VIDEO_ARGS = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p", "-fpsmax", "24",
              "-vf", "scale='min(640,iw)':-2"]
AUDIO_ARGS = ["-c:a", "aac", "-b:a", "64k", "-ac", "1"]
# Originals every WeCom webview plays (iPhones record MP4): served as they are until the copy exists.
PLAYS_EVERYWHERE = {"video/mp4", "audio/mp4", "audio/m4a", "audio/x-m4a", "video/quicktime"}


class PlaybackError(RuntimeError):
    """ffmpeg could not make the copy (the original is still served)."""


def _ffmpeg(*args):
    try:
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, capture_output=True,
                       timeout=FFMPEG_TIMEOUT_S)
    except subprocess.CalledProcessError as exc:
        raise PlaybackError(exc.stderr.decode("utf-8", "replace")[-500:] or "ffmpeg failed") from exc
    except subprocess.TimeoutExpired as exc:
        raise PlaybackError(f"ffmpeg took longer than {FFMPEG_TIMEOUT_S}s") from exc


def transcode(source, folder, with_video):
    """Write the playback copy (and a poster for video) of `source` into `folder`; return (copy, poster)."""
    folder = Path(folder)
    if with_video:
        copy = folder / "playback.mp4"
        _ffmpeg("-i", str(source), *VIDEO_ARGS, *AUDIO_ARGS, "-movflags", "+faststart", str(copy))
        poster = folder / "poster.jpg"
        # The first second is often a blink or a hand on the screen: take the frame at 1 s when there is one.
        _ffmpeg("-ss", "1", "-i", str(copy), "-frames:v", "1", "-q:v", "4", str(poster))
        if not poster.exists() or poster.stat().st_size == 0:
            _ffmpeg("-i", str(copy), "-frames:v", "1", "-q:v", "4", str(poster))
        return copy, poster
    copy = folder / "playback.m4a"
    _ffmpeg("-i", str(source), "-vn", *AUDIO_ARGS, "-movflags", "+faststart", str(copy))
    return copy, None


def playback_mime(answer):
    """The MIME type the playback copy is served with."""
    return "video/mp4" if answer.playback_key.endswith(".mp4") else "audio/mp4"


def playback_state(answer):
    """What the report page plays: "copy" (the seekable copy), "original" (the recording as uploaded: the copy
    failed for good, or the original plays everywhere) or "processing" (the original, which an iPhone may not play,
    while the copy is still to come: the page says "视频处理中")."""
    if answer.playback_key:
        return "copy"
    if answer.playback_error or (answer.mime_type or "").split(";")[0].strip().lower() in PLAYS_EVERYWHERE:
        return "original"
    return "processing"


def make_playback_copy(answer_id):
    """Store the answer's playback copy and poster; skip when done, the media is gone, or it failed before."""
    answer = Answer.get_or_none(Answer.id == answer_id)
    if answer is None or answer.playback_key or answer.media_purged_at or answer.playback_error:
        return answer
    storage = get_storage()
    base = f"playback/{answer.interview_id}/answer-{answer.id}"
    with tempfile.TemporaryDirectory(prefix="playback-", dir=scratch_dir()) as tmp:
        try:
            # has_video is False for an audio-only interview (no biometric consent): the copy then has no picture.
            with storage.local_copy(answer.media_key) as source:
                copy, poster = transcode(source, tmp, answer.has_video)
        except PlaybackError as exc:
            log.warning("answer %s: no playback copy: %s", answer.id, exc)
            record_failure(answer.id, str(exc))
            return Answer.get_by_id(answer.id)
        copy_key = storage.save(f"{base}{copy.suffix}", copy)
        poster_key = storage.save(f"{base}-poster.jpg", poster) if poster else ""
    with transaction():
        Answer.update(playback_key=copy_key, poster_key=poster_key).where(Answer.id == answer.id).execute()
    log.info("answer %s: playback copy %s", answer.id, copy_key)
    return Answer.get_by_id(answer.id)


def record_failure(answer_id, message, final=True):
    """Once retries are exhausted, keep why the copy could not be made (the original is served instead; the sweep
    stops retrying it)."""
    if not final:
        return
    with transaction():
        Answer.update(playback_error=message[:2000]).where(Answer.id == answer_id).execute()


def answers_without_playback(interview_id=None):
    """Answers of reported interviews (of `interview_id`, else all) past their video check, or whose analysis failed
    for good (the report lists a question answered only so, to be watched), whose playback copy is still to make:
    just reported, or a worker died, or Redis failed."""
    query = Answer.select(Answer.id).where(
        (Answer.playback_key == "") & (Answer.playback_error == "") & Answer.media_purged_at.is_null()
        & Answer.status.in_([AnswerStatus.ANALYSED, AnswerStatus.SCORED, AnswerStatus.FAILED]))
    if interview_id is not None:
        return query.where(Answer.interview == interview_id)
    return query.where(Answer.interview.in_(Report.select(Report.interview)))


def enqueue_copies(interview_id):
    """Once the report's transaction commits, queue the playback copy of each of the interview's answers."""
    for answer in answers_without_playback(interview_id):
        jobs.enqueue_after_commit(PREPARE_PLAYBACK, answer.id, recovery="the interview sweep re-enqueues it")


PREPARE_PLAYBACK = JobSpec(make_playback_copy, PLAYBACK, "playback-answer-{0}", on_failure=record_failure)

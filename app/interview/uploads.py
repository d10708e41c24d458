"""The one upload API of the H5 and the mini-program: init -> chunks (any order, idempotent) -> complete.

Chunks are stored as objects `uploads/<upload_id>/<index>.chunk` in the configured storage (MEDIA_ROOT/uploads/
on local storage, the bucket on S3), so a client can resume after a network drop or a page reload by asking which
chunks arrived, and consecutive chunks may reach different web hosts behind a load balancer (no sticky sessions).
Complete assembles them into a file on the completing host's scratch folder, checks the media decodes, stores it,
creates the Answer and, after commit, queues its processing. Completing twice returns the same Answer.
"""
import logging
import math
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

from peewee import IntegrityError

from app.core import jobs
from app.core.converters import DB_INT_MAX, parse_int
from app.core.errors import BadRequest, Conflict, NotFound, TooLarge, Unprocessable
from app.core.extensions import settings
from app.core.localtime import local_time
from app.core.locks import completion_lock
from app.core.storage import get_storage, scratch_dir
from app.core.tx import after_commit, transaction
from app.interview import flow as interview_flow
from app.interview import question_clock
from app.interview.answer_jobs import PROCESS_ANSWER, continue_answer
from app.interview.invitations import api_interview
from app.interview.media import MediaError, packet_duration, probe, strip_video
from app.interview.models import Answer, AnswerStatus, Interview, Upload, UploadStatus

log = logging.getLogger(__name__)

# Container of each accepted MIME type (codecs parameters are ignored): the stored file's extension.
MIME_EXTENSIONS = {
    "video/webm": "webm", "audio/webm": "webm", "video/mp4": "mp4", "audio/mp4": "m4a", "audio/x-m4a": "m4a",
    "audio/aac": "aac", "audio/ogg": "ogg", "video/ogg": "ogv", "audio/mpeg": "mp3", "audio/wav": "wav",
    "audio/x-wav": "wav", "video/quicktime": "mov", "video/x-matroska": "mkv",
}
MEDIA_MESSAGES = {
    "truncated": "录制文件不完整,请重新录制本题 The recording is incomplete, please record this question again",
    "too_short": "录制时间太短,请重新录制本题 The recording is too short, please record this question again",
}
UPLOAD_NOT_FOUND = "上传记录不存在 Upload not found"
DEFAULT_MEDIA_MESSAGE = ("录制文件无法读取,请重新录制本题;如果多次失败,请换用微信最新版或联系HR "
                         "The recording cannot be read, please record this question again")


def base_mime(mime_type):
    return (mime_type or "").split(";", 1)[0].strip().lower()


def chunk_prefix(upload_id):
    # upload_id is our own hex token (checked by check_upload_id), never a client path.
    return f"uploads/{upload_id}/"


def _chunk_key(upload_id, index):
    return f"{chunk_prefix(upload_id)}{index:06d}.chunk"


def drop_chunks(upload_id):
    """Delete the chunks of an upload (completed, replaced or abandoned)."""
    get_storage().delete_prefix(chunk_prefix(upload_id))


def new_session(model, total_bytes, **fields):
    """Create the row of a new upload session (an answer's Upload, an attachment's AttachmentUpload) for
    `total_bytes`: its id (the 32 hex digits check_upload_id expects) and its split into chunks."""
    chunk_bytes = settings["UPLOAD_CHUNK_BYTES"]
    return model.create(id=secrets.token_hex(16), total_bytes=total_bytes, chunk_bytes=chunk_bytes,
                        total_chunks=math.ceil(total_bytes / chunk_bytes), **fields)


def check_upload_id(upload_id):
    """NotFound unless `upload_id` has the shape of the ids new_session gives (a client's text, never a path)."""
    if not isinstance(upload_id, str) or not re.fullmatch(r"[0-9a-f]{32}", upload_id):
        raise NotFound(UPLOAD_NOT_FOUND, code="upload_not_found")


def _size_of_chunk(upload, index):
    if index < upload.total_chunks - 1:
        return upload.chunk_bytes
    return upload.total_bytes - upload.chunk_bytes * (upload.total_chunks - 1)


def init_upload(token, question_id, attempt, mime_type, total_bytes, recording=""):
    """Open (or reopen) the upload of one attempt at one question; return the Upload.

    The numbers are JSON integers (the view's json_field refuses "1" by name). `recording` is the client's id of
    the recording it sends (optional): an attempt already stored from another recording is refused (409
    attempt_submitted), and another recording's open upload is replaced, as one of another size is.
    """
    interview = api_interview(token)
    if not isinstance(recording, str) or not re.fullmatch(r"[0-9A-Za-z_-]{0,40}", recording):
        raise BadRequest("recording 必须是不超过 40 位的字母或数字 recording must be up to 40 letters or digits",
                         code="invalid_upload")
    question_id, attempt = _id_field("question_id", question_id), _id_field("attempt", attempt)
    if not isinstance(mime_type, str):
        raise BadRequest("mime_type 必须是字符串 mime_type must be a string such as audio/webm",
                         code="unsupported_media_type")
    mime = base_mime(mime_type)
    if mime not in MIME_EXTENSIONS:
        raise BadRequest(f"不支持的文件类型 Unsupported media type: {mime or '-'}", code="unsupported_media_type")
    if not 0 < total_bytes <= settings["UPLOAD_MAX_BYTES"]:
        # Unusable: the candidate records this attempt again, with the full answer time (as for a refused file).
        question_clock.reset_recording(interview.id, question_id, attempt)
        if total_bytes <= 0:
            raise BadRequest("录制文件是空的(没有内容),请重新录制本题 The recording is empty (total_bytes must be "
                             "at least 1), please record this question again", code="empty_upload")
        limit_mb = settings["UPLOAD_MAX_BYTES"] // (1024 * 1024)
        raise TooLarge(f"录制文件过大,单个回答最大 {limit_mb} MB,请缩短回答后重新录制 The recording is over the "
                       f"{limit_mb} MB limit", code="upload_too_large", max_bytes=settings["UPLOAD_MAX_BYTES"])
    existing = current_upload(interview.id, question_id, attempt)
    same = existing is not None and _same_recording(existing, total_bytes, mime_type, recording)
    if existing and existing.status == UploadStatus.COMPLETE:
        if not same:
            raise attempt_submitted(existing)
        return existing  # this very recording, its complete answer lost on the way: nothing to send again
    question = interview_flow.check_question(interview, question_id, attempt)
    if same:
        return existing
    try:
        with transaction():
            if existing:
                # The same attempt re-recorded (the earlier file never completed): the old chunks are useless.
                Upload.update(status=UploadStatus.REPLACED).where(Upload.id == existing.id).execute()
                after_commit(lambda: drop_chunks(existing.id))
            upload = new_session(Upload, total_bytes, interview=interview, question=question.id, attempt=attempt,
                                 mime_type=mime_type[:80], recording=recording)
    except IntegrityError:
        # A parallel init of the same attempt created the open upload first (one open upload per attempt,
        # a partial unique index): use that one.
        upload = _latest_upload(interview.id, question_id, attempt)
        if upload is None:
            raise
    return upload


def _id_field(name, value):
    """A question id or attempt number the database's integer columns hold (a larger one would fail there)."""
    try:
        return parse_int(value)
    except ValueError as exc:
        raise BadRequest(f"{name} 不正确,必须是 0 到 {DB_INT_MAX} 之间的整数 {name} must be an integer from 0 to "
                         f"{DB_INT_MAX}", code="invalid_upload", field=name) from exc


def _same_recording(upload, total_bytes, mime_type, recording):
    """Is this init the recording `upload` sends (a client resuming), by its id when both have one, else its size?"""
    if upload.recording and recording and upload.recording != recording:
        return False
    return upload.total_bytes == total_bytes and upload.mime_type == mime_type[:80]


def attempt_submitted(upload):
    """Conflict for another recording of an attempt already stored (two tabs or two devices on one link): the
    answer submitted first counts, this one is not stored; the details name the answer that counts."""
    answer = find_answer(upload)
    when = f"({local_time(answer.created_at, '%H:%M')} 提交,时长 {answer.duration_s:.0f} 秒)" if answer else ""
    return Conflict(f"本题第 {upload.attempt} 次作答已在另一个页面或设备提交{when},以那次提交的回答为准;"
                    "这段录制未被采用 This attempt was already submitted from another page or device: that answer "
                    "counts, this recording was not used", code="attempt_submitted", attempt=upload.attempt,
                    answer_id=answer.id if answer else None,
                    duration_s=round(answer.duration_s, 1) if answer else None)


def current_upload(interview_id, question_id, attempt):
    """The upload of an attempt a client continues (open or complete), or None."""
    return _latest_upload(interview_id, question_id, attempt)


def _latest_upload(interview_id, question_id, attempt):
    return (Upload.select().where((Upload.interview == interview_id) & (Upload.question == question_id)
                                  & (Upload.attempt == attempt) & (Upload.status != UploadStatus.REPLACED))
            .order_by(Upload.created_at.desc()).first())


def _get_upload(token, upload_id):
    """The upload `upload_id` of the interview opened by `token`; NotFound for anybody else's."""
    interview = api_interview(token)
    check_upload_id(upload_id)
    upload = Upload.get_or_none((Upload.id == upload_id) & (Upload.interview == interview.id))
    if upload is None or upload.status == UploadStatus.REPLACED:
        raise NotFound(UPLOAD_NOT_FOUND, code="upload_not_found")
    return interview, upload


def received_chunks(upload):
    if upload.status == UploadStatus.COMPLETE:
        return list(range(upload.total_chunks))
    prefix = chunk_prefix(upload.id)
    names = (key[len(prefix):] for key in get_storage().keys(prefix))
    return sorted(int(name.split(".")[0]) for name in names if name.endswith(".chunk"))


def put_chunk(token, upload_id, index, data):
    """Store chunk `index`; a repeat with the same bytes is fine, different bytes are a conflict."""
    _, upload = _get_upload(token, upload_id)
    return write_chunk(upload, index, data)


def write_chunk(upload, index, data):
    """Check and write chunk `index` of any upload (answers, attachments): the routes' signed index, -1 is refused."""
    if not 0 <= index < upload.total_chunks:
        raise BadRequest(f"分片序号 {index} 超出范围,应为 0 到 {upload.total_chunks - 1} Chunk index {index} is out of "
                         f"range: 0 to {upload.total_chunks - 1}", code="invalid_chunk_index",
                         total_chunks=upload.total_chunks)
    expected = _size_of_chunk(upload, index)
    if len(data) > expected:
        raise TooLarge(f"分片过大 Chunk {index} must be {expected} bytes", code="chunk_too_large",
                       expected_bytes=expected)
    if len(data) != expected:
        raise BadRequest(f"分片大小不正确 Chunk {index} must be {expected} bytes", code="chunk_size_mismatch",
                         expected_bytes=expected)
    if upload.status == UploadStatus.COMPLETE:
        return upload
    storage, key = get_storage(), _chunk_key(upload.id, index)
    try:
        stored = storage.read(key)
    except FileNotFoundError:
        stored = None
    if stored is not None:
        if stored != data:
            raise Conflict(f"分片 {index} 已上传且内容不同 Chunk {index} was already received with other bytes",
                           code="chunk_mismatch")
        return upload
    storage.save(key, data)  # atomic on both stores: a reader never sees half a chunk
    return upload


def upload_status(token, upload_id):
    """What the server holds of an upload, so a client can resume."""
    _, upload = _get_upload(token, upload_id)
    return describe(upload)


def chunk_receipt(upload, index):
    """What a client is answered for a chunk it sent (an answer's here, an attachment's in app/conversation)."""
    return {"upload_id": upload.id, "index": index, "status": upload.status}


def chunk_progress(upload):
    """The chunks the server holds and those it still misses, so a client can resume any upload session."""
    received = received_chunks(upload)
    got = set(received)
    return {"total_bytes": upload.total_bytes, "chunk_bytes": upload.chunk_bytes, "total_chunks": upload.total_chunks,
            "received": received, "missing": [i for i in range(upload.total_chunks) if i not in got]}


def require_all_chunks(upload):
    """Conflict, naming them, while chunks of an upload session are still missing (before it is assembled)."""
    missing = chunk_progress(upload)["missing"]
    if missing:
        raise Conflict(f"还有 {len(missing)} 个分片未上传 Some chunks are missing", code="chunks_missing",
                       missing=missing)


def describe(upload, answer=None):
    if answer is None and upload.status == UploadStatus.COMPLETE:
        answer = find_answer(upload)
    return {"upload_id": upload.id, "status": upload.status, "question_id": upload.question_id,
            "attempt": upload.attempt, "mime_type": upload.mime_type, **chunk_progress(upload),
            "answer_id": answer.id if answer else None}


def find_answer(upload):
    return Answer.get_or_none((Answer.interview == upload.interview_id) & (Answer.question == upload.question_id)
                              & (Answer.attempt == upload.attempt))


def assemble(upload):
    """Join the chunks of a finished upload into one temporary file in this host's scratch folder; return its path.

    Streamed chunk by chunk: a 200 MB answer never sits in memory.
    """
    storage = get_storage()
    fd, tmp = tempfile.mkstemp(dir=scratch_dir(), prefix=f"assembled-{upload.id}-")
    try:
        with os.fdopen(fd, "wb") as out:
            for index in range(upload.total_chunks):
                with storage.open(_chunk_key(upload.id, index)) as chunk:
                    shutil.copyfileobj(chunk, out, 1024 * 1024)
    except BaseException:
        os.unlink(tmp)
        raise
    return Path(tmp)


def complete_upload(token, upload_id):
    """Assemble, check and store the answer; return (Answer, created). Completing again returns the same Answer."""
    interview, upload = _get_upload(token, upload_id)
    # The Answer's unique (interview, question, attempt) makes a second complete find the first one's Answer.
    with completion_lock("upload-complete", upload.id):
        upload = Upload.get_by_id(upload.id)
        if upload.status == UploadStatus.COMPLETE:
            answer = find_answer(upload)
            if answer is not None:
                if answer.status == AnswerStatus.UPLOADED:
                    # Redis may have failed right after the first complete committed: the retry re-enqueues
                    # (a no-op while the job is still queued).
                    continue_answer(answer)
                return answer, False
        interview = Interview.get_by_id(interview.id)
        # A retake opened before the interview ended does not count once it has ended (the report may be sent).
        interview_flow.require_open(interview)
        return _complete_locked(interview, upload)


def _complete_locked(interview, upload):
    require_all_chunks(upload)
    assembled = assemble(upload)
    question = interview.asked(upload.question_id)
    try:
        try:
            # The recording's own duration, not the upload time: an upload may come late after a network drop.
            # Its limit is what the recording had at its (re)start (less than answer_seconds after a reload),
            # unless it ended (by the upload's opening) too early to be the restarted one.
            def limit(duration_s):
                return question_clock.recording_limit(interview.id, question, upload.attempt, duration_s,
                                                      ended_by=upload.created_at)
            # First from the packets alone, so an hour of audio is refused before anything is decoded.
            packets_s = _packet_duration(assembled)
            question_clock.check_answer_duration(question, packets_s, limit(packets_s))
            info = _check_media(assembled)
            question_clock.check_answer_duration(question, info.duration_s, limit(info.duration_s))
            question_clock.check_recorded_after_shown(interview.id, question.id, upload.attempt, info.duration_s)
        except Unprocessable:
            # The file is unusable and the candidate records this attempt again: with the full answer time.
            question_clock.reset_recording(interview.id, upload.question_id, upload.attempt)
            raise
        extension, mime_type = MIME_EXTENSIONS[base_mime(upload.mime_type)], upload.mime_type[:80]
        if interview.audio_only and info.has_video:
            # The candidate declined biometrics: keep the sound only, whatever the client recorded.
            assembled, extension, mime_type, info = _audio_only_copy(assembled, extension)
        key = f"answers/{interview.id}/q{upload.question_id}-a{upload.attempt}-{upload.id}.{extension}"
        get_storage().save(key, assembled)
    finally:
        if assembled.exists():
            assembled.unlink()
    try:
        with transaction():
            answer = Answer.create(interview=interview.id, question=upload.question_id, attempt=upload.attempt,
                                   media_key=key, mime_type=mime_type, size_bytes=upload.total_bytes,
                                   duration_s=info.duration_s, has_video=info.has_video and not interview.audio_only)
            Upload.update(status=UploadStatus.COMPLETE).where(Upload.id == upload.id).execute()
            interview_flow.on_answer_stored(interview.id)
            jobs.enqueue_after_commit(PROCESS_ANSWER, answer.id, recovery="the interview sweep re-enqueues it")
    except IntegrityError:
        # A parallel complete of the same attempt won the race: its Answer is ours too.
        answer = find_answer(upload)
        if answer is None:
            raise
        if answer.media_key != key:
            get_storage().delete(key)
        return answer, False
    drop_chunks(upload.id)
    log.info("answer %s stored: interview %s question %s attempt %s, %.1fs", answer.id, interview.id,
             upload.question_id, upload.attempt, info.duration_s)
    return answer, True


def _audio_only_copy(assembled, extension):
    """Replace the assembled file by its audio track; return (path, extension, mime type, media info)."""
    stripped = assembled.with_name(assembled.name + "-audio")
    try:
        mime_type = strip_video(assembled, stripped, extension)
    except MediaError as exc:
        stripped.unlink(missing_ok=True)
        raise Unprocessable(DEFAULT_MEDIA_MESSAGE, code="media_invalid", reason=exc.reason) from exc
    finally:
        assembled.unlink(missing_ok=True)
    ext = {"audio/webm": "webm", "audio/mp4": "m4a", "audio/ogg": "ogg"}.get(mime_type, "mka")
    return stripped, ext, mime_type, _check_media(stripped)


def _packet_duration(path):
    try:
        return packet_duration(path)
    except MediaError:
        return 0.0  # unreadable: _check_media says why


def _check_media(path):
    """Decode the assembled file; refuse it with a message the candidate can act on."""
    try:
        info = probe(path)
    except MediaError as exc:
        log.info("refused upload media %s: %s", path.name, exc)
        raise Unprocessable(MEDIA_MESSAGES.get(exc.reason, DEFAULT_MEDIA_MESSAGE), code="media_invalid",
                            reason=exc.reason) from exc
    if not info.has_audio:
        raise Unprocessable("没有录到声音,请检查麦克风后重新录制本题 No sound was recorded, check the microphone",
                            code="media_invalid", reason="no_audio")
    if info.duration_s < settings["UPLOAD_MIN_SECONDS"]:
        raise Unprocessable(MEDIA_MESSAGES["too_short"], code="media_invalid", reason="too_short")
    return info

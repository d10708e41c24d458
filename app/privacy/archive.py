"""The data package (PIPL art. 45, the right to a copy): the export with the files themselves, as one zip.

The candidate (or HR, for the whole record) asks; the BUILD_ARCHIVE job (fast queue: no ML) writes the zip
(archive_zip.write) into storage; it can be downloaded until `expires_at` (PRIVACY_ARCHIVE_DAYS), then the
retention purge removes it; a deletion's execution removes it at once. One package per scope at a time (the row's
`scope_key` is unique): asking again while one is being built or still downloadable returns it; after a failure
or expiry the same row is built again (`attempt` + 1, the job's key: a stale job finds another attempt and does
nothing). A job lost on the way (Redis down, a worker killed) is enqueued again by privacy's sweep.
"""
import datetime as dt
import logging
import os
import secrets
import tempfile
from pathlib import Path

from peewee import IntegrityError

from app.core import jobs, sweeps
from app.core.base import utcnow
from app.core.errors import NotFound
from app.core.extensions import settings
from app.core.jobs import JobSpec
from app.core.localtime import local_time
from app.core.models import Application
from app.core.queues import FAST
from app.core.storage import StorageError, get_storage, scratch_dir
from app.core.templating import file_size
from app.core.tx import transaction
from app.privacy import archive_zip, scope
from app.privacy.models import ArchiveStatus, ExportArchive

log = logging.getLogger(__name__)

STRANDED_AFTER = dt.timedelta(minutes=10)
SWEEP = "privacy's sweep re-enqueues it after STRANDED_AFTER"
FAILED_STORAGE = "文件存储暂时不可用,打包未完成。请稍后点「重新打包」。"
FAILED_OTHER = "打包时出错,请稍后点「重新打包」;如果仍然失败,请联系HR。"


def days():
    return settings.get("PRIVACY_ARCHIVE_DAYS", 7)


def limit_bytes():
    return settings.get("PRIVACY_ARCHIVE_MAX_MB", 2048) * 1024 * 1024


def current(scope_, now=None):
    """The package of `scope_` as people see it: None (never asked, or expired), or the row (pending, ready and
    not yet expired, failed)."""
    row = ExportArchive.get_or_none(ExportArchive.scope_key == scope_.key)
    if row is None or row.status == ArchiveStatus.EXPIRED:
        return None
    if row.status == ArchiveStatus.READY and row.expires_at <= (now or utcnow()):
        return None
    return row


def state(scope_):
    """{"status": none|pending|ready|failed, ...} for the section's poll and the pages (expires_at: UTC)."""
    row = current(scope_)
    if row is None:
        return {"status": "none"}
    out = {"status": row.status}
    if row.status == ArchiveStatus.READY:
        out.update(size_bytes=row.size_bytes, size=file_size(row.size_bytes), files=row.file_count,
                   expires_at=row.expires_at)
    if row.status == ArchiveStatus.FAILED:
        out["error"] = row.error
    return out


def request(scope_, requested_by):
    """Ask for the package of `scope_`: the current one when it is being built or still downloadable, else a new
    build (enqueued after the commit). Returns the row."""
    key = scope_.key
    now = utcnow()
    try:
        with transaction():
            row = ExportArchive.create(candidate=scope_.candidate_id, application=scope_.application_id,
                                       scope_key=key, requested_by=requested_by, created_at=now)
            jobs.enqueue_after_commit(BUILD_ARCHIVE, row.id, row.attempt, recovery=SWEEP)
            return row
    except IntegrityError:
        pass  # the scope has its row: reuse it
    row = ExportArchive.get(ExportArchive.scope_key == key)
    if current(scope_, now) is not None and row.status != ArchiveStatus.FAILED:
        return row
    with transaction():
        # Conditional on the attempt read: two presses at once start one build.
        changed = (ExportArchive.update(status=ArchiveStatus.PENDING, attempt=row.attempt + 1,
                                        requested_by=requested_by, created_at=now, finished_at=None, expires_at=None,
                                        error="", storage_key="", size_bytes=0, file_count=0)
                   .where((ExportArchive.id == row.id) & (ExportArchive.attempt == row.attempt)).execute())
        if changed:
            jobs.enqueue_after_commit(BUILD_ARCHIVE, row.id, row.attempt + 1, recovery=SWEEP)
    if changed and row.storage_key:
        get_storage().delete(row.storage_key)  # an expired zip the purge had not reached yet
    return ExportArchive.get_by_id(row.id)


def _scope_of(row):
    if row.application_id is None:
        return scope.whole_record(row.candidate_id)
    return scope.of_token(Application.get_by_id(row.application_id))


def _finish(row, attempt, now=None, **fields):
    """Record the build's outcome, only if the row is still this attempt's pending build; True when recorded."""
    return bool(ExportArchive.update(finished_at=now or utcnow(), **fields)
                .where((ExportArchive.id == row.id) & (ExportArchive.attempt == attempt)
                       & (ExportArchive.status == ArchiveStatus.PENDING)).execute())


def build_archive(archive_id, attempt):
    """The BUILD_ARCHIVE job: write the zip into storage; a failure is recorded with its Chinese reason (the
    candidate can press again), never lost. Returns the row's status (None when there is nothing to build)."""
    row = ExportArchive.get_or_none(ExportArchive.id == archive_id)
    if row is None or row.attempt != attempt or row.status != ArchiveStatus.PENDING:
        return None
    fd, tmp = tempfile.mkstemp(dir=scratch_dir(), prefix="archive-", suffix=".zip")
    os.close(fd)
    storage = get_storage()
    key = f"exports/{row.id}-{secrets.token_hex(8)}.zip"
    try:
        count = archive_zip.write(_scope_of(row), tmp, limit_bytes())
        size = os.path.getsize(tmp)
        storage.save(key, Path(tmp))
    except archive_zip.TooLarge as exc:
        _finish(row, attempt, status=ArchiveStatus.FAILED, error=(
            f"文件合计 {file_size(exc.total)},超过数据包上限 {file_size(exc.limit)},"
            "无法打包下载。"
            "你仍可以查看和下载不含文件的数据(网页、JSON);如需文件,请联系HR。"))
        return ArchiveStatus.FAILED
    except StorageError as exc:
        log.warning("privacy: package %s failed: %s", row.id, exc)
        _finish(row, attempt, status=ArchiveStatus.FAILED, error=FAILED_STORAGE)
        return ArchiveStatus.FAILED
    except Exception:
        log.exception("privacy: package %s failed", row.id)
        _finish(row, attempt, status=ArchiveStatus.FAILED, error=FAILED_OTHER)
        return ArchiveStatus.FAILED
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    now = utcnow()
    done = _finish(row, attempt, now, status=ArchiveStatus.READY, storage_key=key, size_bytes=size, file_count=count,
                   expires_at=now + dt.timedelta(days=days()))
    if not done:  # deleted (a deletion ran meanwhile) or built again: this zip is nobody's
        storage.delete(key)
        return None
    return ArchiveStatus.READY


BUILD_ARCHIVE = JobSpec(build_archive, FAST, "privacy-archive-{0}-{1}", retries=0)


def ready(scope_):
    """The downloadable package of `scope_`, or NotFound (404) saying how to get one."""
    row = current(scope_)
    if row is None or row.status != ArchiveStatus.READY:
        raise NotFound("数据包还没有生成或已过期,请在「我的数据」中点「下载数据包(含文件)」重新打包 "
                       "No package to download", code="archive_not_ready")
    return row


def download_name(row):
    return f"我的数据-{local_time(row.finished_at, '%Y%m%d')}.zip"


def remove(candidate_id, application_ids):
    """Remove the packages that hold data of these applications (their own and the record's, HR's), zips and
    rows: the deletion's execution. A build still running finds no row and throws its zip away. Returns how many."""
    rows = list(ExportArchive.select().where((ExportArchive.candidate == candidate_id) & (
        ExportArchive.application.in_(list(application_ids)) | ExportArchive.application.is_null())))
    storage = get_storage()
    for row in rows:
        if row.storage_key:
            storage.delete(row.storage_key)
    ExportArchive.delete().where(ExportArchive.id.in_([r.id for r in rows])).execute()
    return len(rows)


def purge_expired(now=None):
    """Remove the zips past `expires_at` (the retention purge); the rows stay as "expired". Returns how many."""
    now = now or utcnow()
    storage = get_storage()
    removed = 0
    for row in ExportArchive.select().where((ExportArchive.status == ArchiveStatus.READY)
                                            & (ExportArchive.expires_at <= now)):
        changed = (ExportArchive.update(status=ArchiveStatus.EXPIRED, storage_key="")
                   .where((ExportArchive.id == row.id) & (ExportArchive.attempt == row.attempt)).execute())
        if changed:
            storage.delete(row.storage_key)
            removed += 1
    return removed


def resume_stranded(now=None):
    """Enqueue again the build of every package pending for more than STRANDED_AFTER (its job was lost);
    privacy's sweep. Returns how many."""
    now = now or utcnow()
    rows = list(ExportArchive.select().where((ExportArchive.status == ArchiveStatus.PENDING)
                                             & (ExportArchive.created_at < now - STRANDED_AFTER)))
    for row in rows:
        jobs.enqueue(BUILD_ARCHIVE, row.id, row.attempt, key=sweeps.key(600, now.timestamp()))
    return len(rows)

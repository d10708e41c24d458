"""Where media lives: a Storage interface, a local-folder implementation (the default) and an S3 one.

`STORAGE=local` keeps every object under MEDIA_ROOT; `STORAGE=s3` keeps them in one bucket of any S3 API server
(AWS S3, MinIO, SeaweedFS, Tencent COS...), so web processes and workers on different machines share no disk.
Keys are built by the services from ids and generated hex only (never user input); a key that could escape
the root is refused anyway.

Code that needs a real file (ffmpeg, the media probe, Whisper, the face checks) asks for `local_copy(key)`: the
file itself on local storage, a temporary download on S3. Staff pages serve media with `send(key, ...)`, which
answers HTTP Range requests on both (seeking in WeCom's browser).
"""
import abc
import contextlib
import mimetypes
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from app.core.errors import ServiceUnavailable
from app.core.extensions import settings

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*(/[A-Za-z0-9][A-Za-z0-9_\-.]*)*$")
STREAM_BYTES = 256 * 1024  # what a streamed response holds in memory at a time


class InvalidKey(ValueError):
    """A storage key that is not a plain relative path of safe characters."""


class StorageError(ServiceUnavailable):
    """The store could not be reached or refused the request (credentials, bucket): 503 on a web request, a
    failed (retried) job on a worker."""

    def __init__(self, detail):
        super().__init__("媒体存储暂时不可用,请稍后再试 Media storage unavailable, try again later",
                         code="storage_unavailable")
        self.detail = detail

    def __str__(self):
        return f"storage unavailable: {self.detail}"


@contextlib.contextmanager
def _s3_errors(key):
    """A missing object is FileNotFoundError (as on local storage); any other S3 failure is StorageError."""
    from botocore.exceptions import BotoCoreError, ClientError
    try:
        yield
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            raise FileNotFoundError(key) from exc
        raise StorageError(f"{key}: {exc}") from exc
    except BotoCoreError as exc:
        raise StorageError(f"{key}: {exc}") from exc


def check_key(key):
    """Refuse keys with traversal, absolute paths or odd characters."""
    if not isinstance(key, str) or not KEY_RE.match(key) or ".." in key or len(key) > 255:
        raise InvalidKey(f"invalid storage key: {key!r}")
    return key


def check_prefix(prefix):
    """A folder-like prefix ("uploads/<id>/"): a valid key followed by a slash."""
    if not isinstance(prefix, str) or not prefix.endswith("/"):
        raise InvalidKey(f"invalid storage prefix: {prefix!r}")
    check_key(prefix[:-1])
    return prefix


def scratch_dir():
    """This host's own working folder for temporary files (never shared between machines)."""
    path = Path(settings["MEDIA_ROOT"]) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Storage(abc.ABC):
    """Interface of a media store."""

    @abc.abstractmethod
    def save(self, key, data):
        """Store `data` (bytes, a binary file object, or a local Path to move in) under `key`; return `key`."""

    @abc.abstractmethod
    def open(self, key):
        """Open the object at `key` for binary reading (FileNotFoundError when absent)."""

    @abc.abstractmethod
    def exists(self, key):
        """True when an object is stored at `key`."""

    @abc.abstractmethod
    def size(self, key):
        """The object's size in bytes (FileNotFoundError when absent)."""

    @abc.abstractmethod
    def delete(self, key):
        """Remove the object at `key` (no error when it is already gone)."""

    @abc.abstractmethod
    def keys(self, prefix):
        """The keys stored under `prefix` ("uploads/<id>/"), sorted."""

    @abc.abstractmethod
    def local_copy(self, key):
        """A context manager yielding a local Path with the object's bytes (read it, do not keep it)."""

    @abc.abstractmethod
    def send(self, key, mimetype, as_attachment=False, download_name=None):
        """A Flask response streaming the object, answering Range requests (206) for seeking; 404 when absent."""

    def read(self, key):
        """The whole object as bytes (small objects only: chunks, photos)."""
        with self.open(key) as fh:
            return fh.read()

    def delete_prefix(self, prefix):
        """Remove every object under `prefix`; return how many went."""
        keys = self.keys(check_prefix(prefix))
        for key in keys:
            self.delete(key)
        return len(keys)


class LocalStorage(Storage):
    """Objects as files under a root folder; writes are atomic (temp file + rename)."""

    def __init__(self, root):
        self.root = Path(root).resolve()

    def path_for(self, key):
        """The file of `key` (this store only; other code asks for local_copy)."""
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise InvalidKey(f"invalid storage key: {key!r}")
        return path

    def save(self, key, data):
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            # Same filesystem in practice (MEDIA_ROOT/tmp): a rename, no copy.
            try:
                os.replace(data, path)
                return key
            except OSError:
                with open(data, "rb") as src:
                    self.save(key, src)
                data.unlink(missing_ok=True)
                return key
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes | bytearray | memoryview):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out, 1024 * 1024)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return key

    def open(self, key):
        return open(self.path_for(key), "rb")

    def exists(self, key):
        return self.path_for(key).is_file()

    def size(self, key):
        return self.path_for(key).stat().st_size

    def delete(self, key):
        try:
            self.path_for(key).unlink()
        except FileNotFoundError:
            pass

    def keys(self, prefix):
        folder = self.path_for(check_prefix(prefix)[:-1])
        if not folder.is_dir():
            return []
        # Temporary files of unfinished writes start with a dot: not objects.
        found = (f"{prefix}{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file())
        return sorted(key for key in found if KEY_RE.match(key))

    def delete_prefix(self, prefix):
        count = len(self.keys(prefix))
        shutil.rmtree(self.path_for(check_prefix(prefix)[:-1]), ignore_errors=True)
        return count

    @contextlib.contextmanager
    def local_copy(self, key):
        path = self.path_for(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        yield path

    def send(self, key, mimetype, as_attachment=False, download_name=None):
        from flask import abort, send_file
        path = self.path_for(key)
        if not path.is_file():
            abort(404)
        # conditional=True answers Range requests from the file itself.
        return send_file(path, mimetype=mimetype, conditional=True, max_age=0,
                         as_attachment=as_attachment, download_name=download_name)


class S3Storage(Storage):
    """Objects in one bucket of an S3 API server, through boto3 (one client per process, thread-safe)."""

    def __init__(self, bucket, endpoint_url=None, access_key=None, secret_key=None, region=None):
        import boto3
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url or None, aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None, region_name=region or "us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}, max_pool_connections=32,
                          retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=5, read_timeout=60))
        # Multipart above 16 MB, 4 parts at a time: a 200 MB answer never sits in memory.
        self.transfer = TransferConfig(multipart_threshold=16 * 1024 * 1024, multipart_chunksize=16 * 1024 * 1024,
                                       max_concurrency=4)

    def ensure_bucket(self):
        """Create the bucket when it does not exist (development and tests; production creates it once)."""
        from botocore.exceptions import ClientError
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
                raise StorageError(f"bucket {self.bucket}: {exc}") from exc
            with _s3_errors(self.bucket):
                self.client.create_bucket(Bucket=self.bucket)

    def save(self, key, data):
        check_key(key)
        extra = {"ContentType": mimetypes.guess_type(key)[0] or "application/octet-stream"}
        with _s3_errors(key):
            if isinstance(data, Path):
                self.client.upload_file(str(data), self.bucket, key, ExtraArgs=extra, Config=self.transfer)
                data.unlink(missing_ok=True)  # moved in, as on local storage
            elif isinstance(data, bytes | bytearray | memoryview):
                self.client.put_object(Bucket=self.bucket, Key=key, Body=bytes(data), **extra)
            else:
                self.client.upload_fileobj(data, self.bucket, key, ExtraArgs=extra, Config=self.transfer)
        return key

    def open(self, key):
        with _s3_errors(key):
            return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"]

    def _head(self, key):
        with _s3_errors(key):
            return self.client.head_object(Bucket=self.bucket, Key=check_key(key))

    def exists(self, key):
        try:
            self._head(key)
        except FileNotFoundError:
            return False
        return True

    def size(self, key):
        return self._head(key)["ContentLength"]

    def delete(self, key):
        with _s3_errors(key):
            self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def keys(self, prefix):
        check_prefix(prefix)
        found = []
        with _s3_errors(prefix):
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
                found.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(found)

    @contextlib.contextmanager
    def local_copy(self, key):
        check_key(key)
        fd, tmp = tempfile.mkstemp(dir=scratch_dir(), prefix="s3-", suffix=Path(key).suffix)
        os.close(fd)
        try:
            with _s3_errors(key):
                self.client.download_file(self.bucket, key, tmp, Config=self.transfer)
            yield Path(tmp)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def send(self, key, mimetype, as_attachment=False, download_name=None):
        """Stream through this process (the bucket stays private, the page's CSP stays 'self'), one range at a
        time: a seek in the player fetches only the bytes it shows."""
        from flask import Response, abort, request
        from werkzeug.http import quote_etag

        try:
            head = self._head(key)
        except FileNotFoundError:
            abort(404)
        length = head["ContentLength"]
        rng = request.range if request.headers.get("Range") else None
        span = rng.range_for_length(length) if rng is not None else None
        if rng is not None and span is None:
            response = Response(status=416)
            response.headers["Content-Range"] = f"bytes */{length}"
            return response
        params = {"Bucket": self.bucket, "Key": key}
        if span is not None:
            params["Range"] = f"bytes={span[0]}-{span[1] - 1}"
        with _s3_errors(key):
            body = self.client.get_object(**params)["Body"]

        def stream():
            try:
                yield from body.iter_chunks(STREAM_BYTES)
            finally:
                body.close()

        response = Response(stream(), mimetype=mimetype, direct_passthrough=True)
        response.headers["Accept-Ranges"] = "bytes"
        response.headers["Cache-Control"] = "no-cache"
        if head.get("ETag"):
            response.headers["ETag"] = quote_etag(head["ETag"].strip('"'))
        if span is not None:
            response.status_code = 206
            response.headers["Content-Range"] = f"bytes {span[0]}-{span[1] - 1}/{length}"
            response.content_length = span[1] - span[0]
        else:
            response.content_length = length
        if as_attachment or download_name:
            _disposition(response, download_name or Path(key).name, as_attachment)
        return response


def _disposition(response, name, as_attachment):
    """Content-Disposition as Flask's send_file writes it (an ASCII name plus the UTF-8 one)."""
    import unicodedata
    from urllib.parse import quote
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    names = {"filename": simple} if simple == name else {"filename": simple,
                                                         "filename*": f"UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"}
    response.headers.set("Content-Disposition", "attachment" if as_attachment else "inline", **names)


def check_round_trip(create_bucket=False):
    """Write, read and delete one object in the configured store; return a line saying where it went."""
    import secrets
    import socket
    store = get_storage()
    if create_bucket and isinstance(store, S3Storage):
        store.ensure_bucket()
    key = f"healthcheck/{re.sub(r'[^A-Za-z0-9_-]', '-', socket.gethostname())[:40] or 'host'}-{secrets.token_hex(4)}"
    payload = secrets.token_bytes(64)
    store.save(key, payload)
    try:
        if store.read(key) != payload:
            raise StorageError("the object read back differs from the one written")
    finally:
        store.delete(key)
    where = (f"s3 bucket {store.bucket} at {settings.get('S3_ENDPOINT_URL') or 'AWS'}" if isinstance(store, S3Storage)
             else f"local folder {store.root}")
    return f"storage ok: {where} (write, read, delete)"


_s3_lock = threading.Lock()
_s3_stores = {}


def get_storage():
    """The configured store: MEDIA_ROOT on the local disk (default) or the S3 bucket (STORAGE=s3)."""
    if settings.get("STORAGE", "local") != "s3":
        return LocalStorage(settings["MEDIA_ROOT"])
    config = (settings["S3_BUCKET"], settings.get("S3_ENDPOINT_URL") or None, settings.get("S3_ACCESS_KEY") or None,
              settings.get("S3_SECRET_KEY") or None, settings.get("S3_REGION") or None)
    # One client per process and configuration: a forked worker (the fast queue) makes its own.
    cache_key = (os.getpid(), config)
    with _s3_lock:
        store = _s3_stores.get(cache_key)
        if store is None:
            store = _s3_stores[cache_key] = S3Storage(*config)
    return store

"""Where media lives: a Storage interface with a local-folder implementation.

Keys are built by the services from ids and generated hex only (never user input); a key that could escape
the root is refused anyway.
"""
import abc
import os
import re
import shutil
import tempfile
from pathlib import Path

from app.extensions import settings

KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]*(/[A-Za-z0-9][A-Za-z0-9_\-.]*)*$")


class InvalidKey(ValueError):
    """A storage key that is not a plain relative path of safe characters."""


class Storage(abc.ABC):
    """Interface of a media store."""

    @abc.abstractmethod
    def save(self, key, data):
        """Store `data` (bytes, a binary file object, or a local Path to move in) under `key`."""

    @abc.abstractmethod
    def open(self, key):
        """Open the object at `key` for binary reading."""

    @abc.abstractmethod
    def path_for(self, key):
        """A local filesystem path of `key` (local stores only)."""

    @abc.abstractmethod
    def exists(self, key):
        """True when an object is stored at `key`."""

    @abc.abstractmethod
    def delete(self, key):
        """Remove the object at `key` (no error when it is already gone)."""


def check_key(key):
    """Refuse keys with traversal, absolute paths or odd characters."""
    if not isinstance(key, str) or not KEY_RE.match(key) or ".." in key or len(key) > 255:
        raise InvalidKey(f"invalid storage key: {key!r}")
    return key


class LocalStorage(Storage):
    """Objects as files under a root folder; writes are atomic (temp file + rename)."""

    def __init__(self, root):
        self.root = Path(root).resolve()

    def path_for(self, key):
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise InvalidKey(f"invalid storage key: {key!r}")
        return path

    def save(self, key, data):
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            # Same filesystem in practice (MEDIA_ROOT/uploads): a rename, no copy.
            try:
                os.replace(data, path)
                return key
            except OSError:
                with open(data, "rb") as src:
                    return self.save(key, src)
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

    def delete(self, key):
        try:
            self.path_for(key).unlink()
        except FileNotFoundError:
            pass


def get_storage():
    """The configured store (MEDIA_ROOT on the local disk)."""
    return LocalStorage(settings["MEDIA_ROOT"])

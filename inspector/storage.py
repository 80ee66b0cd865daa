"""Where photo files live: a small storage protocol, a local-disk backend and a factory.

Backends deal in keys such as "photos/ab/abcdef…/display.jpg" and bytes, never in HTTP:
URLs are the web layer's business, since only it knows how a key is served.
"""

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from typing import BinaryIO, Protocol


class Storage(Protocol):
    """What the app needs from a place to keep files."""

    def save(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        """Store `data` under `key`, replacing what was there; readers never see half."""

    def open(self, key: str) -> BinaryIO:
        """Return the file under `key` for reading; FileNotFoundError when there is none."""

    def delete(self, key: str) -> None:
        """Remove the file under `key`; nothing happens when there is none."""

    def exists(self, key: str) -> bool:
        """Return whether a file is stored under `key`."""


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative name like "photos/ab/cd.jpg", else ValueError."""
    # Keys are made by the app, but refusing anything that could climb out of the root
    # keeps a future bug from turning into a path traversal.
    parts = key.split("/")
    if (
        not key
        or ".." in key
        or "\\" in key
        or "\x00" in key
        or key.startswith("/")
        or any(part in ("", ".") for part in parts)
    ):
        raise ValueError(f"unsafe storage key {key!r}")
    return key


class LocalStorage:
    """Files in a folder on this machine (for one server, or a shared volume)."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str) -> "LocalStorage":
        return cls(os.path.join(instance_path, "photos"))

    def path(self, key: str) -> str:
        """Return the file system path of `key`."""
        return os.path.join(self.root, *check_key(key).split("/"))

    def save(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        """Write to a temporary file beside the target, then rename it into place."""
        # content_type is for backends that serve files themselves (S3); here the web
        # server infers it from the extension.
        path = self.path(key)
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        # Same folder, so os.replace is a rename within one file system: atomic, and a
        # reader sees either the old file or the new one, never a partial write.
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes | bytearray | memoryview):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)  # mkstemp makes 0600; a web server may read as another user
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        sync_folder(folder)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(key))

    def exists(self, key: str) -> bool:
        return os.path.isfile(self.path(key))


def sync_folder(folder: str) -> None:
    """Flush a rename to disk, so a crash right after save cannot undo it (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Backends by the STORAGE setting; an S3 class with the same from_config joins later.
BACKENDS = {"local": LocalStorage}


def make_storage(config: Mapping, instance_path: str) -> Storage:
    """Return the storage backend the STORAGE setting names ("local" by default)."""
    name = config.get("STORAGE", "local")
    try:
        backend = BACKENDS[name]
    except KeyError:
        choices = ", ".join(sorted(BACKENDS))
        raise ValueError(f"unknown STORAGE {name!r}; choose one of: {choices}") from None
    return backend.from_config(config, instance_path)

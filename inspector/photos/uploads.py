"""Uploaded files are hashed while they arrive, so no step reads them again only to hash them.

Werkzeug writes each file part of a multipart body into a spool (memory up to SPOOL_BYTES,
then a temporary file on disk). `HashingSpool` is that spool, with a SHA-256 of everything
written to it kept on the way: when the parser is done, the upload's checksum is known without
another pass over its bytes (a 12 MP JPEG is 4-5 MB). A phone photo (1600 px, about 400 KB)
stays in memory, a camera original goes to disk: never a second copy of it in memory.
"""

import hashlib
from tempfile import SpooledTemporaryFile

SPOOL_BYTES = 512 * 1024  # Werkzeug's own threshold (500 KB) rounded: phone photos fit


class HashingSpool(SpooledTemporaryFile):
    """A spooled temporary file that hashes what is written to it, in order."""

    def __init__(self):
        super().__init__(max_size=SPOOL_BYTES, mode="rb+")
        self.hasher = hashlib.sha256()
        self.written = 0

    def write(self, data):
        self.hasher.update(data)
        self.written += len(data)
        return super().write(data)

    @property
    def sha256(self) -> str:
        return self.hasher.hexdigest()


class HashingUploads:
    """A request class mixin: file parts of a form go to a HashingSpool."""

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        return HashingSpool()


def init_app(app):
    """Make the app's request class (whichever it is by now) spool uploads into HashingSpool."""
    if not issubclass(app.request_class, HashingUploads):
        app.request_class = type("Request", (HashingUploads, app.request_class), {})


def known_sha256(stream) -> str | None:
    """The checksum of an upload taken while it arrived, if it was (else None)."""
    return stream.sha256 if isinstance(stream, HashingSpool) else None

"""The worker's document job: build an evidence archive someone asked for, then tell them.

The archive is written to a temporary file, then stored (local disk or S3, like photos) under
`archives/`; the web answers only a link to it. Safe to run twice: the archive is claimed
(pending → building) in the database first.
"""

import logging
import os
import secrets
import tempfile
from datetime import UTC, datetime

from flask_babel import force_locale
from sqlalchemy import update

from inspector.clock import local_now
from inspector.documents.archive import write_archive
from inspector.extensions import db
from inspector.models import ArchiveStatus, DocumentArchive
from inspector.notifications.inbox import notify
from inspector.photos.services import storage

log = logging.getLogger(__name__)
ZIP = "application/zip"


def claim(archive_id):
    """The archive if it was waiting (now ours: building), else None."""
    claimed = db.session.execute(
        update(DocumentArchive)
        .where(DocumentArchive.id == archive_id, DocumentArchive.status == ArchiveStatus.PENDING)
        .values(status=ArchiveStatus.BUILDING)
    ).rowcount
    db.session.commit()
    return db.session.get(DocumentArchive, archive_id) if claimed else None


def build_archive(archive_id):
    """Write, store and announce one archive; a failure is recorded on it, not raised."""
    archive = claim(archive_id)
    if archive is None:
        return
    try:
        key, size, count = write_and_store(archive)
    except Exception as error:  # any fault ends as a failed archive the user sees, not a retry
        db.session.rollback()
        log.exception("archive %s failed", archive_id)
        finish(archive, ArchiveStatus.FAILED, error=f"{type(error).__name__}: {error}"[:500])
        return
    finish(archive, ArchiveStatus.READY, file_key=key, size=size, documents=count)


def write_and_store(archive):
    with tempfile.TemporaryDirectory(prefix="inspector-archive-") as folder:
        path = os.path.join(folder, "archive.zip")
        with force_locale(archive.language):
            count = write_archive(
                path, archive.requested_by, archive.first, archive.last, local_now().date()
            )
        key = f"archives/{archive.id}-{secrets.token_hex(8)}.zip"
        with open(path, "rb") as source:
            storage().save(key, source, ZIP)
        return key, os.path.getsize(path), count


def finish(archive, status, **fields):
    archive = db.session.get(DocumentArchive, archive.id)
    archive.status = status
    archive.finished_at = datetime.now(UTC)
    for name, value in fields.items():
        setattr(archive, name, value)
    data = {"id": archive.id, "from": str(archive.first), "to": str(archive.last)}
    notify(archive.requested_by_id, f"archive.{status}", data)
    db.session.commit()

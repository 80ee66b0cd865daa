"""The worker's document job: build an evidence archive someone asked for, then tell them.

The archive is written to a temporary file, then stored (local disk or S3, like photos) under
`archives/`; the web answers only a link to it.

A year's archive takes minutes, so the build is held by a **lease**, never by a transaction:
- claiming it (pending → building) records which build holds it (`builder`) and until when
  (`lease_until`); a job run twice builds once;
- each document is read in a read transaction of its own (write_archive: no lock, no snapshot
  kept while PDFs render), and the lease is renewed every RENEW_EVERY seconds in a short write;
- a builder that stops (a killed worker, a lost machine) stops renewing: the minute's sweep
  puts the archive back to pending and enqueues it again, up to MAX_ATTEMPTS builds, then
  records it failed and tells the requester;
- only the lease's holder may finish the archive: one that finds it taken over stops and
  removes what it stored.
"""

import contextlib
import logging
import os
import secrets
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update

from inspector import queue
from inspector.clock import local_now
from inspector.database import own_write_transaction, reading
from inspector.documents.archive import write_archive
from inspector.extensions import db
from inspector.models import ArchiveStatus, DocumentArchive
from inspector.notifications.inbox import notify
from inspector.photos.services import storage

log = logging.getLogger(__name__)
ZIP = "application/zip"
LEASE = timedelta(minutes=5)
RENEW_EVERY = 30  # seconds: a lease outlives ten missed renewals
MAX_ATTEMPTS = 3


class LeaseLostError(Exception):
    """The archive was taken over (this build was thought stopped): stop writing it."""


def holding(archive_id, builder):
    return (
        DocumentArchive.id == archive_id,
        DocumentArchive.builder == builder,
        DocumentArchive.status == ArchiveStatus.BUILDING,
    )


def claim(archive_id):
    """This build's name if the archive was waiting and is now ours, else None."""
    builder = secrets.token_hex(8)
    claimed = db.session.execute(
        update(DocumentArchive)
        .where(DocumentArchive.id == archive_id, DocumentArchive.status == ArchiveStatus.PENDING)
        .values(
            status=ArchiveStatus.BUILDING,
            builder=builder,
            lease_until=datetime.now(UTC) + LEASE,
            attempts=DocumentArchive.attempts + 1,
        )
    ).rowcount
    db.session.commit()
    return builder if claimed else None


class Lease:
    """This build's hold on its archive, renewed every RENEW_EVERY seconds.

    Between documents the builder renews it itself (`keep`); a heartbeat thread renews it
    while a single step takes longer (a slow document, the ledger, storing the ZIP on S3), so
    only a stopped process lets it run out. A renewal that finds the archive taken over marks
    the lease lost, and the builder stops at its next document (LeaseLostError).
    """

    def __init__(self, archive_id, builder, clock=time.monotonic):
        self.archive_id, self.builder, self.clock = archive_id, builder, clock
        self.renewed = clock()
        self.lost = False
        self.lock = threading.Lock()

    def keep(self, _document=None):
        if self.due():
            self.renew()
        if self.lost:
            raise LeaseLostError()

    def due(self):
        return self.clock() - self.renewed >= RENEW_EVERY

    def renew(self):
        """Extend the hold in a short write of its own (on this thread's session)."""
        with self.lock:
            with own_write_transaction():
                renewed = db.session.execute(
                    update(DocumentArchive)
                    .where(*holding(self.archive_id, self.builder))
                    .values(lease_until=datetime.now(UTC) + LEASE)
                ).rowcount
            self.lost = self.lost or not renewed
            self.renewed = self.clock()

    @contextlib.contextmanager
    def heartbeat(self, app):
        """Renew from a thread of its own while the block runs, whenever a renewal is due."""
        stop = threading.Event()
        every = max(RENEW_EVERY / 6, 0.05)  # six looks a period: renewed at most a sixth late

        def beat():
            while not stop.wait(every):
                if self.due() and not self.lost:
                    with queue.job_context(app):
                        self.renew()

        thread = threading.Thread(target=beat, name=f"archive-{self.archive_id}-lease", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()


def build_archive(archive_id):
    """Write, store and announce one archive; a failure is recorded on it, not raised."""
    builder = claim(archive_id)
    if builder is None:
        return
    lease = Lease(archive_id, builder)
    try:
        with lease.heartbeat(current_app._get_current_object()):
            key, size, count = write_and_store(archive_id, lease)
        if lease.lost:
            raise LeaseLostError()
    except LeaseLostError:
        db.session.rollback()
        log.warning("archive %s was taken over by another build: stopped", archive_id)
        return
    except Exception as error:  # any fault ends as a failed archive the user sees, not a retry
        db.session.rollback()
        log.exception("archive %s failed", archive_id)
        finish(archive_id, builder, ArchiveStatus.FAILED, error=describe(error))
        return
    if not finish(archive_id, builder, ArchiveStatus.READY, file_key=key, size=size,
                  documents=count):  # fmt: skip
        storage().delete(key)  # taken over at the last moment: the other build's file counts


def describe(error):
    return f"{type(error).__name__}: {error}"[:500]


def write_and_store(archive_id, lease):
    with reading():  # reads only: the write lock is taken by the lease alone
        archive = db.session.get(DocumentArchive, archive_id)
        first, last, language = archive.first, archive.last, archive.language
        requester = archive.requested_by
    with tempfile.TemporaryDirectory(prefix="inspector-archive-") as folder:
        path = os.path.join(folder, "archive.zip")
        with force_locale(language):
            count = write_archive(
                path, requester, first, last, local_now().date(), progress=lease.keep
            )
        lease.keep()
        key = f"archives/{archive_id}-{secrets.token_hex(8)}.zip"
        with open(path, "rb") as source:
            storage().save(key, source, ZIP)
        return key, os.path.getsize(path), count


def finish(archive_id, builder, status, **fields):
    """Record the outcome and tell the requester, if this build still holds the archive.

    One conditional UPDATE: a sweep that thought this build stopped cannot be overwritten by
    it, nor overwrite it (on PostgreSQL two transactions may read the same row at once).
    """
    db.session.rollback()
    settled = db.session.execute(
        update(DocumentArchive)
        .where(*holding(archive_id, builder))
        .values(**ended(status), **fields)
    ).rowcount
    if settled:
        announce(archive_id, status)
    db.session.commit()
    return bool(settled)


def ended(status):
    return {"status": status, "finished_at": datetime.now(UTC), "builder": None,
            "lease_until": None}  # fmt: skip


def announce(archive_id, status):
    archive = db.session.get(DocumentArchive, archive_id)
    data = {"id": archive.id, "from": str(archive.first), "to": str(archive.last)}
    notify(archive.requested_by_id, f"archive.{status}", data)


def sweep(now=None):
    """Every minute: archives whose build stopped (its lease ran out, or has none: built
    before leases existed) wait again, or fail after MAX_ATTEMPTS builds; archives waiting for
    over a minute are enqueued (a nudge may never have reached the queue, or the worker that
    had it was stopped). Each change is a conditional UPDATE of the row as it was read, so a
    build that renewed or finished meanwhile keeps its archive. A second job does nothing."""
    now = now or datetime.now(UTC)
    run_out = or_(DocumentArchive.lease_until.is_(None), DocumentArchive.lease_until < now)
    stalled = db.session.execute(
        select(DocumentArchive.id, DocumentArchive.builder, DocumentArchive.attempts).where(
            DocumentArchive.status == ArchiveStatus.BUILDING, run_out
        )
    ).all()
    again = []
    for archive_id, builder, attempts in stalled:
        give_up = attempts >= MAX_ATTEMPTS
        if give_up:
            values = {**ended(ArchiveStatus.FAILED), "error": stopped_error(attempts)}
        else:
            values = {"status": ArchiveStatus.PENDING, "builder": None, "lease_until": None}
        changed = db.session.execute(
            update(DocumentArchive).where(*holding(archive_id, builder), run_out).values(**values)
        ).rowcount
        if not changed:
            continue
        log.warning("archive %s: its build stopped (attempt %d)", archive_id, attempts)
        if give_up:
            announce(archive_id, ArchiveStatus.FAILED)
        else:
            again.append(archive_id)
    db.session.commit()
    waiting = db.session.scalars(
        select(DocumentArchive.id).where(
            DocumentArchive.status == ArchiveStatus.PENDING,
            DocumentArchive.created_at < now - timedelta(minutes=1),
        )
    ).all()
    db.session.commit()
    for archive_id in sorted({*again, *waiting}):
        queue.nudge(current_app._get_current_object(), "build_archive", archive_id)


def stopped_error(attempts):
    return f"The worker building it stopped {attempts} times; ask for it again."

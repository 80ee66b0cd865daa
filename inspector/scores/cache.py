"""Score sheets cached per process, keyed by a change counter kept in the database.

Every transaction that changes what a sheet is computed from (inspections and their answers,
departments, checklists, closed periods, appeals and their amendments) adds one to
`data_version.scores` just before it commits. A cached answer is used only while that counter
is unchanged, so each server and worker recomputes once after a change and never shows numbers
older than the database.
Reading the counter is one primary-key lookup, where the year roll-up reads every inspection
of the year (docs/benchmarks.md). It is read once per transaction, however many answers a page
asks for (the web score sheet asks for its sheet, the close in force and its own HTML).
"""

import functools
import threading

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from inspector.extensions import db
from inspector.models import (
    Amendment,
    Appeal,
    Checklist,
    ChecklistItem,
    ChecklistSection,
    ClosedPeriod,
    DataVersion,
    Department,
    Inspection,
    Response,
)

AREA = "scores"
SCORE_MODELS = (
    Amendment,
    Appeal,  # a pending appeal marks its department's numbers provisional
    Checklist,
    ChecklistItem,
    ChecklistSection,
    ClosedPeriod,
    Department,
    Inspection,
    Response,
)
MAX_ENTRIES = 512
CHANGED = "inspector.scores_changed"
VERSION = "inspector.scores_version"


class ScoreCache:
    """Answers of one data version; all are dropped when the version moves on."""

    def __init__(self):
        self.version = None
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, version, key):
        with self.lock:
            if version != self.version:
                return None
            return self.entries.get(key)

    def put(self, version, key, value):
        with self.lock:
            if self.version is not None and version < self.version:
                return  # computed by a request that began before the latest change
            if version != self.version:
                self.version, self.entries = version, {}
            if len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = value


def current_version():
    """The counter as this transaction sees it: read once per transaction (a page may memoize
    several answers), read again after it ends (forget_version)."""
    info = db.session.info
    if VERSION not in info:
        info[VERSION] = db.session.scalar(version_query())
    return info[VERSION]


@functools.cache
def version_query():
    """Built once: every sheet and score page runs it (building costs more than running)."""
    return select(DataVersion.counter).where(DataVersion.name == AREA)


def forget_version(session, transaction):
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(VERSION, None)


def memoize(key, compute):
    """compute(), or its answer for `key` at the current data version.

    Callers must not change what they get back: it is shared by later requests.
    """
    if not current_app.config["SCORE_CACHE"]:
        return compute()
    cache = current_app.extensions["inspector.score_cache"]
    version = current_version()
    if version is None or db.session.info.get(CHANGED):
        return compute()  # no counter (yet), or this transaction has changed the data
    value = cache.get(version, key)
    if value is None:
        value = compute()
        cache.put(version, key, value)
    return value


def note_changes(session, flush_context):
    """After a flush: remember whether it touched anything a score sheet is computed from."""
    if session.info.get(CHANGED):
        return
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, SCORE_MODELS) for obj in touched):
        session.info[CHANGED] = True


def bump_version(session):
    """Just before commit: count the change in the same transaction, as its last write."""
    # SQLAlchemy calls before_commit before its own final flush: flush first, so a change
    # still pending in the session (set on an object, no query since) is seen and counted.
    session.flush()
    if session.info.pop(CHANGED, False):
        session.execute(
            update(DataVersion)
            .where(DataVersion.name == AREA)
            .values(counter=DataVersion.counter + 1)
        )


def forget_changes(session, previous_transaction=None):
    session.info.pop(CHANGED, None)


def init_app(app):
    app.extensions["inspector.score_cache"] = ScoreCache()
    if not event.contains(Session, "after_flush", note_changes):
        event.listen(Session, "after_flush", note_changes)
        event.listen(Session, "before_commit", bump_version)
        event.listen(Session, "after_rollback", forget_changes)
        event.listen(Session, "after_transaction_end", forget_version)

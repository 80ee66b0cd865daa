"""Score sheets cached per process, keyed by a change counter kept in the database.

Every transaction that changes what a sheet is computed from (inspections and their answers,
departments, checklists, closed periods, appeals and their amendments) adds one to
`data_version.scores` just before it commits. A cached answer is used only while that counter
is unchanged, so each server and worker recomputes once after a change and never shows numbers
older than the database.
Reading the counter is one primary-key lookup, where the year roll-up reads every inspection
of the year (docs/benchmarks.md). It is read once per transaction, however many answers a page
asks for (the web score sheet asks for its sheet, the close in force and its own HTML). A
request that only reads and has begun no transaction (an API GET: its token is read apart)
reads it, and the rows it needs, as statements of their own (inspector.database.lone_read):
they see the counter's step or a newer one, and rows are kept under the step read first
(inspector.scores.kept), so nothing newer is ever missed.

With each step of the counter the same transaction logs which departments' sheet rows it
changed (`department_change`: their totals, or the department itself) and whether it changed
a close, so a server can bring sheet rows it already has up to date by re-reading those
departments only, and keep a close in force across steps (inspector.scores.kept). The counter
is read together with the steps of the log this server has not seen yet, in one statement:
what it learns is remembered per server (StepLog), so bringing rows up to date usually reads
nothing more.
"""

import functools
import threading

from flask import current_app, has_request_context
from sqlalchemy import bindparam, delete, event, insert, literal, select, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE

from inspector.database import lone_read
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
    DepartmentChange,
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
SCORE_TABLES = frozenset(model.__tablename__ for model in SCORE_MODELS)
MAX_ENTRIES = 512
CHANGED = "inspector.scores_changed"
VERSION = "inspector.scores_version"
DEPARTMENTS = "inspector.scores_departments"  # whose sheet rows this transaction changed
COUNTED = "inspector.scores_counted"  # this transaction has moved the counter
LOG = "inspector.scores_log"  # what this transaction read of the log, per step read since
ALL_DEPARTMENTS = 0  # logged for a change that may touch any department's rows
NO_DEPARTMENT = -1  # logged by older code for a step that touched no department's rows
# Every step this code makes logs one of these two (not departments): a step with neither
# was made by older code, which logged no closes, so it may have changed one.
CLOSES = -2  # the step closed or reopened a period
NO_CLOSE = -3  # the step changed no close
NOT_DEPARTMENTS = frozenset({NO_DEPARTMENT, CLOSES, NO_CLOSE})
NEVER = 2**31 - 1  # a step no counter reaches (an INTEGER): a server's first read reads no log
# How many steps of the counter the log keeps (pruned every PRUNE_EVERY steps): sheet rows
# older than that are read whole again.
LOG_WINDOW = 1000
PRUNE_EVERY = 100


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
    several answers), read again after it ends (forget_version). Outside one, in a unit of
    work that does not write, it is read on its own (lone_read) and kept only until the
    request ends (the request's session ends with it; a transaction begun later sees that
    step or a newer one); outside a request nothing marks where a unit of work ends, so it is
    read again each time.

    Read with the steps of the log this server has not seen yet (StepLog.learn), through the
    connection: the ORM's execution machinery cost more than the statement. Its pending
    changes are flushed first, as the ORM would: a change of this transaction then counts.
    """
    info = db.session.info
    if VERSION not in info:
        db.session.flush()  # as session.scalar would: a pending change of this one counts
        steps = current_app.extensions["inspector.step_log"]
        since = steps.top
        bound = {"since": NEVER if since is None else since}
        with lone_read() as connection:
            found = connection.execute(changes_query(), bound).all()
        counter = counter_in(found)
        if not info.get(CHANGED):  # else it may see its own step, which may yet roll back
            steps.learn(since, counter, found)
        if not (db.session().in_transaction() or has_request_context()):
            return counter
        info[VERSION] = counter
    return info[VERSION]


class StepLog:
    """What this server has read of the change log: for each step after `floor` up to `top`,
    the departments it changed (CLOSES among them if it changed a close; None if the step is
    missing from the log). The steps come from statements that read the counter with them, so
    every step up to a counter read is there; at most LOG_WINDOW steps are kept."""

    def __init__(self):
        self.floor = self.top = None
        self.steps = {}
        self.lock = threading.Lock()

    def learn(self, since, counter, found):
        """Add steps since..counter (exclusive, inclusive) from `found`, a changes_query answer
        for steps after `since` (None: the server's first read, which asked for none)."""
        if counter is None:
            return
        low = counter if since is None else max(since, counter - LOG_WINDOW)
        learned = steps_in(low, counter, found)
        with self.lock:
            if self.top is not None and low <= self.top and counter >= self.floor:
                self.floor, self.top = min(self.floor, low), max(self.top, counter)  # one span
            elif self.top is not None and counter <= self.top:
                return  # an older read, apart from what is known: nothing to add
            else:
                self.floor, self.top, self.steps = low, counter, {}
            self.steps.update(learned)
            if self.floor < self.top - LOG_WINDOW - PRUNE_EVERY:
                self.floor = self.top - LOG_WINDOW
                self.steps = {s: d for s, d in self.steps.items() if s > self.floor}

    def between(self, version, counter):
        """(True, what steps version..counter changed, None if one is missing from the log),
        or (False, None) when this server has not seen all of them."""
        with self.lock:
            if self.top is None or version < self.floor or counter > self.top:
                return False, None
            changed = set()
            for step in range(version + 1, counter + 1):
                departments = self.steps[step]
                if departments is None:
                    return True, None
                changed |= departments
            return True, changed


def forget_version(session, transaction):
    if transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(VERSION, None)
        session.info.pop(LOG, None)


def memoize(key, compute):
    """compute(), or its answer for `key` at the current data version.

    Callers must not change what they get back: it is shared by later requests.
    """
    version = reusable_version()
    if version is None:
        return compute()
    cache = current_app.extensions["inspector.score_cache"]
    value = cache.get(version, key)
    if value is None:
        value = compute()
        cache.put(version, key, value)
    return value


def reusable_version():
    """The counter if answers computed at it may be shared with this transaction: None when
    the cache is off, there is no counter (yet), or this transaction has changed the data.

    Flushed first, every time: a change made since the counter was read counts, and the
    answer read next (whose query would flush it) is then not shared. So not for flush
    hooks, where a flush cannot begin."""
    if not current_app.config["SCORE_CACHE"]:
        return None
    db.session.flush()
    version = current_version()
    return None if db.session.info.get(CHANGED) else version


def note_changes(session, flush_context):
    """After a flush: remember whether it touched anything a score sheet is computed from,
    which departments' own rows (their totals are noted by inspector.scores.totals), and
    whether a close."""
    touched = (*session.new, *session.dirty, *session.deleted)
    # A new department has no identity key until the flush ends, but has its id.
    departments = {
        identity(obj) or loaded(obj, "id") for obj in touched if isinstance(obj, Department)
    }
    if any(isinstance(obj, ClosedPeriod) for obj in touched):
        departments.add(CLOSES)
    if departments:
        touch_departments(session, departments)
    elif not session.info.get(CHANGED) and any(isinstance(obj, SCORE_MODELS) for obj in touched):
        session.info[CHANGED] = True


def identity(obj):
    """A persistent object's primary key, without loading anything."""
    key = obj._sa_instance_state.key
    return key[1][0] if key else None


def loaded(obj, name):
    """An attribute's value if it is in memory, without loading it (None otherwise)."""
    value = obj._sa_instance_state.attrs[name].loaded_value
    return None if value is NO_VALUE else value


def changed_table(state):
    """The name of the table an UPDATE or DELETE statement run through the session (ORM or
    Core) changes; None for any other statement."""
    if not (state.is_update or state.is_delete):
        return None
    return getattr(getattr(state.statement, "table", None), "name", None)


def touch_departments(session, ids):
    """Note that this transaction changes the sheet rows of departments `ids`."""
    session.info[CHANGED] = True
    session.info.setdefault(DEPARTMENTS, set()).update(ids)


def note_statement(state):
    """UPDATE or DELETE statements run through the session (not objects): those on the data
    a sheet is computed from count too; on departments, as a change to all of them; on
    closes, as a change to a close. (inspector.scores.totals follows those on inspections
    and answers, department by one.)"""
    target = changed_table(state)
    if target == Department.__tablename__:
        touch_departments(state.session, {ALL_DEPARTMENTS})
    elif target == ClosedPeriod.__tablename__:
        touch_departments(state.session, {CLOSES})
    elif target in SCORE_TABLES:
        state.session.info[CHANGED] = True


def bump_version(session):
    """Just before commit: count the change in the same transaction, as its last write."""
    # SQLAlchemy calls before_commit before its own final flush: flush first, so a change
    # still pending in the session (set on an object, no query since) is seen and counted.
    session.flush()
    if session.in_nested_transaction():
        return  # a savepoint released (before_commit runs for it too): the commit counts
    # CHANGED stays set until the transaction ends (forget_changes): whatever runs after
    # this and before the commit sees this transaction's own step as its own.
    if session.info.get(CHANGED):
        log_departments(session, next_step(session), session.info.get(DEPARTMENTS, ()))
        session.info[COUNTED] = True


def count_if_missed(session):
    """After a commit: a transaction committed with a savepoint still open got its
    before_commit while the savepoint was current, so bump_version took it for a savepoint
    released and counted nothing. Count it now, in a transaction of its own, as a change to
    every department and the closes: readers then read everything again."""
    if session.in_nested_transaction():
        return  # a savepoint released: the outermost commit counts
    if session.info.get(CHANGED) and not session.info.get(COUNTED):
        with session.get_bind().begin() as connection:
            log_departments(connection, next_step(connection), {ALL_DEPARTMENTS, CLOSES})


def next_step(executor):
    """Move the counter on by one (a session's or a connection's statement); its new value,
    or None if there is no counter (yet)."""
    return executor.scalar(
        update(DataVersion)
        .where(DataVersion.name == AREA)
        .values(counter=DataVersion.counter + 1)
        .returning(DataVersion.counter)
    )


def log_departments(executor, version, departments):
    """Log which departments step `version` changed, and CLOSES or NO_CLOSE (so at least one
    row: a step missing from the log was made by a server that keeps no log, and readers then
    read everything); now and then forget old steps."""
    if version is None:
        return
    ids = {d for d in departments if d is not None}  # not a new object's unloaded id
    if CLOSES not in ids:
        ids.add(NO_CLOSE)
    rows = [{"version": version, "department_id": d} for d in sorted(ids)]
    executor.execute(insert(DepartmentChange), rows)
    if version % PRUNE_EVERY == 0:
        old = DepartmentChange.version <= version - LOG_WINDOW
        executor.execute(delete(DepartmentChange).where(old))


def changed_since(version):
    """Ids of the departments changed after step `version` up to this transaction's counter
    (CLOSES among them if a close changed), or None when the log cannot say: it no longer
    reaches back that far, or a step is missing from it.

    Usually this server has seen those steps already (StepLog). If not, the log is read with
    the counter in one statement, one snapshot on PostgreSQL too: a prune it does not see has
    removed nothing after `version`, and every step up to the counter has committed."""
    counter = current_version()
    seen, changed = current_app.extensions["inspector.step_log"].between(version, counter)
    if seen:
        return changed
    # A page's sheets were mostly kept at one step: read the log once for it, per counter.
    read = db.session.info.setdefault(LOG, {})
    if (version, counter) not in read:
        with lone_read() as connection:
            found = connection.execute(changes_query(), {"since": version}).all()
        read[version, counter] = departments_changed(version, found)
    return read[version, counter]


def departments_changed(version, found):
    counter = counter_in(found)
    if counter is None or version < counter - LOG_WINDOW:
        return None
    steps = steps_in(version, counter, found).values()
    if None in steps:
        return None  # a step logged nothing: made by a server that keeps no log
    return set().union(*steps)


def counter_in(found):
    """The counter a changes_query answer read (None if there is no counter yet)."""
    return next((step for kind, step, _ in found if kind == 0), None)


def steps_in(since, counter, found):
    """{step: what it changed (step_changes), or None if it logged nothing} for each step
    after `since` up to `counter`, from a changes_query answer."""
    logged = {step: set() for step in range(since + 1, counter + 1)}
    for kind, step, department in found:
        if kind == 1 and step in logged:
            logged[step].add(department)
    return {step: step_changes(rows) if rows else None for step, rows in logged.items()}


def step_changes(logged):
    """What one step changed, from the rows it logged: its departments, and CLOSES if it
    changed a close or was made by older code (which logged no closes: it may have)."""
    changed = logged - NOT_DEPARTMENTS
    if CLOSES in logged or NO_CLOSE not in logged:
        changed.add(CLOSES)
    return changed


@functools.cache
def changes_query():
    log = DepartmentChange
    return union_all(
        select(literal(0), DataVersion.counter, literal(0)).where(DataVersion.name == AREA),
        select(literal(1), log.version, log.department_id).where(log.version > bindparam("since")),
    )


def forget_changes(session, transaction):
    """When the outermost transaction ends, committed or rolled back: a savepoint rolled back
    keeps what the transaction changed before it."""
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
        session.info.pop(DEPARTMENTS, None)
        session.info.pop(COUNTED, None)


def init_app(app):
    app.extensions["inspector.score_cache"] = ScoreCache()
    app.extensions["inspector.step_log"] = StepLog()
    if not event.contains(Session, "after_flush", note_changes):
        event.listen(Session, "after_flush", note_changes)
        event.listen(Session, "before_commit", bump_version)
        event.listen(Session, "after_commit", count_if_missed)
        event.listen(Session, "do_orm_execute", note_statement)
        event.listen(Session, "after_transaction_end", forget_changes)
        event.listen(Session, "after_transaction_end", forget_version)

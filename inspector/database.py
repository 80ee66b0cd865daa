"""SQLite settings that make the embedded database safe under several workers, and the
transaction helpers that keep its one write lock short (they do no harm on PostgreSQL)."""

import contextlib
from contextvars import ContextVar

import click
from flask import has_request_context, request
from sqlalchemy import event

from inspector.extensions import db

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ, WRITE, STATEMENT = "read", "write", "statement"
# Set inside the helpers below: the kind of the transaction they begin, whatever the request.
forced_kind: ContextVar[str | None] = ContextVar("inspector_transaction_kind", default=None)


def configure_sqlite(engine, busy_timeout_ms):
    """Use WAL, wait for locks, and take the write lock at the start of writes."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would
        # otherwise start transactions lazily, after our first read).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # A deferred transaction that reads and then writes cannot wait for the
        # lock (SQLite answers "database is locked" at once to avoid deadlock),
        # so anything that may write takes the lock up front and waits its turn.
        # Straight to the driver: this runs for every request, and SQLAlchemy's execution
        # machinery would cost more than the statement.
        kind = forced_kind.get()
        if kind == STATEMENT:
            return  # one_statement(): the statement is its own transaction
        connection.connection.driver_connection.execute(
            "BEGIN IMMEDIATE" if may_write() else "BEGIN"
        )


def may_write():
    """Tell whether a transaction begun now may write: non-GET requests and commands, unless
    one of the helpers below says which kind it begins."""
    forced = forced_kind.get()
    if forced is not None:
        return forced == WRITE
    if has_request_context():
        return request.method not in SAFE_METHODS
    return click.get_current_context(silent=True) is not None


@contextlib.contextmanager
def own_write_transaction():
    """Run the block's writes in a transaction of their own that waits its turn; commit it.

    For a write that must happen whatever the request, such as counting a failed sign-in or
    token during a GET. On SQLite a transaction that has read cannot wait for the write lock
    (it fails at once with "database is locked"), so the current transaction is ended first
    (committed, as it stands) and this one begins with BEGIN IMMEDIATE, which waits for the
    lock up to the busy timeout. On PostgreSQL it is an ordinary transaction of its own.
    """
    db.session.commit()
    token = forced_kind.set(WRITE)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        forced_kind.reset(token)


@contextlib.contextmanager
def one_statement():
    """A connection for a single read whose snapshot need not be the request's: a bearer
    token's lookup, which every API request makes.

    On SQLite it is a connection of its own, and the statement runs as its own transaction:
    no BEGIN, no ROLLBACK. Each call into SQLite lets go of Python's lock on the interpreter,
    and under a threaded worker every such call hands the lock to another thread and back:
    the BEGIN and ROLLBACK around a lone SELECT made it cost twice as much under load
    (docs/benchmarks.md). On PostgreSQL it is the session's connection, as for any read.
    """
    if db.engine.dialect.name != "sqlite":
        yield db.session.connection()
        return
    token = forced_kind.set(STATEMENT)
    try:
        with db.engine.connect() as connection:
            yield connection
    finally:
        forced_kind.reset(token)


@contextlib.contextmanager
def lone_read():
    """A connection for a read that needs no snapshot shared with other reads: one_statement()'s
    when the session has no transaction open and the unit of work does not write, else the
    session's (its snapshot and its pending changes count)."""
    session = db.session()
    if session.in_transaction() or may_write():
        yield session.connection()
        return
    with one_statement() as connection:
        yield connection


@contextlib.contextmanager
def reading():
    """Begin the block's transactions as reads (on SQLite a plain BEGIN: no write lock),
    whatever the request or command: for long work that only reads, such as an archive."""
    token = forced_kind.set(READ)
    try:
        yield
    finally:
        forced_kind.reset(token)


@contextlib.contextmanager
def read_only_part(keep_loaded=False):
    """Run the reads a write request makes before its slow work in a transaction of their own.

    The transaction ends with the block, so what follows (decoding photos, writing files) holds
    no lock and no snapshot, and the write lock is taken by the next statement, under which the
    rest of the request runs as before. What the block loaded is expired when it ends, so the
    write part reads it again and decides on the current state; `keep_loaded` keeps it as it
    was read instead (the signed-in user; a stored photo, which never changes). Anything that
    touches an expired object before the slow work begins the write transaction early.

    In a unit of work that does not write, or inside a transaction already open, the block
    simply joins the transaction: there is no lock to avoid, or it is the caller's.
    """
    if not may_write():  # first: a GET that never uses the session does not make one
        yield
        return
    session = db.session()
    if session.in_transaction():
        yield
        return
    with reading():
        yield
    end_read_only(session, keep_loaded)


def end_read_only(session, keep_loaded):
    """End a read_only_part's transaction (if still open), checking that it wrote nothing."""
    if not session.in_transaction():
        return  # ended inside already (own_write_transaction)
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only part changed something; write after it instead")
    expire, session.expire_on_commit = session.expire_on_commit, not keep_loaded
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire

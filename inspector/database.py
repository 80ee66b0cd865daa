"""SQLite settings that make the embedded database safe under several workers."""

import click
from flask import has_request_context, request
from sqlalchemy import event

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
        connection.connection.driver_connection.execute(
            "BEGIN IMMEDIATE" if may_write() else "BEGIN"
        )


def may_write():
    """Tell whether the current unit of work may write: non-GET requests and commands."""
    if has_request_context():
        return request.method not in SAFE_METHODS
    return click.get_current_context(silent=True) is not None

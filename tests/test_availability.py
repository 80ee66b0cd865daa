"""Availability under hostile load (issue 13): gunicorn on SQLite, as `make run` serves it, stays
quick and correct while others write or upload absurd photos. Never a 500, never a lost count.

Timings here are generous bounds; bench/hostile_load.py measures the real figures."""

import contextlib
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from inspector.extensions import db
from inspector.models import ThrottleEvent
from tests.test_failure import server  # noqa: F401  (the gunicorn fixture)
from tests.test_scale_out import call


@pytest.fixture
def write_lock(server):  # noqa: F811
    """Hold SQLite's write lock from another connection, as a long write request would."""
    database = server["instance"] / "inspector.sqlite3"
    taken, release = threading.Event(), threading.Event()

    def hold():
        connection = sqlite3.connect(database, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            taken.set()
            release.wait(30)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    yield release
    release.set()
    holder.join()


def test_a_wrong_token_while_another_request_writes_is_counted_not_a_500(server, write_lock):  # noqa: F811
    def guess(number):
        return call(server["port"], "GET", "/api/v1/me", f"wrong-{number}", None, "text/plain")

    with ThreadPoolExecutor(6) as pool:
        answers = [pool.submit(guess, n) for n in range(6)]
        time.sleep(1)  # the guesses have read, and now wait for the lock to count themselves
        write_lock.set()
        statuses = [answer.result()[0] for answer in answers]
    assert statuses == [401] * 6
    with server["app"].app_context():
        counted = db.session.scalar(select(func.count()).select_from(ThrottleEvent))
        assert counted == 6


@contextlib.contextmanager
def another_writer(engine, seconds):
    """Another connection writes for `seconds`: on SQLite it holds the write lock; on
    PostgreSQL it locks the throttle's table against inserts."""
    taken = threading.Event()

    def hold():
        if engine.dialect.name == "sqlite":
            connection = sqlite3.connect(engine.url.database, isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            taken.set()
            time.sleep(seconds)
            connection.execute("ROLLBACK")
            connection.close()
            return
        with engine.connect() as connection:
            connection.execute(text("LOCK TABLE throttle_event IN EXCLUSIVE MODE"))
            taken.set()
            time.sleep(seconds)
            connection.rollback()

    holder = threading.Thread(target=hold)
    holder.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        holder.join()


def test_a_wrong_token_waits_for_the_writer_and_is_counted(app, client):
    started = time.monotonic()
    with another_writer(db.engine, 0.5):
        answer = client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"})
    assert answer.status_code == 401
    assert time.monotonic() - started >= 0.5  # it waited its turn rather than failing
    assert db.session.scalar(select(func.count()).select_from(ThrottleEvent)) == 1

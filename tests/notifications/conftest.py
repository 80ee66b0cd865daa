"""Fixtures for notifications: the app on each database with its queue (SQLite with Huey's
SQLite; PostgreSQL with Redis), a real Huey consumer, HTTP sinks and an SMTP server."""

import itertools

import pytest
from aiosmtpd.controller import Controller
from huey.consumer import Consumer

from inspector import create_app
from inspector.database import WRITE, forced_kind
from inspector.extensions import db
from inspector.worker import make_consumer
from tests.conftest import TEST_CONFIG, IsolatedClient
from tests.notifications.sinks import Mailbox, Sink
from tests.postgres import free_port
from tests.redisserver import ThrowawayRedis

_queues = itertools.count(1)
# Short delays so retries happen within the test: the schedule's shape is the real one's.
NOTIFY_CONFIG = {
    "DELIVERY_RETRY_DELAYS": [0.3, 0.6, 1.2],
    "DELIVERY_TIMEOUT": 2,
    "DELIVERY_HOLD_SECONDS": 8,
    "QUEUE_POLL_SECONDS": 0.1,
    "QUEUE_WORKERS": 3,
    "DAILY_HOUR": 24,  # the periodic tick only sweeps: tests run the daily jobs themselves
}


@pytest.fixture(scope="session")
def redis_server():
    server = ThrowawayRedis().start()
    yield server
    server.stop()


@pytest.fixture
def queue_config(request, database_url):
    """SQLite runs with Huey's SQLite queue, PostgreSQL with Redis (the scale-out layout)."""
    config = {**NOTIFY_CONFIG, "QUEUE_NAME": f"inspector-test-{next(_queues)}"}
    if not database_url.startswith("sqlite"):
        config["QUEUE_URL"] = request.getfixturevalue("redis_server").url
    return config


@pytest.fixture
def settings():
    """Extra settings a test wants (set before the app is made)."""
    return {}


@pytest.fixture
def app(tmp_path, database_url, monkeypatch, queue_config, settings):
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, **queue_config, **settings})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


class ThreadConsumer(Consumer):
    """Huey's consumer, started in the test's process: signals stay with pytest."""

    def _set_signal_handlers(self):
        pass


@pytest.fixture
def worker(app):
    """The real Huey consumer on the app's queue, in threads, for the test's duration.

    While it runs, the test's own code is one more writer beside it, as a command would be:
    on SQLite its transactions take the write lock when they begin and wait their turn. A
    deferred one that read and then wrote after the worker had committed would fail at once
    with "database is locked" (it cannot wait: its snapshot is stale). Requests still choose
    for themselves (IsolatedClient), and `wait_until` ends the test's transaction between
    tries, so the test never holds the lock while it waits for the worker.
    """
    consumer = make_consumer(app, consumer_class=ThreadConsumer, shutdown_timeout=10)
    token = forced_kind.set(WRITE)
    consumer.start()
    yield consumer
    db.session.rollback()  # the test's last read took the write lock: the worker may need it
    consumer.stop(graceful=True)
    forced_kind.reset(token)
    getattr(app.extensions["inspector.queue"].storage, "close", lambda: None)()


@pytest.fixture
def make_sink():
    """Start HTTP sinks on loopback: make_sink(statuses=[500, 500]) answers 500 twice, then 200."""
    started = []

    def make(**options):
        started.append(Sink(**options).start())
        return started[-1]

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def smtp_server():
    """aiosmtpd on a free loopback port: (mailbox, smtp:// URL)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, f"smtp://127.0.0.1:{controller.port}"
    controller.stop()

"""The job queue (Huey): SQLite under the instance folder, or Redis with QUEUE_URL.

Huey's storage only says "there is work": what must happen lives in the database (events not yet
dispatched, deliveries pending), so a lost or doubled queue entry changes nothing. Jobs are
idempotent, and the minute's sweeper re-enqueues anything due (inspector/notifications/jobs.py).
The instance is made on first use, never in create_app: the factory touches no file or server.
"""

import contextlib
import logging
import os

from inspector.database import WRITE, forced_kind
from inspector.extensions import db

log = logging.getLogger(__name__)
EXTENSION = "inspector.queue"


def get_huey(app):
    """The app's Huey instance, with the jobs registered (made on first use)."""
    huey = app.extensions.get(EXTENSION)
    if huey is None:
        huey = app.extensions[EXTENSION] = make_huey(app)
    return huey


def make_huey(app):
    # Imported here: Huey and redis-py take 0.12 s to import, paid on the first job a process
    # enqueues, not by every server start (docs/benchmarks.md, "Cold start").
    from huey import RedisHuey, SqliteHuey
    from redis import ConnectionPool

    name = app.config["QUEUE_NAME"]
    url = app.config["QUEUE_URL"]
    if url:
        # Short timeouts: a request that nudges the worker must never wait on Redis.
        pool = ConnectionPool.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        huey = RedisHuey(name, connection_pool=pool, results=False)
    else:
        path = os.path.join(app.instance_path, "queue.sqlite3")
        huey = SqliteHuey(name, filename=path, results=False, timeout=5)
    register_jobs(app, huey)
    return huey


def register_jobs(app, huey):
    from huey import crontab

    from inspector.documents import jobs as documents
    from inspector.notifications import jobs

    def in_app(function):
        def run(*args):
            with job_context(app):
                return function(*args)

        return run

    tasks = {
        "dispatch": huey.task(name="dispatch")(in_app(jobs.dispatch)),
        "deliver": huey.task(name="deliver")(in_app(jobs.deliver)),
        "sweep": huey.task(name="sweep")(in_app(jobs.sweep)),
        "build_archive": huey.task(name="build_archive")(in_app(documents.build_archive)),
    }
    huey.periodic_task(crontab(minute="*"), name="tick")(in_app(jobs.tick))
    huey.periodic_task(crontab(minute="*"), name="archives")(in_app(documents.sweep))
    app.extensions[EXTENSION + ".tasks"] = tasks


@contextlib.contextmanager
def job_context(app):
    """Run a job in the app, its transactions taking the write lock up front (SQLite)."""
    with app.app_context():
        token = forced_kind.set(WRITE)
        try:
            yield
        finally:
            forced_kind.reset(token)
            db.session.remove()


def nudge(app, task, *args, eta=None):
    """Enqueue `task`; a failure is only logged: the sweeper finds the work within a minute."""
    try:
        get_huey(app)
        job = app.extensions[EXTENSION + ".tasks"][task]
        if eta is None:
            job(*args)
        else:
            job.schedule(args=args, eta=eta)
    except Exception:  # the queue is down or busy: the database still holds the work
        log.warning("could not enqueue %s; the sweeper will", task, exc_info=True)

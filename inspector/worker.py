"""`flask --app inspector worker`: the background job consumer (notifications, webhooks)."""

import logging

import click
from flask import current_app

from inspector import queue


def make_consumer(app, consumer_class=None, **options):
    """A Huey consumer of the app's queue: threads, periodic jobs, polling at most a second."""
    from huey.consumer import Consumer  # imported here: see inspector.queue.make_huey

    settings = {
        "workers": int(app.config["QUEUE_WORKERS"]),
        "worker_type": "thread",
        "periodic": True,
        "initial_delay": 0.05,
        "backoff": 1.3,
        "max_delay": float(app.config["QUEUE_POLL_SECONDS"]),
        "scheduler_interval": 1,
        **options,
    }
    return (consumer_class or Consumer)(queue.get_huey(app), **settings)


@click.command("worker")
@click.option("--workers", type=click.IntRange(1, 64), help="Threads (default QUEUE_WORKERS).")
@click.option("--quiet", is_flag=True, help="Log warnings only.")
def worker_command(workers, quiet):
    """Run the background job consumer: notifications, webhooks, periodic jobs."""
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("huey").setLevel(logging.WARNING)  # not a line per job: ours say enough
    app = current_app._get_current_object()
    options = {"workers": workers} if workers else {}
    consumer = make_consumer(app, **options)
    # Work a stopped or killed worker held goes on now, not at the next minute's sweep.
    queue.nudge(app, "sweep")
    consumer.run()

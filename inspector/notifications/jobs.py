"""The worker's jobs: fan out events, send deliveries, sweep, and the daily and weekly runs.

Each job runs in the app with its own transactions (inspector/queue.py) and is safe to run
twice: what it does is claimed in the database first. No transaction is open while a delivery
waits on the network.
"""

import logging
import time
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from inspector import queue
from inspector.extensions import db
from inspector.models import Event
from inspector.notifications import delivery as deliveries
from inspector.notifications import periodic
from inspector.notifications.dispatch import dispatch_events
from inspector.notifications.senders import send

log = logging.getLogger(__name__)


def app():
    return current_app._get_current_object()


def dispatch():
    """Fan out waiting events, then enqueue the deliveries they made."""
    while True:
        made, more = dispatch_events()
        db.session.commit()
        for delivery_id in made:
            queue.nudge(app(), "deliver", delivery_id)
        if not more:
            return


def deliver(delivery_id):
    """Send one delivery if it is due and first in its line; record how it went."""
    config = current_app.config
    parcel = deliveries.claim(delivery_id, config)
    db.session.commit()  # the hold is ours; nothing stays locked while we wait on the network
    if parcel is None:
        return
    started = time.monotonic()
    outcome = send(parcel, config)
    duration = (time.monotonic() - started) * 1000
    status, retry_at = deliveries.settle(delivery_id, outcome, duration, config)
    following = deliveries.next_in_line(delivery_id) if retry_at is None else None
    db.session.commit()
    log.info("delivery %s (%s): %s", parcel.id, parcel.name, status)
    if retry_at is not None:
        queue.nudge(app(), "deliver", delivery_id, eta=retry_at)
    elif following is not None:
        queue.nudge(app(), "deliver", following)


def sweep():
    """Enqueue what is due: undispatched events, and deliveries whose time has come.

    Runs every minute and when a worker starts, so work a killed worker held, or a nudge that
    never reached the queue, goes on by itself.
    """
    waiting = db.session.scalar(select(Event.id).where(Event.dispatched_at.is_(None)).limit(1))
    due = deliveries.due_deliveries()
    held = deliveries.held_deliveries()
    db.session.commit()
    if waiting is not None:
        queue.nudge(app(), "dispatch")
    for delivery_id in due:
        queue.nudge(app(), "deliver", delivery_id)
    for delivery_id, until in held:
        # Sent then, if the worker holding it is gone (a live one has settled it by then).
        queue.nudge(app(), "deliver", delivery_id, eta=until + timedelta(seconds=0.5))


def tick():
    """Every minute: sweep, and the daily and weekly runs once their time has come."""
    sweep()
    periodic.run_due(datetime.now(UTC), current_app.config)  # its events nudge the dispatcher

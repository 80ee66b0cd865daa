"""Events: what happened, recorded in the same transaction as the change (an outbox).

A service says `events.record(actor, "finding.opened", finding)` where it makes the change. The
event is written just before that transaction commits, with the record as the API's GET answers
it then, so a rolled-back change leaves no event and a committed one never loses its event. The
worker delivers events afterwards (inspector/notifications): nothing here touches the network.
Adding an emitter is that one line; a new kind of record also registers its JSON once
(`register(Appeal, appeal_json)`).
"""

from datetime import UTC, datetime

from flask import current_app, has_app_context
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from inspector.events.records import department_of, record_data, record_key, register
from inspector.extensions import db
from inspector.models import Event

# The contract's events (../shared/CONTRACT.md, "Webhooks"): webhooks may subscribe to these.
EVENTS = (
    "inspection.submitted",
    "inspection.returned",
    "inspection.approved",
    "finding.opened",
    "finding.fixed",
    "finding.closed",
    "finding.reopened",
    "finding.overdue",
    "period.closed",
    "appeal.filed",
    "appeal.decided",
)
# Ours only: they tell people and group robots, never webhooks.
INTERNAL_EVENTS = ("finding.escalated", "digest.weekly")
PENDING = "inspector.events"
RECORDED = "inspector.events_recorded"

__all__ = ["EVENTS", "INTERNAL_EVENTS", "record", "register"]


def record(actor, name, obj, **extra):
    """Note that `actor` did `name` to `obj`; it is written when the transaction commits."""
    if name not in EVENTS and name not in INTERNAL_EVENTS:
        raise ValueError(f"unknown event {name!r}")
    db.session.info.setdefault(PENDING, []).append((actor, name, obj, extra))


def write_pending(session):
    """Just before commit: write the transaction's events, with their records as they stand."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    session.flush()  # new records get their ids; relationships load from the database
    today = local_today()
    for actor, name, obj, extra in pending:
        session.add(
            Event(
                name=name,
                record_key=record_key(obj),
                department_id=department_of(obj),
                actor_id=actor.id if actor is not None else None,
                data={**record_data(obj, today), **extra},
            )
        )
    session.info[RECORDED] = True


def local_today():
    from zoneinfo import ZoneInfo

    zone = current_app.config["TIMEZONE"] if has_app_context() else "UTC"
    return datetime.now(ZoneInfo(zone)).date()


def nudge_worker(session):
    """After commit: wake the worker for the new events (the sweeper finds them anyway)."""
    if not session.info.pop(RECORDED, False) or not has_app_context():
        return
    from inspector import queue

    queue.nudge(current_app._get_current_object(), "dispatch")


def forget_pending(session, previous_transaction=None):
    session.info.pop(PENDING, None)
    session.info.pop(RECORDED, None)


def init_app(app):
    if not orm_event.contains(Session, "before_commit", write_pending):
        orm_event.listen(Session, "before_commit", write_pending)
        orm_event.listen(Session, "after_commit", nudge_worker)
        orm_event.listen(Session, "after_rollback", forget_pending)


def now():
    return datetime.now(UTC)

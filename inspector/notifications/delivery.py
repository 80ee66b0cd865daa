"""A delivery's life in the database: claimed, tried, retried with growing delays, settled.

The state is in the delivery's row, never only in the queue: a worker killed while sending
leaves the row pending with a hold that runs out, and the sweeper sends it again with the same
delivery id. A delivery waits while an earlier one to the same target about the same record is
pending, so a record's events arrive in the order they happened.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import aliased

from inspector.extensions import db
from inspector.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from inspector.notifications.senders import Parcel

PENDING, DELIVERED, FAILED = DeliveryStatus.PENDING, DeliveryStatus.DELIVERED, DeliveryStatus.FAILED


def now():
    return datetime.now(UTC)


def hold_seconds(config):
    """How long a worker sending a delivery holds it: longer than any attempt can take."""
    if config.get("DELIVERY_HOLD_SECONDS"):
        return float(config["DELIVERY_HOLD_SECONDS"])
    return float(config["DELIVERY_TIMEOUT"]) * 3 + 5


def earlier_pending(delivery_alias=Delivery):
    earlier = aliased(Delivery)
    return exists().where(
        earlier.target == delivery_alias.target,
        earlier.record_key == delivery_alias.record_key,
        earlier.status == PENDING,
        earlier.id < delivery_alias.id,
    )


def claim(delivery_id, config):
    """Take a due delivery for sending and return its Parcel; None when it is not ours now."""
    moment = now()
    held = db.session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == PENDING,
            Delivery.next_attempt_at <= moment,
            (Delivery.held_until.is_(None)) | (Delivery.held_until < moment),
            ~earlier_pending(),
        )
        .values(held_until=moment + timedelta(seconds=hold_seconds(config)))
        .execution_options(synchronize_session=False)
    ).rowcount
    if not held:
        return None
    delivery = db.session.get(Delivery, delivery_id)
    return parcel_of(delivery)


def parcel_of(delivery):
    url, secret = "", ""
    if delivery.channel_id is not None:
        channel = db.session.get(Channel, delivery.channel_id)
        url, secret = channel.target, channel.secret
    return Parcel(
        id=delivery.id,
        uuid=delivery.uuid,
        name=delivery.name,
        kind=str(delivery.kind),
        url=url,
        secret=secret,
        payload=delivery.payload,
    )


def next_delay(attempts, delays):
    """Seconds before the next try after `attempts` failed ones: the schedule's, then its last."""
    return float(delays[min(attempts, len(delays)) - 1])


def settle(delivery_id, outcome, duration_ms, config):
    """Record an attempt's outcome; return (status, when to try again or None)."""
    delivery = db.session.get(Delivery, delivery_id)
    moment = now()
    db.session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            at=moment,
            status_code=outcome.status_code,
            error=outcome.error[:200],
            duration_ms=int(duration_ms),
        )
    )
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.last_status_code = moment, outcome.status_code
    delivery.last_error, delivery.held_until = outcome.error[:200], None
    if outcome.ok:
        delivery.status = DELIVERED
        return DELIVERED, None
    retry_at = moment + timedelta(
        seconds=next_delay(delivery.attempts, config["DELIVERY_RETRY_DELAYS"])
    )
    give_up = delivery.retry_since + timedelta(seconds=float(config["DELIVERY_GIVE_UP_AFTER"]))
    if retry_at > give_up:
        delivery.status = FAILED
        return FAILED, None
    delivery.next_attempt_at = retry_at
    return PENDING, retry_at


def next_in_line(delivery_id):
    """The next pending delivery to the same target about the same record, if any."""
    delivery = db.session.get(Delivery, delivery_id)
    return db.session.scalar(
        select(func.min(Delivery.id)).where(
            Delivery.target == delivery.target,
            Delivery.record_key == delivery.record_key,
            Delivery.status == PENDING,
            Delivery.id > delivery.id,
        )
    )


def due_deliveries(limit=500):
    """Pending deliveries the sweeper should send now: due, not held, first in their line."""
    moment = now()
    return db.session.scalars(
        select(Delivery.id)
        .where(
            Delivery.status == PENDING,
            Delivery.next_attempt_at <= moment,
            (Delivery.held_until.is_(None)) | (Delivery.held_until < moment),
            ~earlier_pending(),
        )
        .order_by(Delivery.id)
        .limit(limit)
    ).all()


def held_deliveries(limit=500):
    """(id, hold end) of pending deliveries a worker holds: one that was killed lets go then."""
    return db.session.execute(
        select(Delivery.id, Delivery.held_until)
        .where(Delivery.status == PENDING, Delivery.held_until >= now())
        .order_by(Delivery.id)
        .limit(limit)
    ).all()


def retry_by_hand(delivery):
    """Send a failed delivery again (an admin's retry): a new day of retries begins."""
    moment = now()
    delivery.status = PENDING
    delivery.retry_since = delivery.next_attempt_at = moment
    delivery.held_until, delivery.last_error = None, ""
    return delivery


def cancel_pending(channel_id):
    """A deleted channel's pending deliveries will not be sent."""
    db.session.execute(
        update(Delivery)
        .where(Delivery.channel_id == channel_id, Delivery.status == PENDING)
        .values(status=FAILED, last_error="channel deleted")
        .execution_options(synchronize_session=False)
    )

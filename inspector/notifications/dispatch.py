"""Fan events out: inbox messages for people, and a delivery per email, robot and webhook.

Runs in the worker. Each event is fanned out once, in the order events happened: the claim on
its row and the deliveries it makes commit together, and one dispatcher runs at a time.
"""

import json
import uuid as uuid_module
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select, text, update

from inspector.extensions import db
from inspector.models import (
    Channel,
    ChannelKind,
    Delivery,
    Event,
    Notification,
)
from inspector.notifications import recipients
from inspector.notifications.messages import markdown, plain_text, render
from inspector.periods import iso

BATCH = 100


def dispatch_events():
    """Fan out the events not yet dispatched, oldest first; return the new deliveries' ids."""
    serialize_dispatchers()
    events = db.session.scalars(
        select(Event).where(Event.dispatched_at.is_(None)).order_by(Event.id).limit(BATCH)
    ).all()
    made = []
    for event in events:
        claimed = db.session.execute(
            update(Event)
            .where(Event.id == event.id, Event.dispatched_at.is_(None))
            .values(dispatched_at=datetime.now(UTC))
        ).rowcount
        if claimed:
            made += fan_out(event)
    db.session.flush()
    return [delivery.id for delivery in made], len(events) == BATCH


def serialize_dispatchers():
    """One dispatcher at a time, so deliveries are made in the order of their events.

    SQLite's BEGIN IMMEDIATE already serializes writers; PostgreSQL takes a transaction lock.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(1717)"))


def fan_out(event):
    made = []
    for user, department in recipients.people(event):
        data = {**(event.data or {}), "_department": department}
        db.session.add(Notification(user_id=user.id, event_id=event.id, name=event.name, data=data))
        if user.email and current_app.config["SMTP_URL"]:
            made.append(person_email(event, user, department))
    for channel, department in recipients.channels(event):
        made.append(channel_delivery(channel, event.name, event, department))
    for delivery in made:
        db.session.add(delivery)
    return made


def new_delivery(name, record_key, kind, target, event=None, **fields):
    now = datetime.now(UTC)
    return Delivery(
        uuid=str(uuid_module.uuid4()),
        event_id=event.id if event is not None else None,
        name=name,
        kind=kind,
        target=target,
        record_key=record_key,
        created_at=now,
        retry_since=now,
        next_attempt_at=now,
        **fields,
    )


def person_email(event, user, department):
    message = render(event.name, event.data, user.locale, department)
    delivery = new_delivery(
        event.name, event.record_key, ChannelKind.EMAIL, f"user:{user.id}", event, user_id=user.id
    )
    delivery.payload = email_payload(user.email, message)
    return delivery


def channel_delivery(channel, name, event=None, department=None, data=None):
    """A delivery of event `name` (or a test message) to `channel`."""
    record_key = event.record_key if event is not None else f"{name}:{channel.id}"
    delivery = new_delivery(
        name, record_key, channel.kind, f"channel:{channel.id}", event, channel_id=channel.id
    )
    data = event.data if event is not None else (data or {})
    if channel.kind == ChannelKind.WEBHOOK:
        created = event.created_at if event is not None else delivery.created_at
        delivery.payload = webhook_body(delivery.uuid, name, created, data)
        return delivery
    message = render(name, data, channel.locale, department)
    delivery.payload = robot_or_email_payload(channel, message)
    return delivery


def webhook_body(delivery_id, name, created_at, data):
    """The contract's body: {"id": DELIVERY_UUID, "event", "created_at", "data"}."""
    body = {"id": delivery_id, "event": name, "created_at": iso(created_at), "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def robot_or_email_payload(channel, message):
    if channel.kind == ChannelKind.WECOM:
        body = {"msgtype": "markdown", "markdown": {"content": markdown(message)}}
    elif channel.kind == ChannelKind.DINGTALK:
        body = {
            "msgtype": "markdown",
            "markdown": {"title": message.title, "text": markdown(message)},
        }
    else:
        return email_payload(channel.target, message)
    return json.dumps(body, ensure_ascii=False)


def email_payload(address, message):
    return json.dumps(
        {"to": address, "subject": message.title, "text": plain_text(message)}, ensure_ascii=False
    )


def test_delivery(channel):
    """A test message to `channel`, delivered like any other."""
    delivery = channel_delivery(channel, "test", data={})
    if channel.kind == ChannelKind.WEBHOOK:
        delivery.payload = webhook_body(delivery.uuid, "test", delivery.created_at, {})
    db.session.add(delivery)
    return delivery


def live_channel(channel_id):
    channel = db.session.get(Channel, channel_id)
    return channel if channel is not None and channel.deleted_at is None else None

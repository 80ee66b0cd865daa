"""Setting up channels (webhooks, robots, mailboxes), testing them, retrying deliveries.

The caller commits once. Secrets are kept to sign and send with, never shown back (a new
webhook's own secret once, in the answer that creates it) and never logged.
"""

import re
import secrets
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit
from inspector.errors import ConflictError, ValidationError
from inspector.events import EVENTS, INTERNAL_EVENTS
from inspector.extensions import db
from inspector.models import Channel, ChannelKind, Delivery, DeliveryStatus
from inspector.notifications import delivery as deliveries
from inspector.notifications import egress
from inspector.notifications.dispatch import test_delivery
from inspector.organization.queries import department_by_code

ADDRESS = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
SECRET_LENGTH = 200
MAX_EVENTS = 20


def allowed_events(kind):
    """What a channel of `kind` may subscribe to: webhooks the contract's events only."""
    if kind == ChannelKind.WEBHOOK:
        return ("*", *EVENTS)
    return ("*", *EVENTS, *INTERNAL_EVENTS)


def check_events(kind, events):
    if not isinstance(events, list) or not events or len(events) > MAX_EVENTS:
        return _l("Choose at least one event.")
    unknown = [name for name in events if name not in allowed_events(kind)]
    if unknown and all(name in INTERNAL_EVENTS for name in unknown):
        return _l("Not sent to webhooks: %(names)s", names=", ".join(unknown))
    if unknown:
        return _l("Unknown events: %(names)s", names=", ".join(map(str, unknown))[:200])
    return None


def check_target(kind, target):
    if kind == ChannelKind.EMAIL:
        if not ADDRESS.match(target or "") or len(target) > 254:
            return _l("Enter an email address.")
        if not current_app.config["SMTP_URL"]:
            return _l("Email is not set up on this server (INSPECTOR_SMTP_URL).")
        return None
    try:
        egress.check_url(target, current_app.config["WEBHOOK_ALLOWED_HOSTS"])
    except egress.TargetRefusedError as refused:
        return str(refused)
    return None


def create_channel(actor, kind, target, events, secret=None, department=None, **options):
    """Make a channel; return (channel, secret) — the secret a new webhook signs with."""
    errors = {}
    if kind not in set(ChannelKind):
        raise ValidationError({"kind": _l("Choose a kind of channel.")})
    target = (target or "").strip()
    errors["target"] = check_target(kind, target)
    errors["events"] = check_events(kind, events)
    if secret is not None and not 0 < len(secret) <= SECRET_LENGTH:
        errors["secret"] = _l("At most %(n)d characters.", n=SECRET_LENGTH)
    found = department_by_code(department) if department else None
    if department and found is None:
        errors["department"] = _l("Unknown department.")
    locale = options.get("locale") or current_app.config["BABEL_DEFAULT_LOCALE"]
    if locale not in current_app.config["LANGUAGES"]:
        errors["locale"] = _l("Choose a language.")
    errors = {name: message for name, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)
    if kind == ChannelKind.WEBHOOK and not secret:
        secret = secrets.token_hex(32)
    channel = Channel(
        kind=ChannelKind(kind),
        name=(options.get("name") or "").strip()[:100],
        target=target,
        secret=secret or "",
        events=list(dict.fromkeys(events)),
        department=found,
        locale=locale,
        created_by_id=actor.id if actor is not None else None,
        created_at=datetime.now(UTC),
    )
    db.session.add(channel)
    audit.record(actor, "channel.create", channel, kind=str(kind), target=shown_target(channel))
    return channel, secret


def delete_channel(actor, channel):
    """Stop sending to a channel; its deliveries stay in the log."""
    channel.deleted_at = datetime.now(UTC)
    deliveries.cancel_pending(channel.id)
    audit.record(actor, "channel.delete", channel, kind=str(channel.kind))


def shown_target(channel):
    """The target as shown back: a robot's URL with its key cut short (it is a secret)."""
    if channel.kind not in (ChannelKind.WECOM, ChannelKind.DINGTALK):
        return channel.target
    parts = urlsplit(channel.target)
    query = "&".join(f"{quote(key)}={quote(value[:4])}…" for key, value in parse_qsl(parts.query))
    return parts._replace(query=query).geturl()


def live_channel_query(kinds):
    return select(Channel).where(Channel.deleted_at.is_(None), Channel.kind.in_(kinds))


def live_channels(kinds=tuple(ChannelKind)):
    return db.session.scalars(live_channel_query(kinds).order_by(Channel.id)).all()


def get_channel_or_none(channel_id, kinds=tuple(ChannelKind)):
    channel = db.session.get(Channel, channel_id)
    if channel is None or channel.deleted_at is not None or channel.kind not in kinds:
        return None
    return channel


def send_test(actor, channel):
    """A test message to `channel`, delivered by the worker like any other."""
    audit.record(actor, "channel.test", channel)
    return test_delivery(channel)


def retry(actor, delivery):
    """Send a failed delivery again, with the same delivery id."""
    if delivery.status != DeliveryStatus.FAILED:
        raise ConflictError(_l("Only a failed delivery can be retried."))
    channel = delivery.channel
    if channel is not None and channel.deleted_at is not None:
        raise ConflictError(_l("Its channel was deleted."))
    audit.record(actor, "delivery.retry", delivery, attempts=delivery.attempts)
    return deliveries.retry_by_hand(delivery)


def deliveries_of(channel=None):
    stmt = select(Delivery)
    if channel is not None:
        stmt = stmt.where(Delivery.channel_id == channel.id)
    return stmt

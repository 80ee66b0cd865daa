"""API endpoints for webhooks (../shared/CONTRACT.md, "Webhooks") and the other channels."""

from flask import abort, g

from inspector.api import bp
from inspector.api.auth import roles
from inspector.api.pagination import page
from inspector.api.schemas import CHANNEL_IN, WEBHOOK_IN
from inspector.api.validation import json_body
from inspector.extensions import db
from inspector.models import Channel, ChannelKind, Delivery, Role
from inspector.notifications import channels
from inspector.periods import iso

ROBOTS_AND_MAIL = (ChannelKind.WECOM, ChannelKind.DINGTALK, ChannelKind.EMAIL)


def webhook_json(channel, secret=None):
    body = {
        "id": channel.id,
        "url": channel.target,
        "events": channel.events,
        "created_at": iso(channel.created_at),
    }
    if secret is not None:
        body["secret"] = secret
    return body


def channel_json(channel):
    return {
        "id": channel.id,
        "kind": str(channel.kind),
        "name": channel.name,
        "target": channels.shown_target(channel),
        "events": channel.events,
        "department": channel.department.code if channel.department else None,
        "locale": channel.locale,
        "created_at": iso(channel.created_at),
    }


def delivery_json(delivery):
    return {
        "id": delivery.uuid,
        "event": delivery.name,
        "status": str(delivery.status),
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_attempt_at": iso(delivery.last_attempt_at),
    }


def channel_or_404(channel_id, kinds):
    channel = channels.get_channel_or_none(channel_id, kinds)
    if channel is None:
        abort(404, "No such channel.")
    return channel


@bp.post("/webhooks")
@roles(Role.ADMIN)
def create_webhook():
    """Register a webhook; the answer holds its secret, shown this once."""
    body = json_body(WEBHOOK_IN)
    channel, secret = channels.create_channel(
        g.api_user, ChannelKind.WEBHOOK, body["url"], body["events"], body.get("secret")
    )
    db.session.commit()
    return webhook_json(channel, secret), 201


@bp.get("/webhooks")
@roles(Role.ADMIN)
def list_webhooks():
    """List the webhooks (without their secrets)."""
    stmt = channels.live_channel_query((ChannelKind.WEBHOOK,))
    return page(stmt, Channel.id, webhook_json)


@bp.delete("/webhooks/<int:id>")
@roles(Role.ADMIN)
def delete_webhook(id):
    """Stop sending to a webhook."""
    channels.delete_channel(g.api_user, channel_or_404(id, (ChannelKind.WEBHOOK,)))
    db.session.commit()
    return "", 204


@bp.get("/webhooks/<int:id>/deliveries")
@roles(Role.ADMIN)
def webhook_deliveries(id):
    """List a webhook's deliveries: status, attempts, last answer."""
    channel = channel_or_404(id, (ChannelKind.WEBHOOK,))
    return page(channels.deliveries_of(channel), Delivery.id, delivery_json)


@bp.post("/channels")
@roles(Role.ADMIN)
def create_channel():
    """Add a WeCom or DingTalk robot or a mailbox, for a department or for all."""
    body = json_body(CHANNEL_IN)
    channel, _secret = channels.create_channel(
        g.api_user,
        body["kind"],
        body["target"],
        body["events"],
        body.get("secret"),
        body.get("department"),
        name=body.get("name"),
        locale=body.get("locale"),
    )
    db.session.commit()
    return channel_json(channel), 201


@bp.get("/channels")
@roles(Role.ADMIN)
def list_channels():
    """List the robots and mailboxes (robot keys cut short, secrets never)."""
    stmt = channels.live_channel_query(ROBOTS_AND_MAIL)
    return page(stmt, Channel.id, channel_json)


@bp.delete("/channels/<int:id>")
@roles(Role.ADMIN)
def delete_channel(id):
    """Stop sending to a robot or mailbox."""
    channels.delete_channel(g.api_user, channel_or_404(id, ROBOTS_AND_MAIL))
    db.session.commit()
    return "", 204


@bp.get("/channels/<int:id>/deliveries")
@roles(Role.ADMIN)
def channel_deliveries(id):
    """List a robot's or mailbox's deliveries."""
    channel = channel_or_404(id, ROBOTS_AND_MAIL)
    return page(channels.deliveries_of(channel), Delivery.id, delivery_json)
